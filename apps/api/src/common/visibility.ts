export const VISIBILITIES = ['private', 'internal', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

const RANK: Record<Visibility, number> = { private: 0, internal: 10, public: 20 };

/** A subgroup or project may not be more visible than the group it lives in. */
export function exceedsVisibility(child: Visibility, parent: Visibility): boolean {
  return RANK[child] > RANK[parent];
}
