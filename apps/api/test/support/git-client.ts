import type { TestApp } from './test-app';

/** The runner's `PUT /jobs/:id` with success, which ends the job and its token. */
export async function finishJobAs(api: TestApp, jobId: number, jobToken: string): Promise<void> {
  await api.http.put(`/api/v4/jobs/${jobId}`).send({ token: jobToken, state: 'success' }).expect(200);
}
