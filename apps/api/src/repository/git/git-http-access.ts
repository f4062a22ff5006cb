import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel } from '@lanyard/access';
import { DataSource } from 'typeorm';
import { AccessService } from '../../auth/access.service';
import { AuthService } from '../../auth/auth.service';
import { digestToken } from '../../auth/secret-token';
import type { Project } from '../../entities/project.entity';
import type { User } from '../../entities/user.entity';
import { findProject } from '../../routes/find-project';

export type GitService = 'git-upload-pack' | 'git-receive-pack';

/** The job-token user name, as GitLab's `Gitlab::Auth::CI_JOB_USER`. */
export const CI_JOB_USER = 'gitlab-ci-token';

const READ_SCOPES = ['read_repository', 'write_repository', 'api'];
const WRITE_SCOPES = ['write_repository', 'api'];

/** Who may do what on a repository over smart HTTP, or why not (GitLab's `Repositories::GitHttpClientController`). */
export type GitHttpAccess =
  | { readonly outcome: 'allowed'; readonly project: Project; readonly user: User | null; readonly level: AccessLevel }
  /** No or bad credentials: git asks for some (401 and a Basic challenge); a missing project answers the same. */
  | { readonly outcome: 'challenge' }
  /** Authenticated, but the project is missing or invisible to them: one answer for both. */
  | { readonly outcome: 'not_found' }
  | { readonly outcome: 'forbidden'; readonly message: string };

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

export function parseBasicAuthorization(header: string | undefined): BasicCredentials | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

@Injectable()
export class GitHttpAccessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly auth: AuthService,
    private readonly access: AccessService,
  ) {}

  async decide(fullPath: string, credentials: BasicCredentials | null, service: GitService): Promise<GitHttpAccess> {
    const project = await findProject(this.db.manager, fullPath);
    if (credentials === null) {
      // Anonymous clones work for public projects only; anything else asks for credentials, existing or not.
      if (project && project.visibility === 'public' && service === 'git-upload-pack') {
        return { outcome: 'allowed', project, user: null, level: AccessLevel.NoAccess };
      }
      return { outcome: 'challenge' };
    }
    if (credentials.username === CI_JOB_USER) return this.decideForJob(project, credentials.password, service);
    const token = await this.auth.credentialsForToken(credentials.password);
    const scopes = service === 'git-upload-pack' ? READ_SCOPES : WRITE_SCOPES;
    if (!token || token.user.state !== 'active' || !token.scopes.some((scope) => scopes.includes(scope))) return { outcome: 'challenge' };
    if (!project) return { outcome: 'not_found' };
    const user = token.user;
    const level = await this.access.levelOnProject(user, project, this.db.manager);
    const sees = user.admin || project.visibility !== 'private' || level >= AccessLevel.Guest;
    if (!sees) return { outcome: 'not_found' };
    if (service === 'git-upload-pack') {
      if (user.admin || project.visibility !== 'private' || level >= AccessLevel.Reporter)
        return { outcome: 'allowed', project, user, level };
      return { outcome: 'forbidden', message: 'You are not allowed to download code from this project.' };
    }
    if (user.admin || level >= AccessLevel.Developer) return { outcome: 'allowed', project, user, level };
    return { outcome: 'forbidden', message: 'You are not allowed to push code to this project.' };
  }

  /**
   * A running job's token reads its own project's code, and in a fork's merge-request pipeline the fork's too; it
   * never pushes. Finished jobs' tokens are dead.
   */
  private async decideForJob(project: Project | null, token: string, service: GitService): Promise<GitHttpAccess> {
    if (token.length > 512) return { outcome: 'challenge' };
    const rows: { project_id: string; user_id: string | null; source_project_id: string | null }[] = await this.db.query(
      `SELECT b.project_id, b.user_id, m.source_project_id FROM ci_builds b
         JOIN ci_pipelines p ON p.id = b.pipeline_id
         LEFT JOIN merge_requests m ON m.id = p.merge_request_id
        WHERE b.token_digest = $1 AND b.status = 'running'`,
      [digestToken(token)],
    );
    if (!rows.length) return { outcome: 'challenge' };
    const [job] = rows;
    const readable = [job.project_id, job.source_project_id].filter((id) => id !== null).map(Number);
    if (!project || !readable.includes(project.id)) return { outcome: 'not_found' };
    if (service !== 'git-upload-pack') return { outcome: 'forbidden', message: 'You are not allowed to upload code.' };
    return { outcome: 'allowed', project, user: null, level: AccessLevel.Reporter };
  }
}
