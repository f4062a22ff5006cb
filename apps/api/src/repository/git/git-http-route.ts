import { spawn } from 'node:child_process';
import { createGunzip } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';
import { gitEnvironment } from './git-repository';
import type { GitStorage } from '../git-storage';
import { GitHttpAccessService, GitService, parseBasicAuthorization } from './git-http-access';
import type { GitReceiver } from './git-receiver';
import { PushTooLargeError } from './push-upload';

const ROUTE = /^\/(.+?)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/;
const SERVICES: readonly string[] = ['git-upload-pack', 'git-receive-pack'];
const NOT_FOUND = "The project you were looking for could not be found or you don't have permission to view it.";
/** Git's protocol negotiation header; only `version=N` (and `:`-separated keys) may pass into GIT_PROTOCOL. */
const GIT_PROTOCOL = /^[A-Za-z0-9=:._-]{1,100}$/;

/**
 * Git's smart HTTP protocol at `/<namespace>/<project>.git`, answered as Express middleware (as git http-backend
 * would be, without CGI): `info/refs?service=…`, `git-upload-pack` and `git-receive-pack`, each a `--stateless-rpc`
 * git process streaming between the client and the project's bare repository.
 */
export function gitHttpRoute(access: GitHttpAccessService, storage: GitStorage, receiver: GitReceiver) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const match = ROUTE.exec(request.path);
    if (!match) return next();
    serve(request, response, match[1], match[2]).catch((error: unknown) => {
      if (!response.headersSent) response.status(500).type('text/plain').send('Internal server error');
      else response.destroy(error instanceof Error ? error : undefined);
    });
  };

  async function serve(request: Request, response: Response, fullPath: string, action: string): Promise<void> {
    const advertise = action === 'info/refs';
    const service = advertise ? String(request.query.service ?? '') : action;
    if (advertise ? request.method !== 'GET' : request.method !== 'POST') {
      response.status(405).type('text/plain').send('Method not allowed');
      return;
    }
    // The dumb protocol (info/refs without a service) is not served, as GitLab.
    if (!SERVICES.includes(service)) {
      response.status(403).type('text/plain').send('Only the smart HTTP protocol is supported');
      return;
    }
    const decision = await access.decide(fullPath, parseBasicAuthorization(request.headers.authorization), service as GitService);
    if (decision.outcome === 'challenge') {
      response.status(401).set('WWW-Authenticate', 'Basic realm="GitLab"').type('text/plain').send('HTTP Basic: Access denied');
      return;
    }
    if (decision.outcome === 'not_found') {
      response.status(404).type('text/plain').send(NOT_FOUND);
      return;
    }
    if (decision.outcome === 'forbidden') {
      response.status(403).type('text/plain').send(decision.message);
      return;
    }
    const repository = await storage.open(decision.project.id);
    if (decision.project.defaultBranch !== null) await storage.setHead(decision.project.id, decision.project.defaultBranch);
    const protocol = String(request.headers['git-protocol'] ?? '');
    const env = gitEnvironment(repository.path, GIT_PROTOCOL.test(protocol) ? { GIT_PROTOCOL: protocol } : {});
    response.set({ 'Cache-Control': 'no-cache, max-age=0, must-revalidate', Pragma: 'no-cache', Expires: 'Fri, 01 Jan 1980 00:00:00 GMT' });
    if (advertise) {
      response.status(200).type(`application/x-${service}-advertisement`);
      // Protocol v2 starts with its capabilities; v0 with the service line git http-backend writes first.
      if (!protocol.includes('version=2')) response.write(serviceHeader(service));
      await pipeGit([service.slice(4), '--stateless-rpc', '--advertise-refs', repository.path], env, null, response);
      return;
    }
    const body = request.headers['content-encoding'] === 'gzip' ? request.pipe(createGunzip()) : request;
    if (service === 'git-receive-pack') {
      try {
        await receiver.receive(decision, repository, body, response, env);
      } catch (error) {
        if (!(error instanceof PushTooLargeError)) throw error;
        response.status(413).type('text/plain').send(`The push is over the limit of ${error.maximumBytes} bytes.`);
      }
      return;
    }
    response.status(200).type('application/x-git-upload-pack-result');
    await pipeGit(['upload-pack', '--stateless-rpc', repository.path], env, body, response);
  }
}

function serviceHeader(service: string): Buffer {
  const line = `# service=${service}\n`;
  return Buffer.from(`${(line.length + 4).toString(16).padStart(4, '0')}${line}0000`);
}

/** Runs one git process between the request body and the response; resolves when git is done. */
export function pipeGit(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input: NodeJS.ReadableStream | null,
  output: Response,
  options: { end: boolean } = { end: true },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    // A client gone mid-request would leave git waiting forever for the rest of its input, or blocked writing output
    // nobody reads, and a push's transaction open with the project's lock: git is stopped instead.
    const stop = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    };
    output.on('close', stop);
    if (input) {
      let ended = false;
      input.on('end', () => (ended = true));
      input.on('close', () => ended || stop());
      input.on('error', stop);
      input.pipe(child.stdin).on('error', stop);
    } else child.stdin.end();
    child.stdout.pipe(output, { end: false });
    child.stderr.resume();
    child.on('close', () => {
      if (options.end) output.end();
      resolve();
    });
  });
}
