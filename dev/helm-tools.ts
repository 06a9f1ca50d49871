import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertGoInstalled,
  isNewerThanSources,
  peerLocation,
  requiredVersion,
  runGo,
} from './go-build.js';

/**
 * helm and our manifest validator (test/peers/helm), built from Go modules and cached in
 * .cache/peers/bin like the real Vault peer: the chart checks of `npm run test:helm` use them.
 */
export interface HelmToolPaths {
  /** test/peers/helm: go.mod, go.sum and manifestcheck/main.go. */
  readonly source: string;
  /** .cache/peers: the binaries and the build log. */
  readonly cache: string;
  readonly helm: string;
  readonly manifestcheck: string;
}

/** The versions test/peers/helm/go.mod pins. */
export interface HelmToolVersions {
  /** helm.sh/helm/v3, e.g. v3.21.4. */
  readonly helm: string;
  /** k8s.io/client-go (and k8s.io/api), e.g. v0.36.2: Kubernetes 1.36. */
  readonly kubernetesModules: string;
  /** The Kubernetes minor release those modules are, e.g. 36. */
  readonly kubernetesMinor: string;
}

/** What a machine without Go is told. */
export const HELM_GO_MISSING_HINT =
  'Go is not installed (no `go` on PATH): helm and the manifest validator of the chart checks ' +
  'are built from Go modules (test/peers/helm). Install Go 1.26 or later.';

const SOURCES = ['go.mod', 'go.sum', 'manifestcheck/main.go'] as const;
const HELM_PACKAGE = 'helm.sh/helm/v3/cmd/helm';

/** The tools' paths, found from the sources (dev/) and from the build (dist/dev/). */
export function helmToolPaths(cacheDir?: string): HelmToolPaths {
  const { source, cache } = peerLocation('helm', cacheDir);
  return {
    source,
    cache,
    helm: join(cache, 'bin/helm'),
    manifestcheck: join(cache, 'bin/manifestcheck'),
  };
}

/** True when both binaries exist and are newer than every source file. */
export function areHelmToolsFresh(paths: HelmToolPaths): boolean {
  const sources = SOURCES.map((file) => join(paths.source, file));
  return [paths.helm, paths.manifestcheck].every((binary) => isNewerThanSources(binary, sources));
}

/** Reads the pinned versions from go.mod (its require lines). */
export function helmToolVersions(goMod: string): HelmToolVersions {
  const version = (module: string): string =>
    requiredVersion(goMod, module, 'test/peers/helm/go.mod');
  const kubernetesModules = version('k8s.io/client-go');
  const minor = /^v0\.(\d+)\./.exec(kubernetesModules)?.[1];
  if (minor === undefined)
    throw new Error(`unexpected k8s.io/client-go version ${kubernetesModules}`);
  return { helm: version('helm.sh/helm/v3'), kubernetesModules, kubernetesMinor: minor };
}

/**
 * helm's link flags, as its Makefile sets them: its version, and the Kubernetes release its
 * client-go is (helm's default .Capabilities.KubeVersion and lint's deprecation checks).
 */
export function helmLdflags(versions: HelmToolVersions): string {
  return [
    '-s -w',
    `-X helm.sh/helm/v3/internal/version.version=${versions.helm}`,
    ...['helm.sh/helm/v3/pkg/lint/rules', 'helm.sh/helm/v3/pkg/chartutil'].flatMap((pkg) => [
      `-X ${pkg}.k8sVersionMajor=1`,
      `-X ${pkg}.k8sVersionMinor=${versions.kubernetesMinor}`,
    ]),
  ].join(' ');
}

/** Builds helm and manifestcheck unless fresh binaries are cached; resolves to their paths. */
export async function ensureHelmTools(
  paths: HelmToolPaths = helmToolPaths(),
  log: (line: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<HelmToolPaths> {
  if (areHelmToolsFresh(paths)) return paths;
  await assertGoInstalled(env, HELM_GO_MISSING_HINT);
  const versions = helmToolVersions(readFileSync(join(paths.source, 'go.mod'), 'utf8'));
  mkdirSync(join(paths.cache, 'bin'), { recursive: true });
  const scratch = mkdtempSync(join(paths.cache, 'helm-build-'));
  log(`building helm ${versions.helm} and manifestcheck (cold: several minutes)…`);
  const started = Date.now();
  try {
    const flags = [
      '-mod=readonly',
      '-buildvcs=false',
      '-trimpath',
      '-ldflags',
      helmLdflags(versions),
    ];
    // One `go build` for both: they share most packages, and -o into a folder takes several mains.
    const targets = [HELM_PACKAGE, './manifestcheck'];
    const buildEnv = { ...env, CGO_ENABLED: '0' };
    const output = await runGo(
      ['build', ...flags, '-o', `${scratch}/`, ...targets],
      buildEnv,
      paths.source,
    );
    writeFileSync(join(paths.cache, 'helm-build.log'), output);
    // rename is atomic, so a concurrent reader never sees half a binary.
    renameSync(join(scratch, 'manifestcheck'), paths.manifestcheck);
    renameSync(join(scratch, 'helm'), paths.helm);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  log(
    `built ${paths.helm} and ${paths.manifestcheck} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  return paths;
}
