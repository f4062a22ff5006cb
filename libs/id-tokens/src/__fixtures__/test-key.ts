import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Published in the repository, so compromised by design: it signs test tokens and nothing else (see README.md). */
export const TEST_ONLY_PRIVATE_KEY_PEM = readFileSync(join(__dirname, 'test-only-rs256-private-key.pem'), 'utf8');

export const testOnlyPrivateKeyObject = () => createPrivateKey(TEST_ONLY_PRIVATE_KEY_PEM);
export const testOnlyPublicKeyObject = () => createPublicKey(TEST_ONLY_PRIVATE_KEY_PEM);
