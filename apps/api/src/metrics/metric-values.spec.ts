import { UNMATCHED_ROUTE, keyGauges, poolGauges, queueGauges, routeLabel } from './metric-values';

const STATIC = new Set(['/api/v4/jobs/request', '/-/jwks']);

describe(routeLabel.name, () => {
  it.each([
    [
      'the matched route pattern, never the ids in the URL',
      { path: '/api/v4/projects/42', route: { path: '/api/v4/projects/:id' } },
      '/api/v4/projects/:id',
    ],
    ['the pattern under its router mount path', { path: '/x/a/7', baseUrl: '/x', route: { path: '/a/:id' } }, '/x/a/:id'],
    ['a fixed path answered in front of the router', { path: '/api/v4/jobs/request' }, '/api/v4/jobs/request'],
    [
      'unmatched for what Nest’s not-found route under the prefix answers',
      { path: '/api/v4/nothing', baseUrl: '/api/v4', route: { path: '*path' } },
      UNMATCHED_ROUTE,
    ],
    ['unmatched for a path no route took', { path: '/api/v4/projects/42/nothing-here' }, UNMATCHED_ROUTE],
    ['unmatched for a route whose pattern is not a string (a RegExp route)', { path: '/a', route: { path: /a/ } }, UNMATCHED_ROUTE],
  ])('labels %s', (_case, request, label) => {
    expect(routeLabel(request, STATIC)).toBe(label);
  });
});

describe(queueGauges.name, () => {
  it('gives the depth and the oldest job’s wait in seconds', () => {
    expect(queueGauges({ queueDepth: 3, oldestQueuedAt: 1000, keys: [] }, 1090)).toEqual({ depth: 3, oldestAgeSeconds: 90 });
  });

  it('gives an age of 0 for an empty queue, and never a negative one (a replica’s clock behind)', () => {
    expect(queueGauges({ queueDepth: 0, oldestQueuedAt: null, keys: [] }, 1090)).toEqual({ depth: 0, oldestAgeSeconds: 0 });
    expect(queueGauges({ queueDepth: 1, oldestQueuedAt: 2000, keys: [] }, 1090).oldestAgeSeconds).toBe(0);
  });
});

describe(keyGauges.name, () => {
  const active = { kid: 'a', state: 'active', createdAt: 1000, usableFrom: 1000 };
  const retired = { kid: 'r', state: 'retired', createdAt: 500, usableFrom: 500 };

  it('gives each key’s age and the count by state', () => {
    const gauges = keyGauges([retired, active], 4000);
    expect(gauges.ages).toEqual([
      { kid: 'r', state: 'retired', seconds: 3500 },
      { kid: 'a', state: 'active', seconds: 3000 },
    ]);
    expect([...gauges.countsByState]).toEqual([
      ['retired', 1],
      ['active', 1],
    ]);
  });

  it('names the next key usable soonest and the seconds until it may be activated, 0 once it may', () => {
    const later = { kid: 'n2', state: 'next', createdAt: 3000, usableFrom: 9000 };
    const sooner = { kid: 'n1', state: 'next', createdAt: 2000, usableFrom: 5000 };
    expect(keyGauges([active, later, sooner], 4000).nextActivation).toEqual({ kid: 'n1', seconds: 1000 });
    expect(keyGauges([active, sooner], 6000).nextActivation).toEqual({ kid: 'n1', seconds: 0 });
  });

  it('has no next activation when no key is staged', () => {
    expect(keyGauges([active, retired], 4000).nextActivation).toBeNull();
  });
});

describe(poolGauges.name, () => {
  it('reports pg’s total, idle and waiting clients and the pool size', () => {
    expect(poolGauges({ totalCount: 4, idleCount: 1, waitingCount: 2, options: { max: 10 } })).toEqual({
      max: 10,
      total: 4,
      idle: 1,
      waiting: 2,
    });
  });
});
