import type { Figure } from './context';
import type { Delivery, MintedToken } from './fleet';
import { JoseVerifier, PyJwtVerifier, type VerifierTally } from './verifiers';

/**
 * Every token every runner receives goes, as it arrives, to each long-lived jose verifier and to PyJWT; the drill
 * awaits them all at its end. Verifiers may be added during the run (a relying party that starts later).
 */
export class TokenChecks {
  readonly jose: JoseVerifier[] = [];
  readonly pyjwt: PyJwtVerifier;
  private readonly pending: Promise<unknown>[] = [];
  private tokens = 0;

  constructor(
    private readonly issuer: string,
    /** The JWKS PyJWT checks a token against (drill 5: the other replica's). */
    private readonly pyJwksUrl: (token: MintedToken) => string,
  ) {
    this.pyjwt = new PyJwtVerifier(issuer);
  }

  addJoseVerifier(jwksUrl: string): JoseVerifier {
    const verifier = new JoseVerifier(jwksUrl, this.issuer);
    this.jose.push(verifier);
    return verifier;
  }

  check(delivery: Delivery, jose: readonly JoseVerifier[] = this.jose): void {
    for (const token of delivery.tokens) {
      this.tokens += 1;
      for (const verifier of jose) this.pending.push(verifier.verify(token));
      this.pending.push(this.pyjwt.verify(token, this.pyJwksUrl(token)));
    }
  }

  /** Waits for every check; figures and a problem per verifier that rejected a token. */
  async settle(): Promise<{ figures: Record<string, Figure>; problems: string[] }> {
    await Promise.all(this.pending.splice(0));
    await this.pyjwt.close();
    const jose = this.jose.reduce<VerifierTally>(
      (sum, verifier) => ({
        verified: sum.verified + verifier.tally.verified,
        failed: sum.failed + verifier.tally.failed,
        failures: [...sum.failures, ...verifier.tally.failures],
      }),
      { verified: 0, failed: 0, failures: [] },
    );
    const problems: string[] = [];
    if (jose.failed) problems.push(`jose rejected ${jose.failed} verifications: ${jose.failures.slice(0, 5).join('; ')}`);
    if (this.pyjwt.tally.failed)
      problems.push(`PyJWT rejected ${this.pyjwt.tally.failed} tokens: ${this.pyjwt.tally.failures.slice(0, 5).join('; ')}`);
    return {
      figures: {
        tokens: this.tokens,
        jose_verifiers: this.jose.length,
        jose_verifications: jose.verified,
        jose_failures: jose.failed,
        pyjwt_verified: this.pyjwt.tally.verified,
        pyjwt_failures: this.pyjwt.tally.failed,
      },
      problems,
    };
  }
}
