import { createCiFixture } from './support/ci-fixtures';
import { QueryCounter } from './support/query-counter';
import { resources } from './support/resources';
import { runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';

/** The bench's pickup job: two ID tokens, one `aud` expanded from a variable. */
const TWO_TOKENS = `
default:
  id_tokens:
    VAULT_ID_TOKEN:
      aud: https://vault.example.com
    AWS_ID_TOKEN:
      aud: [sts.amazonaws.com, https://bench.example.com/$CI_PROJECT_PATH]
first:
  script: echo 1
second:
  script: echo 2
`;

/**
 * Round trips to the database for one `POST /jobs/request` that hands out a job with two ID tokens (BEGIN and
 * COMMIT included). A count, not a timing: it only moves when the pickup's SQL changes, so it guards the
 * "load, decide, write" shape of issue 10 against a query slipping back into the hot path.
 */
const MAX_ROUND_TRIPS = 24;

describe('pickup round trips', () => {
  let api: TestApp;
  const counter = new QueryCounter();

  beforeAll(async () => {
    counter.install();
    api = await startTestApp();
  });

  afterAll(() => api.close());

  it(`assigns a job with two ID tokens in at most ${MAX_ROUND_TRIPS} SQL round trips, the runner's first and later polls alike`, async () => {
    const owner = await createUser(api, 'round-trips');
    const group = await resources(api).group(owner);
    const fixture = await createCiFixture(api, TWO_TOKENS, { owner, groupId: group.id });
    await runPipeline(api, owner, fixture.projectId);

    for (let poll = 0; poll < 2; poll++) {
      counter.start();
      const job = await takeJob(api, fixture.runnerToken);
      const queries = counter.stop();
      expect(job.variables.filter((variable) => variable.key.endsWith('_ID_TOKEN'))).toHaveLength(2);
      expect(queries).toBeLessThanOrEqual(MAX_ROUND_TRIPS);
    }
  });
});
