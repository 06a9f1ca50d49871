import { describe, expect, it } from 'vitest';
import { defaultCompactionThreshold } from './compaction.js';

describe('defaultCompactionThreshold', () => {
  it.each([
    [100_000, 1000],
    [50_000, 500],
    [1000, 10],
    [50, 1],
    [200_000, 1000],
    [1, 1],
  ])('max_secrets_per_mount %d gives %d', (max, threshold) => {
    expect(defaultCompactionThreshold(max)).toBe(threshold);
  });
});
