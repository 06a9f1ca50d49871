// @ts-check
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layer rules (docs/adr/0001 and 0005): dependencies point inward. The
 * table in eslint.layers.json names each folder of src/ and the folders it may import, with the
 * reason shown to whoever breaks the rule; every other folder of src/ is forbidden to it.
 * test/repo/import-graph.test.ts checks the same table (and the absence of cycles) on the graph.
 *
 * @type {{ layers: { folder: string; mayImport: string[]; why: string }[] }}
 */
const { layers } = JSON.parse(readFileSync(new URL('eslint.layers.json', import.meta.url), 'utf8'));
const folders = layers.map((layer) => layer.folder);

const NO_CHILD_PROCESS = 'Requirement 10: src/ starts no child processes.';

/** Shell execution is banned everywhere (requirement 10). */
const shellImportBan = ['child_process', 'node:child_process'].map((name) => ({
  name,
  importNames: ['exec', 'execSync'],
  message: 'Requirement 10: no shell. Use execFile/spawn with an argument array.',
}));

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

const THROW_ERROR =
  'Throw a member of the error family in src/core/errors.ts (ConfigError, PlanError, DataError, UsageError, InternalError, …) or an OperationError: its stable `code` and `fault` decide the exit code and the JSON report, which a bare Error cannot.';
const errorFamilySyntax = [
  { selector: "ThrowStatement > NewExpression[callee.name='Error']", message: THROW_ERROR },
  { selector: "ThrowStatement > CallExpression[callee.name='Error']", message: THROW_ERROR },
];

/** Node modules that reach outside the process: files, network, processes, threads. */
const NODE_IO = [
  'fs',
  'fs/promises',
  'http',
  'https',
  'http2',
  'net',
  'tls',
  'dns',
  'dns/promises',
  'dgram',
  'cluster',
  'worker_threads',
  'readline',
  'inspector',
];
const IO_WHY =
  'This layer does no I/O (architecture.md): files and network belong to the adapters in src/clients/, the /metrics server in src/observability/, and the wiring in src/cli/ and src/main.ts. Take what you need through a port or an injected function.';
const SDK_WHY =
  'The AWS SDK lives in src/clients/aws/ only: the client factory installs the one call wrapper and adapters map the protocol, so no other layer depends on SDK shapes. Add or extend a port in src/pipeline/ports.ts instead.';

/**
 * The `@typescript-eslint/no-restricted-imports` options for one scope of src/.
 *
 * @param {{ folder?: string; io: 'all' | readonly string[]; sdk: 'all' | 'types' | 'none' }} scope
 *   `folder`: the layer (none for the root files); `io`: the node I/O modules it may import;
 *   `sdk`: the AWS SDK it may import (`types`: type-only imports of `@smithy/types`).
 */
function importBans({ folder, io, sdk }) {
  const layer = layers.find((entry) => entry.folder === folder);
  const allowedIo = io === 'all' ? NODE_IO : io;
  const paths = [
    ...['child_process', 'node:child_process'].map((name) => ({ name, message: NO_CHILD_PROCESS })),
    ...NODE_IO.filter((name) => !allowedIo.includes(name)).flatMap((name) =>
      [name, `node:${name}`].map((path) => ({ name: path, message: IO_WHY })),
    ),
  ];
  const patterns = [];
  if (layer !== undefined) {
    const forbidden = folders.filter(
      (name) =>
        name !== folder &&
        !layer.mayImport.some((entry) => entry === name || entry.startsWith(`${name}/`)),
    );
    if (forbidden.length > 0)
      patterns.push({ group: forbidden.map((name) => `**/${name}/*`), message: layer.why });
    // `folder/file` entries allow that one file of an otherwise forbidden folder.
    for (const entry of layer.mayImport.filter((name) => name.includes('/'))) {
      const [parent] = entry.split('/');
      patterns.push({ group: [`**/${parent}/*`, `!**/${entry}.js`], message: layer.why });
    }
  }
  if (sdk === 'none') patterns.push({ group: ['@aws-sdk/*', '@smithy/*'], message: SDK_WHY });
  if (sdk === 'types') {
    patterns.push({ group: ['@aws-sdk/*', '@smithy/*', '!@smithy/types'], message: SDK_WHY });
    patterns.push({ group: ['@smithy/types'], allowTypeImports: true, message: SDK_WHY });
  }
  return ['error', { paths, patterns }];
}

/** What each folder of src/ may reach outside the process; unlisted folders reach nothing. */
const reach = {
  clients: { io: 'all', sdk: 'none' },
  observability: { io: ['http', 'net'], sdk: 'none' },
  // The one call wrapper may be typed against the SDK middleware interfaces it is installed as;
  // `import type` from @smithy/types is erased at build, so no SDK code runs there.
  resilience: { io: [], sdk: 'types' },
  cli: { io: 'all', sdk: 'none' },
};

/**
 * A built-in size rule with a message that says what to do: find a seam. A warning, not a gate
 * (`npm run lint` allows warnings): a long file or function is a prompt to split, not a failure.
 *
 * @param {string} name
 * @param {string} message
 */
function sizeRule(name, message) {
  const rule = builtinRules.get(name);
  if (rule === undefined) throw new TypeError(`ESLint has no rule ${name}`);
  return { ...rule, meta: { ...rule.meta, messages: { exceed: message } } };
}

const sizeRules = {
  rules: {
    'max-lines': sizeRule(
      'max-lines',
      'File has {{actual}} lines (house limit {{max}}, blank lines and comments not counted): it probably owns more than one concept. Find the seam (a type with the functions over it, one phase, one protocol mapping) and move it to its own kebab-case file named after it.',
    ),
    'max-lines-per-function': sizeRule(
      'max-lines-per-function',
      '{{name}} has {{lineCount}} lines (house limit {{maxLines}}, blank lines and comments not counted). Find the seam: name each step it takes as a function that starts with a verb, or turn a branchy mapping into a table.',
    ),
  },
};

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
    plugins: { house: sizeRules },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // strict forbids `!`; `as T` after a proven check is the lesser evil, so keep that style.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-restricted-imports': ['error', { paths: shellImportBan }],
      'no-restricted-syntax': ['error', ...shellSyntaxBan],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/main.ts'],
    rules: { 'no-console': 'error' },
  },
  // The root files (main.ts, action-main.ts) are the composition root: any I/O, no SDK.
  {
    files: ['src/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': importBans({ io: 'all', sdk: 'none' }) },
  },
  ...folders.map((folder) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': importBans({
        folder,
        ...(Object.hasOwn(reach, folder)
          ? reach[/** @type {keyof typeof reach} */ (folder)]
          : { io: [], sdk: 'none' }),
      }),
    },
  })),
  {
    files: ['src/clients/aws/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': importBans({
        folder: 'clients',
        io: 'all',
        sdk: 'all',
      }),
    },
  },
  // Loading a config reads one file; nothing else in config/ touches the file system.
  {
    files: ['src/config/load.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': importBans({
        folder: 'config',
        io: ['fs/promises'],
        sdk: 'none',
      }),
    },
  },
  // Tests beside the code keep the layer order but may read fixtures and build SDK fakes.
  ...folders.map((folder) => ({
    files: [`src/${folder}/**/*.test.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': importBans({ folder, io: 'all', sdk: 'all' }),
    },
  })),
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...shellSyntaxBan, ...errorFamilySyntax],
      'house/max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
      'house/max-lines-per-function': [
        'warn',
        { max: 40, skipBlankLines: true, skipComments: true, IIFEs: true },
      ],
    },
  },
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
