import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  API_DOCS_PATH,
  apiSourceFiles,
  collectApi,
  renderApiReference,
} from '../../scripts/api-docs.js';
import { CONFIG_DOCS_PATH, renderConfigReference } from '../../scripts/config-docs.js';
import { JSON_SCHEMA_PATH } from '../../src/config/json-schema.js';
import { createMetrics } from '../../src/observability/metrics.js';

// The reference pages are generated and committed, like schema/secretsync.schema.json; these tests
// fail when they are stale. Regenerate with `npm run docs:generate`.

const REGENERATE = 'stale: run `npm run docs:generate` and commit the result';
const schema = (): unknown => JSON.parse(readFileSync(JSON_SCHEMA_PATH, 'utf8'));

describe('generated reference pages', () => {
  it(`${CONFIG_DOCS_PATH} matches the JSON Schema`, () => {
    expect(readFileSync(CONFIG_DOCS_PATH, 'utf8'), REGENERATE).toBe(
      renderConfigReference(schema()),
    );
  });

  it(`${API_DOCS_PATH} matches the TypeScript sources`, () => {
    expect(readFileSync(API_DOCS_PATH, 'utf8'), REGENERATE).toBe(
      renderApiReference(collectApi(apiSourceFiles('src'))),
    );
  });

  it('the configuration reference shows nested keys, maps, shorthands and recursion', () => {
    const page = renderConfigReference(schema());
    for (const row of [
      '``vault.auth.approle.role_id``',
      '``targets.<name>.delete_orphans``',
      '``aws.organizations.ous.<name>.children.<name>``',
    ])
      expect(page).toContain(row);
    expect(page).toContain('list of string or object');
    expect(page).toContain('same shape as ``aws.organizations.ous.<name>``');
    expect(page).toContain('One of ``debug``, ``info``, ``warn``, ``error``.');
  });

  it('the API reference lists exports with their TSDoc, escaped for RST', () => {
    const [module] = collectApi(['src/core/exit-code.ts']);
    expect(module?.symbols).toEqual([
      {
        name: 'CommandOutcome',
        kind: 'type',
        summary: 'How a command ended, as far as the exit code is concerned.',
      },
      {
        name: 'exitCodeFor',
        kind: 'function',
        summary: 'Maps an outcome to the process exit code.',
      },
    ]);
    const page = renderApiReference([
      {
        path: 'src/x/y.ts',
        symbols: [{ name: 'a_b', kind: 'const', summary: 'Uses `code` and *stars*.' }],
      },
    ]);
    expect(page).toContain('``a_b`` (const)\n   Uses ``code`` and \\*stars\\*.');
  });
});

describe('hand-written reference pages', () => {
  it('the metrics reference names every SecretSync metric with its labels', () => {
    const page = readFileSync('docs/reference/metrics.rst', 'utf8');
    const metrics = Object.entries(createMetrics())
      .filter(([key]) => key !== 'registry')
      .map(([, metric]) => metric);
    for (const metric of metrics) {
      const { name, labelNames } = metric as unknown as { name: string; labelNames: string[] };
      const row = new RegExp(`\\* - \`\`${name}\`\`\\n\\s+- \\w+\\n\\s+- (.*)\\n`).exec(page);
      expect(row, name).not.toBeNull();
      const labels =
        row?.[1] === '\\-' ? [] : (row?.[1] ?? '').split(', ').map((l) => l.slice(2, -2));
      expect(labels, name).toEqual([...labelNames]);
    }
  });

  it('the error reference names every SecretSyncError subclass', () => {
    const page = readFileSync('docs/reference/errors.rst', 'utf8');
    const classes = apiSourceFiles('src').flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/export class (\w+) extends SecretSyncError/g)].map(
        (match) => match[1] ?? '',
      ),
    );
    expect(classes.length).toBeGreaterThan(5);
    for (const name of classes) expect(page, name).toContain(`* - \`\`${name}\`\``);
  });
});
