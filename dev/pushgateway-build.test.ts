import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PUSHGATEWAY_GO_MISSING_HINT,
  ensurePushgatewayBinary,
  isPushgatewayFresh,
  pushgatewayLdflags,
  pushgatewayPaths,
  pushgatewayVersion,
} from './pushgateway-build.js';

describe('the Pushgateway build', () => {
  it('finds test/peers/pushgateway and caches the binary beside the other peers', () => {
    const paths = pushgatewayPaths('/tmp/c');
    expect(paths.source).toMatch(/test\/peers\/pushgateway$/);
    expect(paths.binary).toBe('/tmp/c/bin/pushgateway');
  });

  it('pins Pushgateway v1.11.5 as a tool of our go.mod, and links that version in', () => {
    const goMod = readFileSync(join(pushgatewayPaths().source, 'go.mod'), 'utf8');
    expect(pushgatewayVersion(goMod)).toBe('v1.11.5');
    expect(goMod).toMatch(/^tool github\.com\/prometheus\/pushgateway$/m);
    expect(pushgatewayLdflags('v1.11.5')).toContain(
      '-X github.com/prometheus/common/version.Version=1.11.5',
    );
    expect(() => pushgatewayVersion('module x\n')).toThrow(
      'test/peers/pushgateway/go.mod does not require github.com/prometheus/pushgateway',
    );
  });

  it('reuses the binary only while it is newer than go.mod and go.sum', () => {
    const root = mkdtempSync(join(tmpdir(), 'secretsync-pushgateway-'));
    const paths = { source: join(root, 'src'), cache: root, binary: join(root, 'bin/pushgateway') };
    mkdirSync(paths.source);
    mkdirSync(join(root, 'bin'));
    const past = new Date(Date.now() - 60_000);
    for (const file of ['go.mod', 'go.sum']) {
      writeFileSync(join(paths.source, file), '');
      utimesSync(join(paths.source, file), past, past);
    }
    expect(isPushgatewayFresh(paths)).toBe(false);
    writeFileSync(paths.binary, '');
    expect(isPushgatewayFresh(paths)).toBe(true);
    utimesSync(join(paths.source, 'go.sum'), new Date(), new Date(Date.now() + 60_000));
    expect(isPushgatewayFresh(paths)).toBe(false);
  });

  it('says clearly that Go is missing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'secretsync-pushgateway-'));
    const paths = { source: root, cache: root, binary: join(root, 'bin/pushgateway') };
    await expect(
      ensurePushgatewayBinary(paths, undefined, { PATH: '/nonexistent' }),
    ).rejects.toThrow(PUSHGATEWAY_GO_MISSING_HINT);
  });
});
