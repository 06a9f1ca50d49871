import { join } from 'node:path';
import { assertGoInstalled, buildGoBinary, isNewerThanSources, peerLocation } from './go-build.js';

/** The real Vault the peer embeds: the last MPL-2.0 release (later ones are BUSL). */
export const VAULT_PEER_VERSION = '1.14.0';

/** Where the peer's sources and cached binary live. */
export interface VaultPeerPaths {
  /** test/peers/vault: go.mod, go.sum, main.go. */
  readonly source: string;
  /** .cache/peers: the binary and the build log. */
  readonly cache: string;
  readonly binary: string;
}

/** What a machine without Go is told. */
export const GO_MISSING_HINT =
  'Go is not installed (no `go` on PATH): the real Vault test peer (test/peers/vault) is built ' +
  'from Go modules. Install Go 1.22 or later, or use our Vault-compatible server instead ' +
  '(the default; drop `--vault real` / `npm run test:real-vault`).';

const SOURCES = ['go.mod', 'go.sum', 'main.go'] as const;

/** The peer's paths, found from the sources (dev/) and from the build (dist/dev/). */
export function vaultPeerPaths(cacheDir?: string): VaultPeerPaths {
  const { source, cache } = peerLocation('vault', cacheDir);
  return { source, cache, binary: join(cache, 'bin/vault-peer') };
}

/** True when the binary exists and is newer than every source file. */
export function isBinaryFresh(paths: VaultPeerPaths): boolean {
  return isNewerThanSources(
    paths.binary,
    SOURCES.map((file) => join(paths.source, file)),
  );
}

/** Builds the peer unless a fresh binary is cached; resolves to the binary's path. */
export async function ensureVaultPeerBinary(
  paths: VaultPeerPaths = vaultPeerPaths(),
  log: (line: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (isBinaryFresh(paths)) return paths.binary;
  await assertGoInstalled(env, GO_MISSING_HINT);
  log(`building the real Vault ${VAULT_PEER_VERSION} test peer (cold: several minutes)…`);
  const started = Date.now();
  const build = { source: paths.source, target: '.', binary: paths.binary, ldflags: ldflags() };
  await buildGoBinary({ ...build, logFile: join(paths.cache, 'build.log') }, env);
  log(`built ${paths.binary} in ${Math.round((Date.now() - started) / 1000)} s`);
  return paths.binary;
}

function ldflags(): string {
  const pkg = 'github.com/hashicorp/vault/version';
  return `-X ${pkg}.Version=${VAULT_PEER_VERSION} -X ${pkg}.GitCommit=v${VAULT_PEER_VERSION}`;
}
