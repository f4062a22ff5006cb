import { stuckJobCutoffs } from './stuck-jobs';

const HOUR = 3_600_000;

describe('stuck jobs', () => {
  const now = new Date('2026-01-02T12:00:00Z');

  it("gives GitLab's limits: an hour's grace, a day pending, an hour pending with no runner online in two hours", () => {
    expect(stuckJobCutoffs(now)).toEqual({
      lastReportBefore: new Date(now.getTime() - HOUR),
      pendingOutdatedBefore: new Date(now.getTime() - 24 * HOUR),
      pendingStuckBefore: new Date(now.getTime() - HOUR),
      runnersOnlineSince: new Date(now.getTime() - 2 * HOUR),
    });
  });
});
