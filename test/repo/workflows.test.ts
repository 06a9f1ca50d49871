import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

// Requirements 8 and 9: actions by semantic version from verified publishers, every job under
// ten minutes, one docs workflow, Dependabot grouping minor and patch updates.

const WORKFLOWS = '.github/workflows';
/** Publishers GitHub marks as verified whose actions we use. */
const VERIFIED_OWNERS = ['actions', 'docker', 'github'];
/** `owner/repo[/path]@vN[.N[.N]]`: a semantic version tag, never a commit SHA or a branch. */
const USES = /^([A-Za-z0-9-]+)\/[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_./-]+)?@v\d+(?:\.\d+){0,2}$/;

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const step = z
  .object({
    name: z.string().optional(),
    id: z.string().optional(),
    if: z.string().optional(),
    uses: z.string().optional(),
    run: z.string().optional(),
    with: z.record(z.string(), scalar).optional(),
    env: z.record(z.string(), scalar).optional(),
  })
  .strict()
  .refine((s) => (s.uses === undefined) !== (s.run === undefined), {
    error: 'a step has exactly one of `uses` and `run`',
  });
const permissions = z.record(z.string(), z.enum(['read', 'write', 'none']));
const concurrency = z.object({ group: z.string(), 'cancel-in-progress': z.boolean() }).strict();
const job = z
  .object({
    name: z.string(),
    'runs-on': z.string(),
    'timeout-minutes': z.number().int().positive().max(10),
    needs: z.union([z.string(), z.array(z.string())]).optional(),
    if: z.string().optional(),
    permissions: permissions.optional(),
    strategy: z
      .object({
        'fail-fast': z.boolean().optional(),
        matrix: z.record(z.string(), z.array(scalar)),
      })
      .strict()
      .optional(),
    outputs: z.record(z.string(), z.string()).optional(),
    environment: z.object({ name: z.string(), url: z.string().optional() }).strict().optional(),
    concurrency: concurrency.optional(),
    steps: z.array(step).min(1),
  })
  .strict();
/** The shape of the workflows this repository uses (a JSON-Schema-style structural check). */
const workflow = z
  .object({
    name: z.string(),
    on: z.record(z.string(), z.unknown()),
    permissions,
    concurrency: concurrency.optional(),
    env: z.record(z.string(), z.string()).optional(),
    jobs: z.record(z.string(), job),
  })
  .strict();
type Workflow = z.infer<typeof workflow>;

const files = readdirSync(WORKFLOWS)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
const load = (name: string): Workflow =>
  workflow.parse(parse(readFileSync(join(WORKFLOWS, name), 'utf8')));
const steps = (flow: Workflow) => Object.values(flow.jobs).flatMap((j) => j.steps);

describe('GitHub workflows', () => {
  it('are ci, docs and release', () => {
    expect(files).toEqual(['ci.yml', 'docs.yml', 'release.yml']);
  });

  it.each(files)(
    '%s has the expected shape and a timeout of at most 10 minutes per job',
    (name) => {
      const flow = load(name);
      expect(Object.keys(flow.jobs).length).toBeGreaterThan(0);
    },
  );

  it.each(files)('%s uses actions by semantic version from verified publishers', (name) => {
    for (const { uses } of steps(load(name))) {
      if (uses === undefined) continue;
      const match = USES.exec(uses);
      expect(match, `${name}: ${uses} is not owner/repo@vN`).not.toBeNull();
      expect(VERIFIED_OWNERS, `${name}: ${uses}`).toContain(match?.[1]);
    }
  });

  it.each(files)('%s expands no expression inside a run script (script injection)', (name) => {
    for (const { run } of steps(load(name))) expect(run ?? '').not.toContain('${{');
  });

  it('rejects SHA pins, branches and unverified publishers', () => {
    expect('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683').not.toMatch(USES);
    expect('actions/checkout@main').not.toMatch(USES);
    expect(USES.exec('someone/action@v1')?.[1]).toBe('someone');
    expect(() =>
      workflow.parse({
        name: 'x',
        on: { push: null },
        permissions: {},
        jobs: { a: { name: 'a', 'runs-on': 'ubuntu-24.04', 'timeout-minutes': 30, steps: [] } },
      }),
    ).toThrow();
  });

  it('CI lints, typechecks and tests on Node.js 20, 22 and 24 with moto', () => {
    const ci = load('ci.yml');
    expect(ci.jobs.test?.strategy?.matrix.node).toEqual([20, 22, 24]);
    const runs = steps(ci).map((s) => s.run ?? '');
    for (const command of ['npm run lint', 'npm run typecheck', 'npm test'])
      expect(runs).toContain(command);
    expect(runs.some((run) => run.includes('moto[server]'))).toBe(true);
  });

  it('docs is the one docs workflow: PR build with warnings as errors, Pages from main', () => {
    const docs = load('docs.yml');
    expect(Object.keys(docs.on).sort()).toEqual(['pull_request', 'push', 'workflow_dispatch']);
    const runs = steps(docs).map((s) => s.run ?? '');
    expect(runs).toContain('sphinx-build -W --keep-going -b html docs docs/_build/html');
    const uses = steps(docs).map((s) => s.uses ?? '');
    expect(uses).toContain('actions/upload-pages-artifact@v3');
    expect(uses).toContain('actions/deploy-pages@v4');
    const python = steps(docs).find((s) => s.uses?.startsWith('actions/setup-python@'));
    expect(python?.with?.cache).toBe('pip');
    expect(docs.jobs.deploy?.if).toContain("github.ref == 'refs/heads/main'");
    for (const other of ['ci.yml', 'release.yml'])
      expect(steps(load(other)).some((s) => (s.run ?? '').includes('sphinx-build'))).toBe(false);
  });

  it('release builds and pushes the image, then pins the action to its digest', () => {
    const release = load('release.yml');
    const all = steps(release);
    expect(all.map((s) => s.uses)).toContain('docker/build-push-action@v6');
    expect(all.some((s) => (s.run ?? '').includes('pin-action-digest.js'))).toBe(true);
  });
});

const dependabot = z
  .object({
    version: z.literal(2),
    updates: z.array(
      z
        .object({
          'package-ecosystem': z.string(),
          directory: z.string(),
          schedule: z.object({ interval: z.string() }),
          'open-pull-requests-limit': z.number().optional(),
          groups: z.record(
            z.string(),
            z.object({ 'update-types': z.array(z.enum(['minor', 'patch', 'major'])) }).strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

describe('Dependabot', () => {
  it('updates npm, GitHub Actions, Docker and the helm Go module, grouping minor and patch updates', () => {
    const config = dependabot.parse(parse(readFileSync('.github/dependabot.yml', 'utf8')));
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual([
      'docker',
      'github-actions',
      'gomod',
      'npm',
    ]);
    const gomod = config.updates.find((u) => u['package-ecosystem'] === 'gomod');
    expect(gomod?.directory).toBe('/test/peers/helm');
    for (const update of config.updates)
      expect(Object.values(update.groups).map((g) => [...g['update-types']].sort())).toEqual([
        ['minor', 'patch'],
      ]);
  });
});
