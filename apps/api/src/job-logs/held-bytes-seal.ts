import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * The bytes of a log held back between two appends (a secret may be starting in them) are kept sealed: AES-256-GCM
 * under a key derived from the job token. The server stores only the token's SHA-256, so what is at rest cannot be
 * read back until the runner presents the token again, with its next append or its final update.
 */
const KEY_LABEL = 'lanyard job log held bytes v1';

function keyFor(jobToken: string): Buffer {
  return createHmac('sha256', jobToken).update(KEY_LABEL).digest();
}

/** 12-byte IV, 16-byte tag, then the ciphertext. */
export function sealHeldBytes(bytes: Buffer, jobToken: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(jobToken), iv);
  const sealed = Buffer.concat([cipher.update(bytes), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}

/** The held bytes, or null when they cannot be opened with this token (then they are dropped, never shown). */
export function openHeldBytes(sealed: Buffer, jobToken: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(jobToken), sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
  } catch {
    return null;
  }
}
