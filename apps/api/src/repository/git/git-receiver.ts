import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { GitHttpAccess } from './git-http-access';
import type { GitRepository } from './git-repository';

/** `git-receive-pack`: a push, checked against the project's rules before any ref moves. */
@Injectable()
export class GitReceiver {
  async receive(
    _access: Extract<GitHttpAccess, { outcome: 'allowed' }>,
    _repository: GitRepository,
    _body: NodeJS.ReadableStream,
    response: Response,
    _env: NodeJS.ProcessEnv,
  ): Promise<void> {
    response.status(403).type('text/plain').send('Pushing is not supported yet.');
  }
}
