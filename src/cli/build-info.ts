import { readFileSync } from 'node:fs';
import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };

/** What `secretsync version` reports. */
export interface BuildInfo {
  readonly version: string;
  readonly commit: string;
  readonly buildDate: string;
}

const buildInfoFile = z.object({ commit: z.string(), date: z.string() });

/** Reads the version from package.json and commit/date from the file the build writes. */
export function readBuildInfo(): BuildInfo {
  // dist/build-info.json is written by scripts/build-info.ts after compiling.
  const location = new URL('../../build-info.json', import.meta.url);
  let commit = 'unknown';
  let buildDate = 'unknown';
  try {
    const parsed = buildInfoFile.safeParse(JSON.parse(readFileSync(location, 'utf8')));
    if (parsed.success) ({ commit, date: buildDate } = parsed.data);
  } catch {
    // Running from source (tests): there is no build, so commit and date stay unknown.
  }
  return { version: packageJson.version, commit, buildDate };
}
