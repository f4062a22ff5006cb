import type { SchemaObject } from '@nestjs/swagger';

const STRINGS: SchemaObject = { type: 'array', items: { type: 'string' } };

/**
 * The bodies the OIDC handlers write themselves (precomputed bytes, so no return type tells the OpenAPI document):
 * discoveryDocument() and KeyStore.jwks(), spelled out.
 */
export const DISCOVERY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['issuer', 'jwks_uri', 'response_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported'],
  properties: {
    issuer: { type: 'string', format: 'uri' },
    jwks_uri: { type: 'string', format: 'uri' },
    response_types_supported: STRINGS,
    subject_types_supported: STRINGS,
    id_token_signing_alg_values_supported: STRINGS,
    scopes_supported: STRINGS,
    claim_types_supported: STRINGS,
    claims_supported: STRINGS,
  },
};

export const JWKS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kty', 'n', 'e', 'kid', 'use', 'alg'],
        properties: {
          kty: { type: 'string', enum: ['RSA'] },
          n: { type: 'string' },
          e: { type: 'string' },
          kid: { type: 'string' },
          use: { type: 'string', enum: ['sig'] },
          alg: { type: 'string', enum: ['RS256'] },
        },
      },
    },
  },
};
