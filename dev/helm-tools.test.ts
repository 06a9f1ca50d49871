import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HELM_GO_MISSING_HINT,
  areHelmToolsFresh,
  ensureHelmTools,
  helmLdflags,
  helmToolPaths,
  helmToolVersions,
} from './helm-tools.js';

function fakeTools() {
  const root = mkdtempSync(join(tmpdir(), 'secretsync-helm-tools-'));
  const source = join(root, 'src');
  mkdirSync(join(source, 'manifestcheck'), { recursive: true });
  for (const file of ['go.mod', 'go.sum', 'manifestcheck/main.go'])
    writeFileSync(join(source, file), '');
  const cache = join(root, 'cache');
  return {
    source,
    cache,
    helm: join(cache, 'bin/helm'),
    manifestcheck: join(cache, 'bin/manifestcheck'),
  };
}

describe('the helm tools build', () => {
  it('finds the sources from dev/ and caches the binaries beside the Vault peer', () => {
    const paths = helmToolPaths('/tmp/c');
    expect(paths.source).toMatch(/test\/peers\/helm$/);
    expect([paths.helm, paths.manifestcheck]).toEqual([
      '/tmp/c/bin/helm',
      '/tmp/c/bin/manifestcheck',
    ]);
  });

  it('reads the pinned helm and Kubernetes versions from our go.mod', () => {
    const goMod = readFileSync(join(helmToolPaths().source, 'go.mod'), 'utf8');
    const versions = helmToolVersions(goMod);
    expect(versions).toEqual({
      helm: 'v3.21.4',
      kubernetesModules: 'v0.36.2',
      kubernetesMinor: '36',
    });
    // k8s.io/api (the types manifestcheck decodes into) is at the same release as client-go.
    expect(goMod).toMatch(/^\s+k8s\.io\/api v0\.36\.2\b/m);
    expect(goMod).toMatch(/^tool helm\.sh\/helm\/v3\/cmd\/helm$/m);
  });

  it('says which module go.mod lacks', () => {
    expect(() => helmToolVersions('module x\n')).toThrow('test/peers/helm/go.mod does not require');
  });

  it("links helm with its version and its client-go's Kubernetes release, as its Makefile does", () => {
    const flags = helmLdflags({
      helm: 'v3.21.4',
      kubernetesModules: 'v0.36.2',
      kubernetesMinor: '36',
    });
    expect(flags).toContain('-X helm.sh/helm/v3/internal/version.version=v3.21.4');
    expect(flags).toContain('-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=36');
    expect(flags).toContain('-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1');
  });

  it('reuses the binaries only while both are newer than every source', () => {
    const paths = fakeTools();
    expect(areHelmToolsFresh(paths)).toBe(false);
    mkdirSync(join(paths.cache, 'bin'), { recursive: true });
    writeFileSync(paths.helm, '');
    const past = new Date(Date.now() - 60_000);
    for (const file of ['go.mod', 'go.sum', 'manifestcheck/main.go'])
      utimesSync(join(paths.source, file), past, past);
    expect(areHelmToolsFresh(paths)).toBe(false);
    writeFileSync(paths.manifestcheck, '');
    expect(areHelmToolsFresh(paths)).toBe(true);
    utimesSync(join(paths.source, 'go.sum'), new Date(), new Date(Date.now() + 60_000));
    expect(areHelmToolsFresh(paths)).toBe(false);
  });

  it('says clearly that Go is missing', async () => {
    await expect(ensureHelmTools(fakeTools(), undefined, { PATH: '/nonexistent' })).rejects.toThrow(
      HELM_GO_MISSING_HINT,
    );
  });
});
