import { PIPELINE_SOURCES, sourceKeywords } from '../index';

describe(sourceKeywords.name, () => {
  // A closed list: a new source is a deliberate change.
  it('lists every pipeline source with the only/except keywords it answers to', () => {
    expect(Object.fromEntries(PIPELINE_SOURCES.map((source) => [source, sourceKeywords(source)]))).toEqual({
      unknown: ['unknown', 'unknowns'],
      push: ['push', 'pushes'],
      web: ['web', 'webs'],
      trigger: ['trigger', 'triggers'],
      schedule: ['schedule', 'schedules'],
      api: ['api', 'apis'],
      external: ['external', 'externals'],
      pipeline: ['pipeline', 'pipelines'],
      chat: ['chat', 'chats'],
      webide: ['webide', 'webides'],
      merge_request_event: ['merge_request', 'merge_requests'],
      external_pull_request_event: ['external_pull_request', 'external_pull_requests'],
      parent_pipeline: ['parent_pipeline', 'parent_pipelines'],
      ondemand_dast_scan: ['ondemand_dast_scan', 'ondemand_dast_scans'],
      ondemand_dast_validation: ['ondemand_dast_validation', 'ondemand_dast_validations'],
      security_orchestration_policy: ['security_orchestration_policy', 'security_orchestration_policies'],
      container_registry_push: ['container_registry_push', 'container_registry_pushes'],
      duo_workflow: ['duo_workflow', 'duo_workflows'],
      pipeline_execution_policy_schedule: ['pipeline_execution_policy_schedule', 'pipeline_execution_policy_schedules'],
    });
  });
});
