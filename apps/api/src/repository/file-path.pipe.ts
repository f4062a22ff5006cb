import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '../common/api-error';

export const MAX_FILE_PATH_LENGTH = 1024;

/** Why a repository path is refused, or null: the path must name a file inside the tree and nothing else. */
export function filePathProblem(path: string): string | null {
  if (path.length === 0) return 'must not be empty';
  if (path.length > MAX_FILE_PATH_LENGTH) return `is too long (maximum is ${MAX_FILE_PATH_LENGTH} characters)`;
  if (path.startsWith('/')) return 'must be relative to the repository root (no leading "/")';
  if (/[\p{Cc}\p{Cs}]/u.test(path)) return 'must not contain control characters';
  const segments = path.split('/');
  if (segments.some((segment) => segment === '')) return 'must not contain empty segments ("//" or a trailing "/")';
  if (segments.some((segment) => segment === '.' || segment === '..')) return 'must not contain "." or ".." segments';
  if (segments.some((segment) => segment.toLowerCase() === '.git')) return 'must not contain a ".git" segment';
  return null;
}

/** The `:file_path` route parameter (URL-encoded by clients, decoded by Express) checked as a repository path. */
@Injectable()
export class FilePathPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const problem = filePathProblem(value);
    if (problem) throw ApiError.invalidField('file_path', problem);
    return value;
  }
}
