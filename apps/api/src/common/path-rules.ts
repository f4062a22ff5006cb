import { applyDecorators } from '@nestjs/common';
import { IsString, Length, Matches, NotContains } from 'class-validator';

/** GitLab's rule for usernames, group and project paths. */
export const PATH_PATTERN = /^[a-zA-Z0-9_.][a-zA-Z0-9_.-]*(?<![.](?:git|atom))$/;
export const PATH_MESSAGE = 'can contain only letters, digits, "_", "-" and "."; cannot start with "-" or end in ".git" or ".atom"';

export const IsNamespacePath = () => applyDecorators(IsString(), Length(1, 255), Matches(PATH_PATTERN, { message: PATH_MESSAGE }));

/** Display names: no control characters, which would break logs and UIs. */
export const IsDisplayName = () =>
  applyDecorators(
    IsString(),
    Length(1, 255),
    Matches(/^[^\p{Cc}\p{Cf}]+$/u, { message: 'must not contain control or invisible formatting characters' }),
    NotContains('\u0000'),
  );

/** A name without a path becomes its path, as GitLab does when creating a project from a name. */
export function pathFromName(name: string): string {
  return name
    .trim()
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .toLowerCase();
}
