import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel } from '@lanyard/access';
import { DataSource, EntityManager } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Caller } from '../auth/caller';
import { digestToken, generateSecretToken } from '../auth/secret-token';
import { CLOCK, type Clock } from '../clock/clock';
import { Namespace } from '../entities/namespace.entity';
import { Project } from '../entities/project.entity';
import { User } from '../entities/user.entity';
import { CreateRunnerDto, UpdateRunnerDto } from './dto/create-runner.dto';
import { Runner } from './runner.entity';
import { RunnerChangeListener, announceRunnerChange } from './runner-change-listener';
import { CONTACT_INTERVAL_MS, RUNNER_SESSION_TTL_MS, RunnerSessions } from './runner-sessions';
import { presentRunnerDetails } from './runner.presenter';
import { RunnerError } from './runner-errors';

@Injectable()
export class RunnersService {
  private readonly sessions = new RunnerSessions();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly changes: RunnerChangeListener,
  ) {
    changes.onChange((runnerId) => (runnerId === null ? this.sessions.forgetAll() : this.sessions.forget(runnerId)));
  }

  /** GitLab's `POST /user/runners`: instance runners by admins, group runners by owners, project runners by maintainers. */
  async create(caller: Caller, dto: CreateRunnerDto) {
    if (dto.gitlab_hosted && !caller.user.admin) throw new RunnerError('GITLAB_HOSTED_ADMIN_ONLY');
    const scope = await this.scopeFor(caller, dto);
    const tags = tagsOf({ tagList: [], runUntagged: true }, dto);
    const token = generateSecretToken('glrt');
    const repository = this.db.getRepository(Runner);
    const runner = await repository.save(
      repository.create({
        tokenDigest: digestToken(token),
        runnerType: dto.runner_type,
        namespaceId: scope.namespaceId,
        projectId: scope.projectId,
        description: dto.description ?? '',
        gitlabHosted: dto.gitlab_hosted ?? false,
        maximumTimeout: dto.maximum_timeout ?? null,
        ...tags,
        active: true,
        locked: false,
        creatorId: caller.user.id,
        contactedAt: null,
      }),
    );
    return { id: runner.id, token, token_expires_at: null };
  }

  /** GitLab's `GET /runners/:id`: instance runners for everyone signed in, others for whoever may manage them. */
  async show(caller: Caller, id: number) {
    const runner = await this.find(id);
    if (runner.runnerType !== 'instance_type') await this.assertMayManage(caller, runner);
    return presentRunnerDetails(runner, this.clock.now());
  }

  /** GitLab's `PUT /runners/:id`: at least one attribute, by an admin or whoever may manage the runner. */
  async update(caller: Caller, id: number, dto: UpdateRunnerDto) {
    const runner = await this.find(id);
    await this.assertMayManage(caller, runner);
    const changes: Partial<Runner> = {
      ...(dto.description !== undefined ? { description: dto.description } : {}),
      ...(dto.maximum_timeout !== undefined ? { maximumTimeout: dto.maximum_timeout } : {}),
      ...(dto.active !== undefined ? { active: dto.active } : {}),
      ...(dto.paused !== undefined ? { active: !dto.paused } : {}),
      ...(dto.locked !== undefined ? { locked: dto.locked } : {}),
      ...(dto.tag_list !== undefined || dto.run_untagged !== undefined ? tagsOf(runner, dto) : {}),
    };
    if (Object.keys(changes).length === 0) throw new RunnerError('NOTHING_TO_UPDATE');
    await this.changeRunner(runner.id, (tx) => tx.getRepository(Runner).update(runner.id, changes));
    return presentRunnerDetails({ ...runner, ...changes }, this.clock.now());
  }

  /** GitLab's `DELETE /runners/:id`: by an admin or whoever may manage the runner; it gets no job from then on. */
  async remove(caller: Caller, id: number): Promise<void> {
    const runner = await this.find(id);
    await this.assertMayManage(caller, runner);
    await this.changeRunner(runner.id, (tx) => tx.getRepository(Runner).delete(runner.id));
  }

  /**
   * GitLab's `POST /runners/:id/reset_authentication_token`: a new token, shown this once; the old one is refused
   * from then on, on every replica.
   */
  async resetToken(caller: Caller, id: number) {
    const runner = await this.find(id);
    await this.assertMayManage(caller, runner);
    const token = generateSecretToken('glrt');
    await this.changeRunner(runner.id, (tx) => tx.getRepository(Runner).update(runner.id, { tokenDigest: digestToken(token) }));
    return { token, token_expires_at: null };
  }

  async verify(token: string) {
    const runner = await this.authenticate(token);
    return { id: runner.id, token, token_expires_at: null };
  }

  /** `DELETE /runners`: a runner unregisters itself with its token, paused or not (GitLab's `authenticate_runner!`). */
  async unregister(token: string): Promise<void> {
    const runner = await this.owning(token);
    await this.changeRunner(runner.id, (tx) => tx.getRepository(Runner).delete(runner.id));
  }

  /**
   * `DELETE /runners/managers`: one host of a runner leaves (`gitlab-runner unregister`). Lanyard keeps no record per
   * host, only the runner's own, so once the token is checked there is nothing to remove: the runner stays registered.
   */
  async unregisterManager(token: string): Promise<void> {
    await this.owning(token);
  }

  private async owning(token: string): Promise<Runner> {
    const runner = token.length <= 512 ? await this.db.getRepository(Runner).findOneBy({ tokenDigest: digestToken(token) }) : null;
    if (!runner) throw new RunnerError('RUNNER_TOKEN_REFUSED');
    return runner;
  }

  /** The active runner owning a token; an unknown or paused runner is 403, as GitLab answers runners. */
  async authenticate(token: string): Promise<Runner> {
    const runner = token.length <= 512 ? await this.db.getRepository(Runner).findOneBy({ tokenDigest: digestToken(token) }) : null;
    if (!runner || !runner.active) throw new RunnerError('RUNNER_TOKEN_REFUSED');
    return runner;
  }

  /**
   * `POST /jobs/request`'s authentication, kept off the pickup's hot path: a runner polls every few seconds, and
   * reading its row and writing its contact time on every poll would cost more SQL than handing it a job. A runner is
   * read again after `RUNNER_SESSION_TTL_MS`, its contact written once a minute (guarded in SQL too, for replicas). The
   * session only spares a read: the claim checks the runner's row itself (`claimQuery`).
   */
  async poll(token: string): Promise<Runner> {
    const now = this.clock.now();
    const digest = digestToken(token);
    const readAt = this.sessions.currentGeneration();
    // Without notifications from the other replicas a session could outlive a pause there: none is trusted then.
    const trusted = this.changes.trusted();
    let session = trusted ? this.sessions.current(digest, now.getTime()) : null;
    if (!session)
      session = { runner: await this.authenticate(token), until: now.getTime() + RUNNER_SESSION_TTL_MS, contactDueAt: now.getTime() };
    if (now.getTime() >= session.contactDueAt) {
      await this.db.query(
        `UPDATE ci_runners SET contacted_at = $2 WHERE id = $1 AND (contacted_at IS NULL OR contacted_at < $2::timestamptz - interval '1 minute')`,
        [session.runner.id, now],
      );
      session = { ...session, contactDueAt: now.getTime() + CONTACT_INTERVAL_MS };
    }
    if (trusted) this.sessions.remember(digest, session, readAt);
    return session.runner;
  }

  /**
   * Changes a runner and announces it in the same transaction, so every replica forgets its sessions once the change
   * is visible; this one forgets them at once, before its next poll can use them.
   */
  private async changeRunner(id: number, change: (tx: EntityManager) => Promise<unknown>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await change(tx);
      await announceRunnerChange(tx, id);
    });
    this.sessions.forget(id);
  }

  private async find(id: number): Promise<Runner> {
    const runner = await this.db.getRepository(Runner).findOneBy({ id });
    if (!runner) throw new RunnerError('RUNNER_NOT_FOUND');
    return runner;
  }

  /** Whoever may create a runner of its scope may manage it (GitLab's `:update_runner`); anyone else is 403. */
  private async assertMayManage(caller: Caller, runner: Runner): Promise<void> {
    if (!(await this.mayManage(caller.user, runner))) throw new RunnerError('MANAGEMENT_FORBIDDEN');
  }

  private async mayManage(user: User, runner: Runner): Promise<boolean> {
    if (user.admin) return true;
    if (runner.runnerType === 'group_type') {
      const group = await this.db.getRepository(Namespace).findOneByOrFail({ id: runner.namespaceId! });
      return (await this.access.levelOnGroup(user, group, this.db.manager)) >= AccessLevel.Owner;
    }
    if (runner.runnerType === 'project_type') {
      const project = await this.db.getRepository(Project).findOneByOrFail({ id: runner.projectId! });
      return (await this.access.levelOnProject(user, project, this.db.manager)) >= AccessLevel.Maintainer;
    }
    return false;
  }

  private async scopeFor(caller: Caller, dto: CreateRunnerDto): Promise<{ namespaceId: number | null; projectId: number | null }> {
    if (dto.runner_type === 'instance_type') {
      if (!caller.user.admin) throw new RunnerError('INSTANCE_RUNNER_ADMIN_ONLY');
      return { namespaceId: null, projectId: null };
    }
    if (dto.runner_type === 'group_type') {
      const group = await this.db.getRepository(Namespace).findOneBy({ id: dto.group_id!, type: 'Group' });
      if (!group) throw new RunnerError('GROUP_NOT_FOUND');
      const level = await this.access.levelOnGroup(caller.user, group, this.db.manager);
      this.access.enforce(caller.user, level, group.visibility, AccessLevel.Owner, 'Group');
      return { namespaceId: group.id, projectId: null };
    }
    const project = await this.db.getRepository(Project).findOneBy({ id: dto.project_id! });
    if (!project) throw new RunnerError('PROJECT_NOT_FOUND');
    const level = await this.access.levelOnProject(caller.user, project, this.db.manager);
    this.access.enforce(caller.user, level, project.visibility, AccessLevel.Maintainer, 'Project');
    return { namespaceId: null, projectId: project.id };
  }
}

/** The runner's tags after `dto`, refused as GitLab's `tag_constraints` when it would take no job at all. */
function tagsOf(current: Pick<Runner, 'tagList' | 'runUntagged'>, dto: CreateRunnerDto | UpdateRunnerDto) {
  const tags = { tagList: dto.tag_list ?? current.tagList, runUntagged: dto.run_untagged ?? current.runUntagged };
  if (tags.tagList.length === 0 && !tags.runUntagged) throw new RunnerError('TAGS_REQUIRED');
  return tags;
}
