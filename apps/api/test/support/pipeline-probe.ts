import { client } from './resources';
import { TestApp, TestUser } from './test-app';

export interface PipelineSummary {
  id: number;
  ref: string;
  source: string;
  name: string | null;
}

/** Pipelines of one project through the API, as one user: which jobs each created, and what creating one answers. */
export function pipelineProbe(api: TestApp, owner: TestUser, projectId: number) {
  const probe = {
    async jobNames(pipelineId: number, project = projectId, who: TestUser = owner): Promise<string[]> {
      const jobs = (await client(api, who).get(`/projects/${project}/pipelines/${pipelineId}/jobs`).expect(200)).body as { name: string }[];
      return jobs.map((job) => job.name).sort();
    },
    pipelineFor(ref: string, who: TestUser = owner, project = projectId) {
      return client(api, who).post(`/projects/${project}/pipeline`, { ref });
    },
    async createdJobs(ref: string): Promise<string[]> {
      const response = await probe.pipelineFor(ref);
      if (response.status !== 201) throw new Error(`creating a pipeline for ${ref}: ${response.status} ${JSON.stringify(response.body)}`);
      return probe.jobNames(response.body.id);
    },
    /** Newest first. */
    async pipelines(project = projectId): Promise<PipelineSummary[]> {
      return (await client(api, owner).get(`/projects/${project}/pipelines?per_page=100`).expect(200)).body;
    },
    async branch(name: string, project = projectId, who: TestUser = owner): Promise<void> {
      await client(api, who).post(`/projects/${project}/repository/branches`, { branch: name, ref: 'main' }).expect(201);
    },
  };
  return probe;
}
