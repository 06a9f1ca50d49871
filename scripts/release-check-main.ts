import { checkRelease, renderReleaseCheck } from './release-check.js';

// Release workflow: `node dist/scripts/release-check-main.js <X.Y.Z> <image> [--dry-run]`, run from
// the repository root. Prints GitHub annotations and the plan; exits 1 when the release must stop.
const [version = '', image = 'ghcr.io/extended-data-library/secretsync', ...flags] =
  process.argv.slice(2);
const dryRun = flags.includes('--dry-run');
const { text, code } = renderReleaseCheck(checkRelease('.', version, image), dryRun);
process.stdout.write(text);
process.exitCode = code;
