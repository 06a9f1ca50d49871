// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layer rules (docs/adr/0001-typescript-layered-architecture.rst): dependencies point inward. Each
 * entry names a folder of src/ and the folders of src/ it must not import, with the reason shown to
 * whoever breaks the rule.
 */
const layers = [
  {
    folder: 'core',
    forbidden: [
      'config',
      'plan',
      'pipeline',
      'clients',
      'resilience',
      'observability',
      'context',
      'output',
      'cli',
    ],
    why: 'core/ is pure domain code: it imports nothing of ours.',
  },
  {
    folder: 'config',
    forbidden: [
      'plan',
      'pipeline',
      'clients',
      'resilience',
      'observability',
      'context',
      'output',
      'cli',
    ],
    why: 'config/ may only use core/: loading a config performs no I/O beyond reading the file.',
  },
  {
    folder: 'plan',
    forbidden: ['pipeline', 'clients', 'resilience', 'observability', 'context', 'output', 'cli'],
    why: 'plan/ is pure planning over core/ and config/ types.',
  },
  {
    folder: 'pipeline',
    forbidden: ['clients', 'resilience', 'observability', 'output', 'cli'],
    why: 'pipeline/ talks to the outside only through the ports in pipeline/ports.ts.',
  },
  {
    folder: 'output',
    forbidden: ['clients', 'resilience', 'cli'],
    why: 'formatters are pure report -> string functions.',
  },
  {
    folder: 'clients',
    forbidden: ['cli', 'output'],
    why: 'adapters implement ports; only main.ts and cli/ wire things together.',
  },
  {
    folder: 'resilience',
    forbidden: ['clients', 'pipeline', 'cli', 'output'],
    why: 'resilience/ wraps calls; it knows no adapter.',
  },
  {
    folder: 'observability',
    forbidden: ['clients', 'pipeline', 'cli', 'output', 'resilience'],
    why: 'observability/ is used by the wrapper, never the other way round.',
  },
  {
    folder: 'context',
    forbidden: ['clients', 'pipeline', 'cli', 'output', 'resilience', 'observability'],
    why: 'context/ carries request ids and renders errors; it depends on nothing above core/.',
  },
];

/** Shell execution is banned everywhere (requirement 10). */
const childProcessBan = {
  paths: ['child_process', 'node:child_process'].map((name) => ({
    name,
    importNames: ['exec', 'execSync'],
    message: 'Requirement 10: no shell. Use execFile/spawn with an argument array.',
  })),
};

const shellSyntaxBan = [
  {
    selector: "Property[key.name='shell'][value.value!=false]",
    message: 'Requirement 10: never start a child process with a shell.',
  },
  {
    selector:
      'CallExpression[callee.property.name=/^(exec|execSync)$/][callee.object.name=/child_process|cp/]',
    message: 'Requirement 10: no shell. Use execFile/spawn with an argument array.',
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.cache/', 'docs/_build/', 'schema/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // strict forbids `!`; `as T` after a proven check is the lesser evil, so keep that style.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', childProcessBan],
      'no-restricted-syntax': ['error', ...shellSyntaxBan],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/main.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...childProcessBan.paths,
            {
              name: 'child_process',
              message: 'Requirement 10: src/ starts no child processes.',
            },
            {
              name: 'node:child_process',
              message: 'Requirement 10: src/ starts no child processes.',
            },
          ],
        },
      ],
    },
  },
  ...layers.map(({ folder, forbidden, why }) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'child_process', message: 'Requirement 10: src/ starts no child processes.' },
            {
              name: 'node:child_process',
              message: 'Requirement 10: src/ starts no child processes.',
            },
          ],
          patterns: [{ group: forbidden.map((name) => `**/${name}/*`), message: why }],
        },
      ],
    },
  })),
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
