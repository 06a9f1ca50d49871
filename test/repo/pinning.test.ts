import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { baseImages } from '../../scripts/dockerfile.js';

// Requirement 4: every image is pinned to an exact version; the action image to a digest.

/** `name:1.2.3` or `name:1.2.3-variant`, optionally with a digest; never `latest` or `name:22`. */
const EXACT_VERSION =
  /^[a-z0-9][a-z0-9./_-]*:v?\d+\.\d+\.\d+(-[a-z0-9.-]+)?(@sha256:[0-9a-f]{64})?$/;

/** The compose images requirement 4 names, plus the Node.js test runner. */
const REQUIRED_COMPOSE_IMAGES = [
  'localstack/localstack:3.8.1',
  'hashicorp/vault:1.14.0',
  'amazon/aws-cli:2.22.17',
];

const compose = z.object({
  services: z.record(z.string(), z.object({ image: z.string().optional() }).loose()),
});

const composeImages = (): string[] =>
  Object.values(compose.parse(parse(readFileSync('docker-compose.test.yml', 'utf8'))).services)
    .map((service) => service.image)
    .filter((image) => image !== undefined);

describe('image pinning (requirement 4)', () => {
  it('pins every Dockerfile base image to an exact version', () => {
    const images = baseImages(readFileSync('Dockerfile', 'utf8'));
    expect(images).toHaveLength(2);
    for (const image of images) expect(image).toMatch(EXACT_VERSION);
    expect(images[0]).toMatch(/^node:22\.\d+\.\d+-trixie(@sha256:[0-9a-f]{64})?$/);
    expect(images[1]).toMatch(/^node:22\.\d+\.\d+-trixie-slim(@sha256:[0-9a-f]{64})?$/);
  });

  it('pins every compose image, with exactly the required versions', () => {
    const images = composeImages();
    for (const image of images) expect(image).toMatch(EXACT_VERSION);
    const runner = images.filter((image) => image.startsWith('node:'));
    expect(runner).toHaveLength(1);
    expect([...images].sort()).toEqual([...REQUIRED_COMPOSE_IMAGES, ...runner].sort());
  });

  it('tests on the same Node.js release the image is built with', () => {
    const [builder = ''] = baseImages(readFileSync('Dockerfile', 'utf8'));
    expect(composeImages()).toContain(builder.replace(/@sha256:[0-9a-f]{64}$/, ''));
  });

  it('recognises what is not pinned', () => {
    for (const loose of ['node:latest', 'node:22', 'node:22-trixie', 'vault', 'node:22.1-slim'])
      expect(loose).not.toMatch(EXACT_VERSION);
    expect(baseImages('FROM --platform=$BUILDPLATFORM node:22.1.2 AS build\nFROM build\n')).toEqual(
      ['node:22.1.2'],
    );
  });

  it('pins the action image by digest', () => {
    const action = z
      .object({ runs: z.object({ using: z.literal('docker'), image: z.string() }) })
      .parse(parse(readFileSync('action.yml', 'utf8')));
    expect(action.runs.image).toMatch(
      /^docker:\/\/ghcr\.io\/[a-z0-9._-]+\/secretsync:v\d+@sha256:[0-9a-f]{64}$/,
    );
  });
});
