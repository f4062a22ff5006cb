import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { TOKEN_AUDIENCES, type MintedToken } from './fleet';

/** Failures kept verbatim for the report; the rest are only counted. */
const KEPT_FAILURES = 5;

export interface VerifierTally {
  verified: number;
  failed: number;
  readonly failures: string[];
}

const tally = (): VerifierTally => ({ verified: 0, failed: 0, failures: [] });

function fail(target: VerifierTally, token: MintedToken, reason: string): void {
  target.failed += 1;
  if (target.failures.length < KEPT_FAILURES) target.failures.push(`job ${token.jobId} ${token.variable}: ${reason}`);
}

/**
 * A long-lived relying party as most are written: jose's `createRemoteJWKSet` with its default caching (keeps the
 * set 10 min, refetches on an unknown `kid` at most every 30 s), checking signature, issuer, audience and `job_id`.
 */
export class JoseVerifier {
  readonly tally = tally();
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    readonly jwksUrl: string,
    private readonly issuer: string,
  ) {
    this.keys = createRemoteJWKSet(new URL(jwksUrl));
  }

  async verify(token: MintedToken): Promise<{ jti: string } | null> {
    try {
      const { payload } = await jwtVerify(token.jwt, this.keys, {
        algorithms: ['RS256'],
        issuer: this.issuer,
        audience: TOKEN_AUDIENCES[token.variable],
      });
      if (payload.job_id !== String(token.jobId)) throw new Error(`names job ${String(payload.job_id)}`);
      this.tally.verified += 1;
      return { jti: String(payload.jti) };
    } catch (error) {
      fail(this.tally, token, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      return null;
    }
  }
}

/**
 * PyJWT (`jwt.PyJWKClient` with its default caching) in one long-lived python process, fed token by token over
 * stdin: a second, independent implementation of the checks above.
 */
export class PyJwtVerifier {
  readonly tally = tally();
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private exited = false;

  constructor(issuer: string) {
    this.child = spawn(process.env.DRILL_PYTHON?.trim() || '/usr/bin/python3', [join(__dirname, 'pyjwt-verify.py'), issuer]);
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[pyjwt] ${chunk.toString()}`));
    this.child.on('exit', () => {
      this.exited = true;
      for (const waiter of this.waiting.splice(0)) waiter('{"ok":false,"error":"the PyJWT process exited"}');
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
  }

  /** Verifies against `jwksUrl` (this verifier keeps one PyJWKClient per URL, as a relying party keeps one). */
  async verify(token: MintedToken, jwksUrl: string): Promise<void> {
    if (this.exited) return fail(this.tally, token, 'the PyJWT process exited');
    const line = await new Promise<string>((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(
        JSON.stringify({ jwt: token.jwt, aud: TOKEN_AUDIENCES[token.variable], jwks: jwksUrl, job_id: String(token.jobId) }) + '\n',
      );
    });
    const answer = JSON.parse(line) as { ok: boolean; error?: string };
    if (answer.ok) this.tally.verified += 1;
    else fail(this.tally, token, `PyJWT: ${answer.error}`);
  }

  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((done) => {
      this.child.once('exit', () => done());
      this.child.stdin.end();
    });
  }
}
