import { Transform } from 'class-transformer';
import { IsArray, IsDefined, IsString } from 'class-validator';
import { IsObjectList, IsOptionalFlag } from '../../common/dto-transforms';

/** One claim as a level writes it. The key and value rules are the merge's (libs/id-tokens), checked in the service. */
export class CustomClaimDto {
  @IsString()
  key!: string;

  /** Kept exactly as parsed from JSON (no class conversion), so the rule sees, and the table stores, what was sent. */
  @IsDefined()
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.value)
  value!: unknown;

  /** Whether a level below may redefine it; false (locked) unless said. */
  @IsOptionalFlag()
  mutable?: boolean;
}

export class ReplaceCustomClaimsDto {
  @IsArray()
  @IsObjectList(() => CustomClaimDto)
  claims!: CustomClaimDto[];
}

export class ShowCustomClaimsQuery {
  /** The merged set from the root group down to this level, each claim with its `source`. */
  @IsOptionalFlag()
  effective?: boolean;
}
