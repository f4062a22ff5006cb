import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTANCE_METADATA, LANYARD_VERSION } from './instance-metadata';

describe('INSTANCE_METADATA', () => {
  it('names the Lanyard release package.json states', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as { version: string };
    expect(LANYARD_VERSION).toBe(manifest.version);
  });

  it('has exactly the fields of GitLab 18’s Entities::Metadata', () => {
    expect(INSTANCE_METADATA).toEqual({
      version: '18.0.0',
      revision: `lanyard-${LANYARD_VERSION}`,
      kas: { enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null },
      enterprise: false,
    });
  });
});
