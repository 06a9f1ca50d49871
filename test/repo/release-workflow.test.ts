import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import { checkRelease, releaseNotesPath, renderReleaseCheck } from '../../scripts/release-check.js';

// The release workflow's dry run, exercised: its check step is run here exactly as the workflow
// runs it (the step's own script, with the workflow's environment), against this repository.

const run = promisify(execFile);
const IMAGE = 'ghcr.io/extended-data-library/secretsync';
const step = z
  .object({
    name: z.string().optional(),
    if: z.string().optional(),
    uses: z.string().optional(),
    run: z.string().optional(),
    with: z.record(z.string(), z.union([z.string(), z.boolean(), z.number()])).optional(),
  })
  .loose();
const workflow = z.object({
  on: z.object({
    workflow_dispatch: z.object({
      inputs: z
        .object({
          'dry-run': z.object({ type: z.literal('boolean'), default: z.literal(false) }).loose(),
        })
        .loose(),
    }),
  }),
  env: z.record(z.string(), z.string()),
  jobs: z.object({
    image: z.object({ steps: z.array(step) }).loose(),
    release: z.object({ if: z.string() }).loose(),
  }),
});
const release = workflow.parse(parse(readFileSync('.github/workflows/release.yml', 'utf8')));
const steps = release.jobs.image.steps;
const NOT_DRY = '${{ !inputs.dry-run }}';

/** Runs the workflow's check step as a runner would (bash, the step's env); returns its output. */
async function runCheckStep(dryRun: boolean, root = '.') {
  const check = steps.find((s) => s.name === 'Check the repository for the release');
  const dir = mkdtempSync(join(tmpdir(), 'secretsync-release-'));
  const script = join(dir, 'step.sh');
  writeFileSync(script, check?.run ?? 'exit 99');
  const env = {
    PATH: process.env.PATH ?? '',
    VERSION: packageJson.version,
    IMAGE,
    DRY_RUN: String(dryRun),
    GITHUB_ENV: join(dir, 'github-env'),
  };
  try {
    const { stdout } = await run('bash', ['-eo', 'pipefail', script], { env, cwd: root });
    return { code: 0, stdout, githubEnv: readFileSync(env.GITHUB_ENV, 'utf8') };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout + failed.stderr, githubEnv: '' };
  }
}

describe('release workflow', () => {
  it('builds linux/amd64 and linux/arm64 with provenance and an SBOM', () => {
    const build = steps.find((s) => s.uses === 'docker/build-push-action@v6');
    expect(build?.with).toMatchObject({
      platforms: 'linux/amd64,linux/arm64',
      provenance: 'mode=max',
      sbom: true,
      push: NOT_DRY,
    });
    expect(steps.map((s) => s.uses)).toContain('docker/setup-qemu-action@v3');
  });

  it('in a dry run logs in, pushes, smoke-tests, tags and publishes nothing', () => {
    expect(release.jobs.release.if).toBe(NOT_DRY);
    expect(steps.find((s) => s.uses === 'docker/login-action@v3')?.if).toBe(NOT_DRY);
    expect(steps.find((s) => s.name === 'Smoke-test the pushed image')?.if).toBe(NOT_DRY);
    expect(release.env.DRY_RUN).toBe('${{ inputs.dry-run }}');
  });

  it(`dry run for ${packageJson.version}: the check step passes and prints the plan`, async () => {
    const result = await runCheckStep(true);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Dry run: nothing is pushed, tagged or published. A release would:',
    );
    expect(result.stdout).toContain(`build ${IMAGE} for linux/amd64 and linux/arm64`);
    expect(result.stdout).not.toContain('::error::');
    expect(result.githubEnv).toMatch(/^SOURCE_DATE_EPOCH=\d+\n$/);
  });

  it('a real release is refused while a base image has no digest, naming the fix', async () => {
    const result = await runCheckStep(false);
    // The Dockerfile's base images carry tags only until someone with registry access pins them.
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /::error::Dockerfile: base image node:\S+ has no digest; pin it as/,
    );
  });

  it('the dry run stops on a version the repository does not carry', async () => {
    const root = mkdtempSync(join(tmpdir(), 'secretsync-release-repo-'));
    const files = [
      'action.yml',
      'Dockerfile',
      'CHANGELOG.md',
      'deploy',
      'docs/release-notes',
      'dist',
    ];
    for (const file of files) cpSync(file, join(root, file), { recursive: true });
    symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '9.9.9' }));
    const result = await runCheckStep(true, root);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `::error::package.json has version 9.9.9, not ${packageJson.version}`,
    );
  });
});

describe('checkRelease', () => {
  it('names every missing piece', () => {
    const check = checkRelease(mkdtempSync(join(tmpdir(), 'secretsync-empty-')), '1.2', IMAGE);
    expect(check.errors).toEqual(
      expect.arrayContaining([
        'the version "1.2" is not X.Y.Z',
        `${releaseNotesPath('1.2')} (the release notes) is missing`,
        'CHANGELOG.md has neither an [Unreleased] nor a [1.2] section',
      ]),
    );
    expect(renderReleaseCheck(check, true).code).toBe(1);
  });

  it('has release notes for this version that name it', () => {
    expect(readFileSync(releaseNotesPath(packageJson.version), 'utf8')).toContain(
      packageJson.version,
    );
  });
});
