import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dockerStages } from '../../scripts/dockerfile.js';

// The image's shape (requirement 4 and the multi-arch release): a build stage on the builder's
// own platform, a slim runtime stage per target platform that ends as the non-root user 1001.

const stages = dockerStages(readFileSync('Dockerfile', 'utf8'));
const [build, runtime] = stages;
const nodeVersion = (from: string | undefined) => /^node:(\d+\.\d+\.\d+)-/.exec(from ?? '')?.[1];

describe('Dockerfile', () => {
  it('has a build stage on the build platform and a slim runtime stage, last', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
    expect(build?.platform).toBe('$BUILDPLATFORM');
    expect(build?.from).toMatch(/^node:\d+\.\d+\.\d+-trixie(@sha256:[0-9a-f]{64})?$/);
    expect(runtime?.platform).toBeUndefined();
    expect(runtime?.from).toMatch(/^node:\d+\.\d+\.\d+-trixie-slim(@sha256:[0-9a-f]{64})?$/);
    expect(nodeVersion(runtime?.from)).toBe(nodeVersion(build?.from));
  });

  it('builds with the lockfile and takes only the compiled output into the runtime stage', () => {
    expect(build?.instructions).toContain('RUN npm ci --no-audit --no-fund');
    const fromBuild = (runtime?.instructions ?? []).filter((i) => i.startsWith('COPY --from='));
    expect(fromBuild.length).toBeGreaterThan(0);
    for (const copy of fromBuild)
      expect(copy).toMatch(/^COPY --from=build (\/src\/dist\/\S+ )+\.\/dist\/?\S*$/);
    const install = runtime?.instructions.find((i) => i.startsWith('RUN npm ci'));
    expect(install).toContain('npm ci --omit=dev --ignore-scripts');
    expect(install).toContain('rm -rf /usr/local/lib/node_modules/npm');
    for (const stage of stages)
      expect(stage.instructions.some((i) => i.startsWith('ADD '))).toBe(false);
  });

  it('runs as the unprivileged user 1001 from after the last RUN to the entrypoint', () => {
    const steps = runtime?.instructions ?? [];
    const users = steps.filter((i) => i.startsWith('USER '));
    expect(users).toEqual(['USER 1001:1001']);
    const userAt = steps.indexOf('USER 1001:1001');
    const lastRun = steps.map((i) => i.startsWith('RUN ')).lastIndexOf(true);
    expect(userAt).toBeGreaterThan(lastRun);
    const creates = steps.find((i) => i.includes('useradd'));
    expect(creates).toMatch(
      /useradd --uid 1001 --gid 1001 --no-create-home .*--shell \/usr\/sbin\/nologin/,
    );
    expect(steps).toContain('ENTRYPOINT ["secretsync"]');
    expect(build?.instructions.some((i) => i.startsWith('USER '))).toBe(false);
  });

  it('parses continuation lines, flags and stage names', () => {
    expect(
      dockerStages(
        '# c\nFROM --platform=$BUILDPLATFORM a:1 AS x\nRUN a \\\n  && b\nFROM x\nUSER 1\n',
      ),
    ).toEqual([
      { from: 'a:1', name: 'x', platform: '$BUILDPLATFORM', instructions: ['RUN a && b'] },
      { from: 'x', name: undefined, platform: undefined, instructions: ['USER 1'] },
    ]);
  });
});
