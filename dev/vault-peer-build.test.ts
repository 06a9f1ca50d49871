import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GO_MISSING_HINT,
  ensureVaultPeerBinary,
  isBinaryFresh,
  vaultPeerPaths,
} from './vault-peer-build.js';

function fakePeer() {
  const root = mkdtempSync(join(tmpdir(), 'secretsync-peer-'));
  const source = join(root, 'src');
  mkdirSync(source);
  for (const file of ['go.mod', 'go.sum', 'main.go']) writeFileSync(join(source, file), '');
  const cache = join(root, 'cache');
  return { source, cache, binary: join(cache, 'bin/vault-peer') };
}

describe('the real Vault peer build', () => {
  it('finds the peer sources from dev/', () => {
    expect(vaultPeerPaths('/tmp/c').source).toMatch(/test\/peers\/vault$/);
    expect(vaultPeerPaths('/tmp/c').binary).toBe('/tmp/c/bin/vault-peer');
  });

  it('reuses a binary only while it is newer than go.mod, go.sum and main.go', () => {
    const paths = fakePeer();
    expect(isBinaryFresh(paths)).toBe(false);
    mkdirSync(join(paths.cache, 'bin'), { recursive: true });
    writeFileSync(paths.binary, '');
    const past = new Date(Date.now() - 60_000);
    for (const file of ['go.mod', 'go.sum', 'main.go'])
      utimesSync(join(paths.source, file), past, past);
    expect(isBinaryFresh(paths)).toBe(true);
    utimesSync(join(paths.source, 'main.go'), new Date(), new Date(Date.now() + 60_000));
    expect(isBinaryFresh(paths)).toBe(false);
  });

  it('says clearly that Go is missing, and what to do instead', async () => {
    await expect(
      ensureVaultPeerBinary(fakePeer(), undefined, { PATH: '/nonexistent' }),
    ).rejects.toThrow(GO_MISSING_HINT);
    expect(GO_MISSING_HINT).toMatch(/Go is not installed.*Install Go/);
  });
});
