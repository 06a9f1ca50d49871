import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertGoInstalled,
  buildGoBinary,
  isNewerThanSources,
  peerLocation,
  requiredVersion,
} from './go-build.js';

/**
 * The real Prometheus Pushgateway the metrics-push tests push to: its main package
 * (github.com/prometheus/pushgateway, Apache-2.0) at the version test/peers/pushgateway/go.mod pins
 * as a tool, built from Go modules and cached in .cache/peers/bin like the real Vault peer.
 */
export const PUSHGATEWAY_MODULE = 'github.com/prometheus/pushgateway';

/** Where the Pushgateway's go.mod and cached binary live. */
export interface PushgatewayPaths {
  /** test/peers/pushgateway: go.mod and go.sum. */
  readonly source: string;
  /** .cache/peers: the binary and the build log. */
  readonly cache: string;
  readonly binary: string;
}

/** What a machine without Go is told. */
export const PUSHGATEWAY_GO_MISSING_HINT =
  'Go is not installed (no `go` on PATH): the Prometheus Pushgateway of the metrics-push tests is ' +
  'built from Go modules (test/peers/pushgateway). Install Go 1.26 or later.';

const SOURCES = ['go.mod', 'go.sum'] as const;

/** The Pushgateway's paths, found from the sources (dev/) and from the build (dist/dev/). */
export function pushgatewayPaths(cacheDir?: string): PushgatewayPaths {
  const { source, cache } = peerLocation('pushgateway', cacheDir);
  return { source, cache, binary: join(cache, 'bin/pushgateway') };
}

/** True when the binary exists and is newer than go.mod and go.sum. */
export function isPushgatewayFresh(paths: PushgatewayPaths): boolean {
  return isNewerThanSources(
    paths.binary,
    SOURCES.map((file) => join(paths.source, file)),
  );
}

/** The Pushgateway version our go.mod pins, e.g. v1.11.5. */
export function pushgatewayVersion(goMod: string): string {
  return requiredVersion(goMod, PUSHGATEWAY_MODULE, 'test/peers/pushgateway/go.mod');
}

/** Link flags as the Pushgateway's release build sets them, so `--version` names the release. */
export function pushgatewayLdflags(version: string): string {
  const pkg = 'github.com/prometheus/common/version';
  return `-s -w -X ${pkg}.Version=${version.replace(/^v/, '')} -X ${pkg}.Revision=${version}`;
}

/** Builds the Pushgateway unless a fresh binary is cached; resolves to the binary's path. */
export async function ensurePushgatewayBinary(
  paths: PushgatewayPaths = pushgatewayPaths(),
  log: (line: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (isPushgatewayFresh(paths)) return paths.binary;
  await assertGoInstalled(env, PUSHGATEWAY_GO_MISSING_HINT);
  const version = pushgatewayVersion(readFileSync(join(paths.source, 'go.mod'), 'utf8'));
  log(`building the Prometheus Pushgateway ${version} (cold: a few minutes)…`);
  const started = Date.now();
  await buildGoBinary(
    {
      source: paths.source,
      // The module is a main package at its root: go.mod requires it (a `tool` line), and
      // `go build` builds it by its package path.
      target: PUSHGATEWAY_MODULE,
      binary: paths.binary,
      ldflags: pushgatewayLdflags(version),
      logFile: join(paths.cache, 'pushgateway-build.log'),
    },
    { ...env, CGO_ENABLED: '0' },
  );
  log(`built ${paths.binary} in ${Math.round((Date.now() - started) / 1000)} s`);
  return paths.binary;
}
