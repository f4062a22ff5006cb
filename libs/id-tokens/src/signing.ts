import { SignJWT, base64url, calculateJwkThumbprint, exportJWK, type CryptoKey, type JWK, type JWTPayload, type KeyObject } from 'jose';
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
 */
export async function signIdToken(claims: IdTokenClaims | LegacyJwtClaims, key: IdTokenSigningKey): Promise<string> {
  if (!KID_PATTERN.test(key.kid)) {
    throw new IdTokenError('ERR_SIGNING_KEY_INVALID', 'kid', 'the signing key id must be its RFC 7638 thumbprint (base64url)');
  }
  if (key.privateKey.type !== 'private') {
    throw new IdTokenError('ERR_SIGNING_KEY_INVALID', 'signing key', 'ID tokens are signed with a private key; a public key was given');
  }
  const payload: JWTPayload = { ...claims };
  try {
    return await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
  } catch (error) {
    throw new IdTokenError(
      'ERR_SIGNING_KEY_INVALID',
      'signing key',
      `the signing key cannot sign RS256 tokens: it must be an RSA private key of ${MIN_RSA_MODULUS_BITS} bits or more`,
      { cause: error },
    );
  }
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
