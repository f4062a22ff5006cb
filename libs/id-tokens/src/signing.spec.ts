import { createHash, generateKeyPairSync } from 'node:crypto';
import { UnsecuredJWT, createLocalJWKSet, decodeProtectedHeader, exportJWK, importPKCS8, importSPKI, jwtVerify } from 'jose';
import { IDENTITY, ISSUER, JTI, NOW } from './__fixtures__/job-identity';
import { TEST_ONLY_PRIVATE_KEY_PEM, testOnlyPrivateKeyObject, testOnlyPublicKeyObject } from './__fixtures__/test-key';
import { buildIdTokenClaims } from './claims';
import { buildLegacyJwtClaims } from './legacy-claims';
import { jwkThumbprint, publicJwkOf, signIdToken } from './signing';
import { DEFAULT_SUB_CLAIM_COMPONENTS } from './sub-claim';

/** The test-only key's RFC 7638 thumbprint, computed independently with `openssl rsa -modulus` + `openssl dgst`. */
const KID = 'zqx5eZnm3YZcLglbo6lq2A5eYsxVXsOKX1NPHLzMqWY';
const AUD = 'https://vault.example.com';

// The exact token for IDENTITY at NOW; the signature was checked with `openssl dgst -sha256 -sign` over header.payload.
const EXPECTED_HEADER = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InpxeDVlWm5tM1laY0xnbGJvNmxxMkE1ZVlzeFZYc09LWDFOUEhMek1xV1kiLCJ0eXAiOiJKV1QifQ';
const EXPECTED_PAYLOAD =
  'eyJuYW1lc3BhY2VfaWQiOiI3MiIsIm5hbWVzcGFjZV9wYXRoIjoibXktZ3JvdXAiLCJwcm9qZWN0X2lkIjoiMjAiLCJwcm9qZWN0X3BhdGgiOiJteS1ncm91cC9teS1wcm9qZWN0IiwidXNlcl9pZCI6IjEiLCJ1c2VyX2xvZ2luIjoic2FtcGxlLXVzZXIiLCJ1c2VyX2VtYWlsIjoic2FtcGxlLXVzZXJAZXhhbXBsZS5jb20iLCJ1c2VyX2FjY2Vzc19sZXZlbCI6ImRldmVsb3BlciIsImpvYl9uYW1lc3BhY2VfaWQiOiI3MiIsImpvYl9uYW1lc3BhY2VfcGF0aCI6Im15LWdyb3VwIiwiam9iX3Byb2plY3RfaWQiOiIyMCIsImpvYl9wcm9qZWN0X3BhdGgiOiJteS1ncm91cC9teS1wcm9qZWN0IiwicGlwZWxpbmVfaWQiOiI1NzQiLCJwaXBlbGluZV9zb3VyY2UiOiJwdXNoIiwiam9iX2lkIjoiMzAyIiwicmVmIjoibWFpbiIsInJlZl90eXBlIjoiYnJhbmNoIiwicmVmX3BhdGgiOiJyZWZzL2hlYWRzL21haW4iLCJyZWZfcHJvdGVjdGVkIjoidHJ1ZSIsImdyb3Vwc19kaXJlY3QiOltdLCJydW5uZXJfaWQiOjEsInJ1bm5lcl9lbnZpcm9ubWVudCI6InNlbGYtaG9zdGVkIiwic2hhIjoiNzE0YTYyOWMwYjQwMWZkY2U4M2U4NDdmYzk1ODk5ODNmYzZmNDZiYyIsInByb2plY3RfdmlzaWJpbGl0eSI6InByaXZhdGUiLCJjaV9jb25maWdfcmVmX3VyaSI6ImdpdGxhYi5leGFtcGxlLmNvbS9teS1ncm91cC9teS1wcm9qZWN0Ly8uZ2l0bGFiLWNpLnltbEByZWZzL2hlYWRzL21haW4iLCJjaV9jb25maWdfc2hhIjoiNzE0YTYyOWMwYjQwMWZkY2U4M2U4NDdmYzk1ODk5ODNmYzZmNDZiYyIsImp0aSI6IjIzNWIzYTU0LWI3OTctNDVjNy1hZTlhLWY3MmQ3YmM2ZWY1YiIsImlzcyI6Imh0dHBzOi8vZ2l0bGFiLmV4YW1wbGUuY29tIiwiaWF0IjoxNzAwMDAwMDAwLCJuYmYiOjE2OTk5OTk5OTUsImV4cCI6MTcwMDAwMzYwMCwic3ViIjoicHJvamVjdF9wYXRoOm15LWdyb3VwL215LXByb2plY3Q6cmVmX3R5cGU6YnJhbmNoOnJlZjptYWluIiwiYXVkIjoiaHR0cHM6Ly92YXVsdC5leGFtcGxlLmNvbSJ9';
const EXPECTED_SIGNATURE =
  'o7sQC9xD1bS0l3RfC6M6GOlFHZvxeGpwoq9IrOEVQQR92le4ODiTR6wyqL-1QPiDK4xCgbAB8dBOQRrgW26lX6TJFKgX8XVdl8RvHc81QmJCEY4H9xFefg5Oa2UrIWzUT5u9brxvK_qmoQjQ2wffOIkL58cH8M6xgrwYoClsFjA7CbHO0UA42-fiTwowmVk-O153s5Cgpqn7SSQTPua72BPQWGVGCXwfl3aF3B1Npmi1r9MRuFRqFiQYF9GQEy-XYBpqgf6iYKNKkcWsO9GYBEJ3VXaAh0u9Wgu7ZFgnJfDn1XKnL5uC8HrmTCP0TIWK32h6XTls76tOuSATk10_lw';
const EXPECTED_TOKEN = `${EXPECTED_HEADER}.${EXPECTED_PAYLOAD}.${EXPECTED_SIGNATURE}`;

const claims = () =>
  buildIdTokenClaims(IDENTITY, { aud: AUD, issuer: ISSUER, subComponents: DEFAULT_SUB_CLAIM_COMPONENTS, ttl: 3600 }, NOW, JTI);
const privateCryptoKey = () => importPKCS8(TEST_ONLY_PRIVATE_KEY_PEM, 'RS256');
const decodeSegment = (segment: string) => Buffer.from(segment, 'base64url').toString('utf8');
const reencode = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

describe(signIdToken.name, () => {
  it('gives the exact token for fixed claims and key (RS256 is deterministic)', async () => {
    expect(await signIdToken(claims(), { privateKey: await privateCryptoKey(), kid: KID })).toBe(EXPECTED_TOKEN);
  });

  it('gives the same token from a Node.js KeyObject', async () => {
    expect(await signIdToken(claims(), { privateKey: testOnlyPrivateKeyObject(), kid: KID })).toBe(EXPECTED_TOKEN);
  });

  it('writes the header exactly {"alg":"RS256","kid":…,"typ":"JWT"} (E3)', async () => {
    const token = await signIdToken(claims(), { privateKey: await privateCryptoKey(), kid: KID });
    expect(decodeSegment(token.split('.')[0])).toBe(`{"alg":"RS256","kid":"${KID}","typ":"JWT"}`);
    expect(decodeProtectedHeader(token)).toStrictEqual({ alg: 'RS256', kid: KID, typ: 'JWT' });
  });

  it('serializes the claims as built, key order and integer times included (E3)', async () => {
    const token = await signIdToken(claims(), { privateKey: await privateCryptoKey(), kid: KID });
    expect(decodeSegment(token.split('.')[1])).toBe(JSON.stringify(claims()));
    expect(decodeSegment(token.split('.')[1])).toContain(`"iat":${NOW},"nbf":${NOW - 5},"exp":${NOW + 3600}`);
  });

  it('verifies with jose against the published JWK, selected by kid (4, E3)', async () => {
    const token = await signIdToken(claims(), { privateKey: await privateCryptoKey(), kid: KID });
    const jwks = createLocalJWKSet({ keys: [await publicJwkOf(testOnlyPublicKeyObject())] });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      algorithms: ['RS256'],
      issuer: ISSUER,
      audience: AUD,
      typ: 'JWT',
      currentDate: new Date((NOW + 60) * 1000),
    });
    expect(payload).toStrictEqual(claims());
    expect(protectedHeader).toStrictEqual({ alg: 'RS256', kid: KID, typ: 'JWT' });
  });

  it('is accepted from nbf, thanks to the 5-second backdating, and refused at exp', async () => {
    const token = await signIdToken(claims(), { privateKey: await privateCryptoKey(), kid: KID });
    const key = await importSPKI(testOnlyPublicKeyObject().export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
    await expect(jwtVerify(token, key, { currentDate: new Date((NOW - 5) * 1000) })).resolves.toBeDefined();
    await expect(jwtVerify(token, key, { currentDate: new Date((NOW + 3600) * 1000) })).rejects.toThrow(
      '"exp" claim timestamp check failed',
    );
  });

  it.each([
    [
      'one claim byte changed (E7)',
      (token: string) =>
        token.replace(
          EXPECTED_PAYLOAD,
          reencode(decodeSegment(EXPECTED_PAYLOAD).replace('"ref_protected":"true"', '"ref_protected":"frue"')),
        ),
    ],
    ['re-encoded with alg none (E4)', () => new UnsecuredJWT(claims()).encode()],
  ])('is refused when %s', async (_title, tamper) => {
    const token = tamper(await signIdToken(claims(), { privateKey: await privateCryptoKey(), kid: KID }));
    expect(token).not.toBe(EXPECTED_TOKEN);
    const jwks = createLocalJWKSet({ keys: [await publicJwkOf(testOnlyPublicKeyObject())] });
    await expect(jwtVerify(token, jwks, { algorithms: ['RS256'], currentDate: new Date(NOW * 1000) })).rejects.toThrow();
  });

  it('signs many tokens at once, each verifying with jose against its own claims', async () => {
    const key = { privateKey: await privateCryptoKey(), kid: KID };
    const jwks = createLocalJWKSet({ keys: [await publicJwkOf(testOnlyPublicKeyObject())] });
    const audiences = Array.from({ length: 32 }, (_, index) => `https://verifier-${index}.example.com`);
    const tokens = await Promise.all(
      audiences.map((aud) =>
        signIdToken(
          buildIdTokenClaims(IDENTITY, { aud, issuer: ISSUER, subComponents: DEFAULT_SUB_CLAIM_COMPONENTS, ttl: 3600 }, NOW, JTI),
          key,
        ),
      ),
    );
    const verified = await Promise.all(
      tokens.map((token) => jwtVerify(token, jwks, { algorithms: ['RS256'], currentDate: new Date(NOW * 1000) })),
    );
    expect(verified.map(({ payload }) => payload.aud)).toEqual(audiences);
  });

  it('signs the legacy v1 token too, without aud', async () => {
    const token = await signIdToken(buildLegacyJwtClaims(IDENTITY, { ttl: 300 }, NOW, JTI), {
      privateKey: await privateCryptoKey(),
      kid: KID,
    });
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [await publicJwkOf(testOnlyPublicKeyObject())] }), {
      issuer: 'gitlab.example.com',
      subject: 'job_302',
      currentDate: new Date(NOW * 1000),
    });
    expect('aud' in payload).toBe(false);
  });

  it.each([
    ['an empty kid', async () => ({ privateKey: await privateCryptoKey(), kid: '' }), 'kid'],
    ['a kid that is not base64url', async () => ({ privateKey: await privateCryptoKey(), kid: '../../etc/passwd' }), 'kid'],
    ['a public key', async () => ({ privateKey: testOnlyPublicKeyObject(), kid: KID }), 'signing key'],
    [
      'a 1024-bit key (RFC 7518 §3.3)',
      async () => ({ privateKey: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, kid: KID }),
      'signing key',
    ],
    ['an EC key', async () => ({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, kid: KID }), 'signing key'],
    [
      'an RSA-PSS key',
      async () => ({ privateKey: generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey, kid: KID }),
      'signing key',
    ],
    [
      'a WebCrypto key imported for PS256',
      async () => ({ privateKey: await importPKCS8(TEST_ONLY_PRIVATE_KEY_PEM, 'PS256'), kid: KID }),
      'signing key',
    ],
  ])('refuses %s with a message free of key material', async (_title, makeKey, field) => {
    const error = await signIdToken(claims(), await makeKey()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'IdTokenError', code: 'ERR_SIGNING_KEY_INVALID', field });
    const message = (error as Error).message;
    expect(message).not.toMatch(/BEGIN|PRIVATE|eyJ/);
    expect(message).not.toContain(TEST_ONLY_PRIVATE_KEY_PEM.split('\n')[1].slice(0, 16));
  });
});

describe(publicJwkOf.name, () => {
  it('publishes kty, n, e, kid, use and alg only, even from a private key (E1)', async () => {
    const extractable = await importPKCS8(TEST_ONLY_PRIVATE_KEY_PEM, 'RS256', { extractable: true });
    for (const key of [testOnlyPublicKeyObject(), testOnlyPrivateKeyObject(), extractable]) {
      const jwk = await publicJwkOf(key);
      expect(Object.keys(jwk)).toEqual(['kty', 'n', 'e', 'kid', 'use', 'alg']);
      expect(jwk).toMatchObject({ kty: 'RSA', e: 'AQAB', kid: KID, use: 'sig', alg: 'RS256' });
    }
  });

  it('publishes a 2048-bit modulus without a leading zero octet (E1)', async () => {
    const modulus = Buffer.from((await publicJwkOf(testOnlyPublicKeyObject())).n, 'base64url');
    expect(modulus).toHaveLength(256);
    expect(modulus[0]).toBeGreaterThanOrEqual(0x80);
  });

  it.each([
    ['a non-extractable private key', () => privateCryptoKey()],
    ['a 1024-bit key', async () => generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey],
    ['a 2047-bit key', async () => generateKeyPairSync('rsa', { modulusLength: 2047 }).publicKey],
    ['an EC key', async () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey],
  ])('refuses %s', async (_title, makeKey) => {
    await expect(publicJwkOf(await makeKey())).rejects.toMatchObject({ name: 'IdTokenError', code: 'ERR_SIGNING_KEY_INVALID' });
  });
});

describe(jwkThumbprint.name, () => {
  it('is the RFC 7638 SHA-256 thumbprint over {"e","kty","n"} (4)', async () => {
    const { n, e } = await exportJWK(testOnlyPublicKeyObject());
    const canonical = JSON.stringify({ e, kty: 'RSA', n });
    expect(await jwkThumbprint({ kty: 'RSA', n, e })).toBe(createHash('sha256').update(canonical).digest('base64url'));
    expect(await jwkThumbprint({ kty: 'RSA', n, e, use: 'sig', alg: 'RS256', kid: 'ignored' })).toBe(KID);
  });

  it('matches RFC 7638 §3.1’s worked example', async () => {
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    expect(await jwkThumbprint({ kty: 'RSA', n, e: 'AQAB' })).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });
});
