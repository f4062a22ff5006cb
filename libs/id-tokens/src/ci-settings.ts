import { DEFAULT_SUB_CLAIM_COMPONENTS, type SubClaimComponent } from './sub-claim';

/** New projects opt in to ID tokens only: the legacy `CI_JOB_JWT*` variables are off unless a maintainer turns them on. */
export const OPT_IN_JWT_DEFAULT = true;

export interface EffectiveCiSettings {
  readonly optInJwt: boolean;
  /** The project's `sub` components, else its nearest group's, else the default `project_path:ref_type:ref`. */
  readonly subClaimComponents: readonly SubClaimComponent[];
  /** Where `subClaimComponents` were set (the token preview names it). */
  readonly subClaimComponentsFrom: { readonly kind: 'project' | 'default' } | { readonly kind: 'group'; readonly namespaceId: number };
}

/** A project's stored CI settings: its own row (null: none) and its nearest group that sets `sub` components. */
export interface CiSettingsRow {
  project_id: number;
  opt_in_jwt: boolean | null;
  project_components: string[] | null;
  group_components: string[] | null;
  group_id: number | null;
}

/** The settings as they apply: the project's, else the nearest group's `sub` components, else the defaults. */
export function effectiveCiSettings(row: CiSettingsRow): EffectiveCiSettings {
  return {
    optInJwt: row.opt_in_jwt ?? OPT_IN_JWT_DEFAULT,
    subClaimComponents: (row.project_components ?? row.group_components ?? DEFAULT_SUB_CLAIM_COMPONENTS) as SubClaimComponent[],
    subClaimComponentsFrom: row.project_components
      ? { kind: 'project' }
      : row.group_id !== null
        ? { kind: 'group', namespaceId: row.group_id }
        : { kind: 'default' },
  };
}
