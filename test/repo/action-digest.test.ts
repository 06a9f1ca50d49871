import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ActionDigestError, pinActionDigest } from '../../scripts/action-digest.js';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

describe('pinActionDigest (release workflow)', () => {
  it('rewrites only the digest of the committed action.yml', () => {
    const before = readFileSync('action.yml', 'utf8');
    const after = pinActionDigest(before, DIGEST);
    expect(after).toContain(`/secretsync:v1@${DIGEST}\n`);
    const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    expect(changed).toHaveLength(1);
    expect(pinActionDigest(after, DIGEST)).toBe(after);
  });

  it('refuses anything but sha256 and 64 lowercase hex digits', () => {
    const action = readFileSync('action.yml', 'utf8');
    for (const bad of ['', 'latest', `sha256:${'A'.repeat(64)}`, `sha256:${'a'.repeat(63)}`])
      expect(() => pinActionDigest(action, bad)).toThrow(ActionDigestError);
    expect(() => pinActionDigest(action, `${DIGEST}\nimage: evil`)).toThrow(ActionDigestError);
  });

  it('refuses an action.yml without a digest-pinned image line', () => {
    expect(() => pinActionDigest('runs:\n  image: Dockerfile\n', DIGEST)).toThrow(
      'no `image: docker://...@sha256:<64 hex>` line',
    );
  });
});
