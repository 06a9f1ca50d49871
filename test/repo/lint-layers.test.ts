import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of eslint.config.js, proved on probe files that exist only in memory. The rules
// under test are syntactic, so type-aware rules are switched off for the probe path (the
// TypeScript project does not know the file); everything else runs as on real files.

const RULES = [
  '@typescript-eslint/no-restricted-imports',
  'no-restricted-syntax',
  'house/max-lines',
  'house/max-lines-per-function',
];

interface Finding {
  readonly rule: string;
  readonly severity: number;
  readonly message: string;
}

/** What the layer, I/O, SDK, error and size rules say about `code` placed at `filePath`. */
async function lint(filePath: string, ...lines: string[]): Promise<Finding[]> {
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfig: [{ files: [filePath], ...tseslint.configs.disableTypeChecked }],
  });
  const [result] = await eslint.lintText(`${lines.join('\n')}\n`, { filePath });
  return (result?.messages ?? [])
    .filter((message) => RULES.includes(message.ruleId ?? ''))
    .map((message) => ({
      rule: message.ruleId ?? '',
      severity: message.severity,
      message: message.message,
    }));
}

/** The one finding, after checking there is exactly one and it comes from `rule`. */
function only(findings: Finding[], rule: string): Finding {
  expect(findings.map((finding) => finding.rule)).toEqual([rule]);
  return findings[0] as Finding;
}

const IMPORTS = '@typescript-eslint/no-restricted-imports';

describe('lint: layer rules fire on probe files', () => {
  it('pipeline/ importing the AWS SDK is an error that sends the SDK to clients/aws/', async () => {
    const finding = only(
      await lint(
        'src/pipeline/probe.ts',
        "import { STSClient } from '@aws-sdk/client-sts';",
        'export const client = new STSClient({});',
      ),
      IMPORTS,
    );
    expect(finding.severity).toBe(2);
    expect(finding.message).toContain('The AWS SDK lives in src/clients/aws/ only');
  });

  it('pipeline/ importing node:https is an error that names where I/O belongs', async () => {
    const finding = only(
      await lint(
        'src/pipeline/probe.ts',
        "import { request } from 'node:https';",
        'export const send = request;',
      ),
      IMPORTS,
    );
    expect(finding.message).toContain('This layer does no I/O');
  });

  it('pipeline/ throwing a bare Error is an error that names the error family', async () => {
    const findings = await lint(
      'src/pipeline/probe.ts',
      '/** Fails. */',
      'export function fail(): never {',
      "  throw new Error('no');",
      '}',
      '/** Fails too. */',
      'export function failAgain(): never {',
      "  throw Error('no');",
      '}',
    );
    expect(findings.map((finding) => finding.rule)).toEqual([
      'no-restricted-syntax',
      'no-restricted-syntax',
    ]);
    expect(findings[0]?.message).toContain('src/core/errors.ts');
  });

  it('core/ importing node:fs (or fs/promises) is an error', async () => {
    for (const module of ['node:fs', 'fs', 'node:fs/promises']) {
      const finding = only(
        await lint(
          'src/core/probe.ts',
          `import { readFileSync } from '${module}';`,
          'export const read = readFileSync;',
        ),
        IMPORTS,
      );
      expect(finding.message).toContain('This layer does no I/O');
    }
  });

  it('clients/ importing plan/ is an error that points at core/', async () => {
    const finding = only(
      await lint(
        'src/clients/aws/probe.ts',
        "import { buildTargetGraph } from '../../plan/target-graph.js';",
        'export const plan = buildTargetGraph;',
      ),
      IMPORTS,
    );
    expect(finding.message).toContain('shared domain logic belongs in core/');
  });

  it('clients/ may import pipeline/ports.ts but no other file of pipeline/', async () => {
    expect(
      await lint(
        'src/clients/vault/probe.ts',
        "import type { MergeStore } from '../../pipeline/ports.js';",
        'export type Store = MergeStore;',
      ),
    ).toEqual([]);
    only(
      await lint(
        'src/clients/vault/probe.ts',
        "import { runPipeline } from '../../pipeline/run-pipeline.js';",
        'export const run = runPipeline;',
      ),
      IMPORTS,
    );
  });

  it('core/ importing config/ (an outer layer) is an error with the layer reason', async () => {
    const finding = only(
      await lint(
        'src/core/probe.ts',
        "import type { Config } from '../config/types.js';",
        'export type C = Config;',
      ),
      IMPORTS,
    );
    expect(finding.message).toContain('core/ is pure domain code');
  });

  it('resilience/ may import @smithy/types for types only, and nothing else of the SDK', async () => {
    expect(
      await lint(
        'src/resilience/probe.ts',
        "import type { FinalizeHandler } from '@smithy/types';",
        'export type Handler = FinalizeHandler<object, object>;',
      ),
    ).toEqual([]);
    const findings = await lint(
      'src/resilience/probe.ts',
      "import { SMITHY_CONTEXT_KEY } from '@smithy/types';",
      "import { S3Client } from '@aws-sdk/client-s3';",
      'export const pair = [SMITHY_CONTEXT_KEY, S3Client];',
    );
    expect(findings.map((finding) => finding.rule)).toEqual([IMPORTS, IMPORTS]);
  });

  it('only config/load.ts of config/ reads files', async () => {
    const code = ["import { readFile } from 'node:fs/promises';", 'export const read = readFile;'];
    expect(await lint('src/config/load.ts', ...code)).toEqual([]);
    only(await lint('src/config/probe.ts', ...code), IMPORTS);
  });

  it('a legal adapter and a legal pipeline file pass', async () => {
    expect(
      await lint(
        'src/clients/aws/probe.ts',
        "import { request } from 'node:https';",
        "import { STSClient } from '@aws-sdk/client-sts';",
        "import { DataError } from '../../core/errors.js';",
        "import type { MergeStore } from '../../pipeline/ports.js';",
        'export type Store = MergeStore;',
        '/** Builds a client. */',
        'export function build(ok: boolean): STSClient {',
        "  if (!ok) throw new DataError('no');",
        '  void request;',
        '  return new STSClient({});',
        '}',
      ),
    ).toEqual([]);
    expect(
      await lint(
        'src/pipeline/probe.ts',
        "import { randomUUID } from 'node:crypto';",
        "import { PlanError } from '../core/errors.js';",
        "import { compareText } from '../core/account-filters.js';",
        '/** Checks. */',
        'export function check(a: string): string {',
        "  if (compareText(a, 'b') > 0) throw new PlanError('no');",
        '  return randomUUID();',
        '}',
      ),
    ).toEqual([]);
  });

  it('tests beside the code may read fixtures and throw plain errors, but keep the layer order', async () => {
    expect(
      await lint(
        'src/core/probe.test.ts',
        "import { readFileSync } from 'node:fs';",
        "if (readFileSync('x', 'utf8') === '') throw new Error('empty fixture');",
      ),
    ).toEqual([]);
    only(
      await lint(
        'src/core/probe.test.ts',
        "import type { Config } from '../config/types.js';",
        'export type C = Config;',
      ),
      IMPORTS,
    );
  });
});

describe('lint: size rules warn and point at a seam', () => {
  it('a function over 40 lines and a file over 300 lines are warnings, not errors', async () => {
    const body = Array.from({ length: 41 }, (_, index) => `  total += ${index};`);
    const longFunction = [
      '/** Sums. */',
      'export function sum(): number {',
      '  let total = 0;',
      ...body,
      '  return total;',
      '}',
    ];
    const filler = Array.from({ length: 300 }, (_, index) => `export const c${index} = ${index};`);
    const findings = await lint('src/core/probe.ts', ...longFunction, ...filler);
    expect(findings.map(({ rule, severity }) => [rule, severity])).toEqual([
      ['house/max-lines-per-function', 1],
      ['house/max-lines', 1],
    ]);
    for (const { message } of findings) expect(message).toContain('Find the seam');
  });

  it('`npm run lint` lets warnings through', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.lint).toMatch(/eslint/);
    expect(scripts.lint).not.toMatch(/max-warnings/);
  });
});
