import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { pinActionDigest } from './action-digest.js';
import { baseImages } from './dockerfile.js';

/**
 * The release workflow's first step, and all of its dry run: what must hold in the repository
 * before version X.Y.Z is built, tagged and published, and what the release would then do.
 */
export interface ReleaseCheck {
  /** Problems that stop a release (and a dry run). */
  readonly errors: readonly string[];
  /** Problems a dry run reports and a real release refuses (base images without a digest). */
  readonly releaseOnly: readonly string[];
  /** What the release would do, one line each. */
  readonly plan: readonly string[];
}

/** The release notes of version X.Y.Z, relative to the repository root. */
export const releaseNotesPath = (version: string): string => `docs/release-notes/${version}.rst`;

const VERSION = /^\d+\.\d+\.\d+$/;
/** A placeholder digest: the release pins the action to the image it pushes. */
const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`;

const chartMeta = z
  .object({ version: z.string().optional(), appVersion: z.string().optional() })
  .loose()
  .catch({});
const packageMeta = z.object({ version: z.string().optional() }).loose().catch({});

/** Checks the repository at `root` for releasing `version`. */
export function checkRelease(root: string, version: string, image: string): ReleaseCheck {
  const read = (path: string): string | undefined => {
    try {
      return readFileSync(join(root, path), 'utf8');
    } catch {
      return undefined;
    }
  };
  const errors: string[] = [];
  if (!VERSION.test(version)) errors.push(`the version "${version}" is not X.Y.Z`);
  const pkg = packageMeta.parse(parse(read('package.json') ?? '{}'));
  if (pkg.version !== version)
    errors.push(`package.json has version ${pkg.version}, not ${version}`);
  const chart = chartMeta.parse(parse(read('deploy/helm/secretsync/Chart.yaml') ?? '{}'));
  for (const key of ['version', 'appVersion'] as const)
    if (chart[key] !== version)
      errors.push(`deploy/helm/secretsync/Chart.yaml has ${key} ${chart[key]}, not ${version}`);
  if (
    !(read('CHANGELOG.md') ?? '').includes('## [Unreleased]') &&
    !(read('CHANGELOG.md') ?? '').includes(`## [${version}]`)
  )
    errors.push(`CHANGELOG.md has neither an [Unreleased] nor a [${version}] section`);
  const notes = read(releaseNotesPath(version));
  if (notes === undefined)
    errors.push(`${releaseNotesPath(version)} (the release notes) is missing`);
  else if (!notes.includes(version))
    errors.push(`${releaseNotesPath(version)} does not name ${version}`);
  const action = read('action.yml') ?? '';
  try {
    pinActionDigest(action, PLACEHOLDER_DIGEST);
  } catch (error) {
    errors.push(`action.yml cannot be pinned: ${(error as Error).message}`);
  }
  const releaseOnly = unpinnedBaseImages(read('Dockerfile') ?? '').map(
    (ref) =>
      `Dockerfile: base image ${ref} has no digest; pin it as ${ref}@sha256:<digest> ` +
      `(docker buildx imagetools inspect ${ref} shows the index digest)`,
  );
  const major = version.split('.')[0] ?? '';
  const plan = [
    `build ${image} for linux/amd64 and linux/arm64 with provenance and an SBOM`,
    `push tags ${version}, ${version.split('.').slice(0, 2).join('.')}, v${major}`,
    'pin action.yml to the pushed digest in a release commit',
    `tag v${version}, move v${major}, publish the GitHub release with ${releaseNotesPath(version)}`,
  ];
  return { errors, releaseOnly, plan };
}

/** Base images of the Dockerfile that carry a tag but no digest. */
export function unpinnedBaseImages(dockerfile: string): string[] {
  return baseImages(dockerfile).filter((ref) => !ref.includes('@sha256:'));
}

/** The report the workflow prints; the exit code is 1 when the release (or dry run) must stop. */
export function renderReleaseCheck(
  check: ReleaseCheck,
  dryRun: boolean,
): { text: string; code: number } {
  const refused = dryRun ? check.errors : [...check.errors, ...check.releaseOnly];
  const lines = [
    ...check.errors.map((e) => `::error::${e}`),
    ...check.releaseOnly.map((e) => `${dryRun ? '::warning::' : '::error::'}${e}`),
    dryRun
      ? 'Dry run: nothing is pushed, tagged or published. A release would:'
      : 'The release will:',
    ...check.plan.map((step) => `  - ${step}`),
  ];
  return { text: `${lines.join('\n')}\n`, code: refused.length > 0 ? 1 : 0 };
}
