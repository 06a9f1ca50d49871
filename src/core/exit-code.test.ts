import { describe, expect, it } from 'vitest';
import { exitCodeFor } from './exit-code.js';

describe('exitCodeFor', () => {
  it.each([
    ['success', false, 0],
    ['changes', false, 0],
    ['failure', false, 1],
    ['success', true, 0],
    ['changes', true, 1],
    ['failure', true, 2],
  ] as const)('%s with --exit-code=%s exits %d', (outcome, mode, code) => {
    expect(exitCodeFor(outcome, mode)).toBe(code);
  });
});
