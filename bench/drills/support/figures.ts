import type { Figure } from './context';
import type { Ledger } from './ledger';

export function ledgerFigures(ledger: Ledger): Record<string, Figure> {
  return {
    jobs: ledger.jobs,
    delivered: ledger.delivered,
    assigned_twice: ledger.assignedTwice,
    lost: ledger.lost,
    left_running: ledger.leftRunning,
    lost_answers: ledger.lostAnswers.length,
    delivered_jtis: ledger.deliveredJtis,
    duplicate_jtis: ledger.duplicateJtis,
    audit_mismatches: ledger.auditMismatches,
  };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
