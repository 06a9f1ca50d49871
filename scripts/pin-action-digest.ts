import { readFileSync, writeFileSync } from 'node:fs';
import { pinActionDigest } from './action-digest.js';

// Release workflow: `node dist/scripts/pin-action-digest.js sha256:<hex>` pins action.yml to the
// image digest just pushed. Run from the repository root.
const digest = process.argv[2] ?? '';
const path = 'action.yml';
writeFileSync(path, pinActionDigest(readFileSync(path, 'utf8'), digest));
process.stdout.write(`pinned ${path} to ${digest}\n`);
