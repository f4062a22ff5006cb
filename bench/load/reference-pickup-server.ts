import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { Pool } from 'pg';

/**
 * The pickup reference (issue 15): the least a server can do for the same drain. Node's `http` and `pg`, no
 * framework, no authentication, no settings, variables or claims beyond a few: one transaction claims the oldest
 * pending job with SKIP LOCKED, signs two RS256 tokens, inserts their two audit rows, and answers a payload with both
 * tokens as masked variables. Tables `bench_ref_jobs` and `bench_ref_issuances` are the bench's (scenarios/reference-
 * pickup.ts). Forked by the bench; reports its port over IPC and exits when the bench disconnects.
 */
const [databaseUrl, poolSize, issuer] = process.argv.slice(2);
/** How the bench finds this server's PostgreSQL backends, to meter their CPU. */
export const REFERENCE_APPLICATION_NAME = 'lanyard-bench-reference';
const TOKENS = [
  ['VAULT_ID_TOKEN', 'https://vault.example.com'],
  ['AWS_ID_TOKEN', 'sts.amazonaws.com'],
] as const;
const CLAIM = {
  name: 'bench_ref_claim',
  text: `UPDATE bench_ref_jobs SET status = 'running' WHERE id = (
           SELECT id FROM bench_ref_jobs WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id`,
};
const AUDIT = {
  name: 'bench_ref_audit',
  text: `INSERT INTO bench_ref_issuances (jti, job_id, variable, iat, exp) SELECT jti, $1, variable, $2, $3 FROM unnest($4::uuid[], $5::text[]) AS t (jti, variable)`,
};

async function main(): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const jwks = JSON.stringify({ keys: [{ ...jwk, kid, use: 'sig', alg: 'RS256' }] });
  const pool = new Pool({
    connectionString: databaseUrl,
    max: Number(poolSize),
    idleTimeoutMillis: 0,
    application_name: REFERENCE_APPLICATION_NAME,
  });

  const pickUp = async (): Promise<string | null> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const claimed = await client.query<{ id: string }>(CLAIM);
      if (claimed.rows.length === 0) {
        await client.query('COMMIT');
        return null;
      }
      const jobId = claimed.rows[0].id;
      const iat = Math.floor(Date.now() / 1000);
      const jtis = TOKENS.map(() => randomUUID());
      const jwts = await Promise.all(
        TOKENS.map(([, aud], index) =>
          new SignJWT({ job_id: jobId })
            .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
            .setIssuer(issuer)
            .setSubject(`project_path:bench/reference:ref_type:branch:ref:main`)
            .setAudience(aud)
            .setJti(jtis[index])
            .setIssuedAt(iat)
            .setExpirationTime(iat + 3600)
            .sign(privateKey),
        ),
      );
      await client.query({ ...AUDIT, values: [jobId, iat, iat + 3600, jtis, TOKENS.map(([variable]) => variable)] });
      await client.query('COMMIT');
      return JSON.stringify({
        id: Number(jobId),
        token: randomUUID(),
        variables: TOKENS.map(([key], index) => ({ key, value: jwts[index], public: false, masked: true })),
      });
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/oauth/discovery/keys') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(jwks);
      return;
    }
    request.resume();
    request.on('end', () => {
      pickUp().then(
        (payload) => {
          if (payload === null) response.writeHead(204).end();
          else response.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }).end(payload);
        },
        () => response.writeHead(500).end(),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
  process.on('disconnect', () => void pool.end().finally(() => process.exit(0)));
}

if (require.main === module) void main();
