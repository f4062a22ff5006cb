import { DEFAULT_SUB_CLAIM_COMPONENTS, JobIdentity, buildIdTokenClaims, signIdToken } from '@lanyard/id-tokens';
import { randomUUID } from 'node:crypto';
import { exportPKCS8, generateKeyPair, importPKCS8 } from 'jose';
import { LatencySummary, round, summarize, timeSequential } from '../support/stats';

export interface SigningResult {
  readonly name: string;
  readonly signatures: number;
  /** One RS256 signature at a time, as one runner's pickup does them. */
  readonly sequentialMs: LatencySummary;
  /** Eight at a time: WebCrypto signs on libuv's thread pool, so this shows what the cores can do together. */
  readonly concurrentSignaturesPerSecond: number;
}

const IDENTITY: JobIdentity = {
  sourceProject: { id: 20, fullPath: 'bench-group/bench-project', namespaceId: 7, namespaceFullPath: 'bench-group' },
  jobProject: { id: 20, fullPath: 'bench-group/bench-project', namespaceId: 7, namespaceFullPath: 'bench-group' },
  projectVisibility: 'private',
  user: { id: 2, username: 'bench-user', email: 'bench-user@bench.example.com', accessLevel: 50, directGroupPaths: [] },
  pipeline: { id: 1, source: 'api', ref: 'main', refType: 'branch', refProtected: true, sha: 'a'.repeat(40), ciConfig: { path: '.gitlab-ci.yml', sha: 'a'.repeat(40) } },
  job: { id: 1, environment: null },
  runner: { id: 1, gitlabHosted: false },
  server: { host: '127.0.0.1', fqdn: '127.0.0.1' },
};

/**
 * The signing step alone, outside HTTP and the database: the library call a pickup makes per ID token, with a key
 * loaded the way the application loads it (PKCS#8 → WebCrypto `CryptoKey`). A reference for the pickup figures.
 */
export async function runSigningReference(signatures: number): Promise<SigningResult> {
  const { privateKey: generated } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const signer = { kid: 'bench-signing-key', privateKey: await importPKCS8(await exportPKCS8(generated), 'RS256') };
  const options = { aud: 'https://vault.example.com', subComponents: DEFAULT_SUB_CLAIM_COMPONENTS, issuer: 'http://127.0.0.1', ttl: 3600 };
  const sign = async () => {
    await signIdToken(buildIdTokenClaims(IDENTITY, options, Math.floor(Date.now() / 1000), randomUUID()), signer);
  };
  await timeSequential(20, sign);
  const sequential = await timeSequential(signatures, sign);
  const start = performance.now();
  for (let batch = 0; batch < signatures / 8; batch++) await Promise.all(Array.from({ length: 8 }, sign));
  const concurrentMs = performance.now() - start;
  return {
    name: 'RS256 signature (in-process reference)',
    signatures,
    sequentialMs: summarize(sequential),
    concurrentSignaturesPerSecond: round((Math.ceil(signatures / 8) * 8 * 1000) / concurrentMs, 0),
  };
}
