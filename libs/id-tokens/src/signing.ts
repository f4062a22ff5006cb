import { KeyObject as NodeKeyObject, sign } from 'node:crypto';
import { base64url, calculateJwkThumbprint, exportJWK, type CryptoKey, type JWK, type KeyObject } from 'jose';
import { IdTokenError } from './errors';
import type { IdTokenClaims, LegacyJwtClaims } from './types';

/** A key as jose takes it: a WebCrypto `CryptoKey` (e.g. from `importPKCS8`) or a Node.js `KeyObject`. */
export type RsaKeyInput = CryptoKey | KeyObject;

export interface IdTokenSigningKey {
  readonly privateKey: RsaKeyInput;
  /** The RFC 7638 thumbprint of its public key (`jwkThumbprint`), as published in the JWKS. */
  readonly kid: string;
}

/** What the JWKS publishes for a key: public members only (RFC 7518 §6.3.1), one algorithm, signing only. */
export interface PublicSigningJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  readonly kid: string;
  readonly use: 'sig';
  readonly alg: 'RS256';
}

/** RFC 7518 §3.3: RS256 keys are 2048 bits or larger. */
export const MIN_RSA_MODULUS_BITS = 2048;
/** A thumbprint is 43 base64url characters; the bound keeps an odd `kid` from reaching a header or a lookup. */
const KID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The compact JWS of an ID token (or a legacy token), header exactly `{"alg":"RS256","kid":…,"typ":"JWT"}`. RS256
 * signatures are deterministic, so the same claims and key always give the same token.
 *
 * Signed with `crypto.sign` and a callback, which runs RSA on libuv's thread pool (one thread per core, see
 * tools/register.js) with the least per-token JavaScript; jose's `SignJWT` gives the same bytes a little slower.
 */
export async function signIdToken(claims: IdTokenClaims | LegacyJwtClaims, key: IdTokenSigningKey): Promise<string> {
  if (!KID_PATTERN.test(key.kid)) {
    throw new IdTokenError('ERR_SIGNING_KEY_INVALID', 'kid', 'the signing key id must be its RFC 7638 thumbprint (base64url)');
  }
  if (key.privateKey.type !== 'private') {
    throw new IdTokenError('ERR_SIGNING_KEY_INVALID', 'signing key', 'ID tokens are signed with a private key; a public key was given');
  }
  const privateKey = rs256KeyObject(key.privateKey);
  const signingInput = `${protectedHeader(key.kid)}.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
  const signature = await new Promise<Buffer>((resolve, reject) =>
    sign('sha256', Buffer.from(signingInput, 'latin1'), privateKey, (error, result) => (error ? reject(error) : resolve(result))),
  ).catch((error: unknown) => {
    throw invalidRs256Key(error);
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** Each key converted and checked once; a rotation brings a new key object, so entries leave with their keys. */
const keyObjects = new WeakMap<RsaKeyInput, NodeKeyObject>();

/** The Node.js key to sign with, refused unless it is an RSA key of 2048 bits or more meant for RS256 signing. */
function rs256KeyObject(key: RsaKeyInput): NodeKeyObject {
  const known = keyObjects.get(key);
  if (known) return known;
  if (!(key instanceof NodeKeyObject) && !isRs256CryptoKey(key as CryptoKey)) throw invalidRs256Key();
  const keyObject = key instanceof NodeKeyObject ? key : NodeKeyObject.from(key as CryptoKey);
  if (keyObject.asymmetricKeyType !== 'rsa' || (keyObject.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_MODULUS_BITS) {
    throw invalidRs256Key();
  }
  keyObjects.set(key, keyObject);
  return keyObject;
}

/** A WebCrypto key is bound to one algorithm at import: RS256 is RSASSA-PKCS1-v1_5 with SHA-256, for signing. */
function isRs256CryptoKey(key: CryptoKey): boolean {
  const algorithm = key.algorithm as { name: string; hash?: { name?: string } };
  return algorithm.name === 'RSASSA-PKCS1-v1_5' && algorithm.hash?.name === 'SHA-256' && key.usages.includes('sign');
}

function invalidRs256Key(cause?: unknown): IdTokenError {
  return new IdTokenError(
    'ERR_SIGNING_KEY_INVALID',
    'signing key',
    `the signing key cannot sign RS256 tokens: it must be an RSA private key of ${MIN_RSA_MODULUS_BITS} bits or more`,
    cause === undefined ? undefined : { cause },
  );
}

let lastHeader = { kid: '', encoded: '' };

/** The encoded header; every token of a key shares it, so it is built once per key (the kid is already checked). */
function protectedHeader(kid: string): string {
  if (lastHeader.kid !== kid) {
    lastHeader = { kid, encoded: Buffer.from(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }), 'utf8').toString('base64url') };
  }
  return lastHeader.encoded;
}

/** RFC 7638 SHA-256 thumbprint, base64url: the `kid` GitLab's json-jwt computes, stable across exports. */
export function jwkThumbprint(publicJwk: JWK): Promise<string> {
  return calculateJwkThumbprint(publicJwk, 'sha256');
}

/**
 * The JWKS entry of an RSA key. Given a private key (it must be extractable), only its public members come out.
 * Refuses keys that are not RSA or are under 2048 bits, and a modulus with a leading zero octet (RFC 7518 §6.3.1.1).
 */
export async function publicJwkOf(key: RsaKeyInput): Promise<PublicSigningJwk> {
  let jwk: JWK;
  try {
    jwk = await exportJWK(key);
  } catch (error) {
    throw new IdTokenError(
      'ERR_SIGNING_KEY_INVALID',
      'signing key',
      'the key cannot be exported: pass the public key (importSPKI) or an extractable private key',
      { cause: error },
    );
  }
  const { kty, n, e } = jwk;
  if (kty !== 'RSA' || typeof n !== 'string' || typeof e !== 'string') {
    throw new IdTokenError('ERR_SIGNING_KEY_INVALID', 'signing key', 'ID tokens are signed with RSA keys (RS256) only');
  }
  const modulus = base64url.decode(n);
  const bits = modulus.length === 0 ? 0 : (modulus.length - 1) * 8 + (32 - Math.clz32(modulus[0]));
  if (modulus[0] === 0 || bits < MIN_RSA_MODULUS_BITS) {
    throw new IdTokenError(
      'ERR_SIGNING_KEY_INVALID',
      'signing key',
      `RS256 keys must be ${MIN_RSA_MODULUS_BITS} bits or larger, with a minimal modulus encoding`,
    );
  }
  return { kty: 'RSA', n, e, kid: await jwkThumbprint({ kty, n, e }), use: 'sig', alg: 'RS256' };
}
