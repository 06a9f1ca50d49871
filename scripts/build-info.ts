import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

// Writes dist/build-info.json for `secretsync version`. GIT_COMMIT and SOURCE_DATE_EPOCH win, so
// image builds without a .git folder stay reproducible.
function currentCommit(): string {
  if (process.env.GIT_COMMIT) return process.env.GIT_COMMIT;
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

const epoch = process.env.SOURCE_DATE_EPOCH;
const date = epoch ? new Date(Number(epoch) * 1000) : new Date();
const target = new URL('../build-info.json', import.meta.url);
writeFileSync(
  target,
  `${JSON.stringify({ commit: currentCommit(), date: date.toISOString() }, null, 2)}\n`,
);
