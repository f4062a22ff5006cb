import fc from 'fast-check';
import { parseCiConfig } from './index';

/** YAML-ish text built from the keywords and shapes the parser reads, to reach deep into every entry. */
const KEYS = [
  'script',
  'image',
  'services',
  'before_script',
  'after_script',
  'artifacts',
  'reports',
  'junit',
  'cache',
  'key',
  'files',
  'tags',
  'when',
  'start_in',
  'allow_failure',
  'exit_codes',
  'retry',
  'max',
  'needs',
  'job',
  'optional',
  'dependencies',
  'coverage',
  'parallel',
  'matrix',
  'default',
  'stages',
  'extends',
  'variables',
  'inherit',
  'name',
  'paths',
  'rules',
];
const scalar = fc.oneof(
  fc.constantFrom(
    ...KEYS,
    'manual',
    'delayed',
    '1 week',
    '/a+/',
    '!reference [job, script]',
    '*a',
    '&a x',
    'true',
    '0',
    '3',
    '201',
    '-1',
    '""',
    '[]',
    '{}',
  ),
  fc.string({ maxLength: 6 }),
);
const value: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 4 })
      .map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
  ),
})).value;
const config = fc
  .array(fc.tuple(fc.constantFrom('job', 'other', '.hidden', 'default', 'image', 'stages', 'variables'), value), {
    minLength: 1,
    maxLength: 5,
  })
  .map((entries) => entries.map(([key, item]) => `${key}: ${item}`).join('\n'));

describe(`${parseCiConfig.name} (properties)`, () => {
  it('never throws and always answers with errors or jobs', () => {
    fc.assert(
      fc.property(config, (source) => {
        const result = parseCiConfig(source, { optInJwt: true });
        expect(result.valid).toBe(result.errors.length === 0);
        if (!result.valid) expect(result.jobs).toEqual([]);
        expect(result.errors).not.toContain('config could not be processed');
      }),
      { numRuns: 3000 },
    );
  });
});
