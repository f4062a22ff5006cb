import { Injectable } from '@nestjs/common';
import type { importPKCS8 } from 'jose';
import type { PublicSigningJwk } from '@lanyard/id-tokens';

export interface ActiveSigner {
  readonly kid: string;
  readonly privateKey: Awaited<ReturnType<typeof importPKCS8>>;
}

/**
 * The key set in memory: discovery and the JWKS are answered from here, so verifiers keep working while the database
 * is down, and every replica publishes what the database holds as of its last refresh.
 */
@Injectable()
export class KeyStore {
  private published: readonly PublicSigningJwk[] = [];
  private signer: ActiveSigner | null = null;
  private loadedAt: Date | null = null;
  private readonly listeners: (() => void)[] = [];

  replace(published: readonly PublicSigningJwk[], signer: ActiveSigner | null, at: Date): void {
    this.published = published;
    this.signer = signer;
    this.loadedAt = at;
    for (const listener of this.listeners) listener();
  }

  /** Called after every change, so what is derived from the key set (the served JWKS bytes) is rebuilt once. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  jwks(): { keys: PublicSigningJwk[] } {
    return { keys: [...this.published] };
  }

  activeSigner(): ActiveSigner | null {
    return this.signer;
  }

  lastLoadedAt(): Date | null {
    return this.loadedAt;
  }
}
