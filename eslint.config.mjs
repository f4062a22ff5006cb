import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Packages a pure domain library must never import: the libs stay free of framework, ORM and driver. */
const FRAMEWORK_PACKAGES = ['@nestjs/*', 'typeorm', 'pg', '@electric-sql/*', 'express'];

/** Reading the system clock directly: libs take time as an argument, the app injects the Clock. */
const CLOCK_READS = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Inject the clock.' },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Inject the clock.' },
];

export default [
  { ignores: ['node_modules/**', 'dist/**', 'tmp/**', '.data/**', '.nx/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: FRAMEWORK_PACKAGES,
            },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:migrations'] },
            { sourceTag: 'type:migrations', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-globals': ['error', { name: 'process', message: 'Domain libraries take configuration as input.' }],
      'no-restricted-syntax': ['error', ...CLOCK_READS],
    },
  },
  {
    // The app reads time through the injected Clock (apps/api/src/clock), so tests can freeze and advance it.
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/**/*.spec.ts'],
    rules: { 'no-restricted-syntax': ['error', ...CLOCK_READS] },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', globalThis: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
