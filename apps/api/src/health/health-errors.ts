import { DomainError, NoFacts } from '../common/domain-error';

/** Why a health check fails; the answer is in http-errors/health.answers.ts. */
export type HealthErrorFacts = {
  readonly DATABASE_UNREACHABLE: NoFacts;
};

export class HealthError<Code extends keyof HealthErrorFacts = keyof HealthErrorFacts> extends DomainError<HealthErrorFacts, Code> {
  static readonly module = 'health';
}
