import { describe, expect, it } from 'vitest';
import { describeProgress, formatDuration, startPhase, targetMerged } from './progress-model.js';

describe('describeProgress', () => {
  it('shows secrets of the counted targets, marked + while targets are uncounted', () => {
    const progress = {
      ...startPhase('sync', 5, 0),
      targetsDone: 3,
      targetsCounted: 4,
      secretsKnown: 34,
      secretsDone: 12,
    };
    expect(describeProgress(progress, 1000)).toBe('sync: 12/34+ secrets, 3/5 targets');
    expect(describeProgress({ ...progress, targetsCounted: 5 }, 1000)).toBe(
      'sync: 12/34 secrets, 3/5 targets',
    );
  });

  it('shows the secrets read without a total in the merge phase', () => {
    const progress = { ...startPhase('merge', 4, 0), targetsDone: 1, targetsCounted: 1 };
    expect(describeProgress({ ...progress, secretsKnown: 7, secretsDone: 7 }, 500)).toBe(
      'merge: 7 secrets read, 1/4 targets',
    );
  });

  it('counts a merged target without counting its secrets again', () => {
    const read = { ...startPhase('merge', 2, 0), secretsDone: 5 };
    expect(targetMerged(read, 9)).toMatchObject({
      secretsDone: 5,
      secretsKnown: 9,
      targetsDone: 1,
    });
  });

  it('adds rate and ETA once the phase has run over 2 s', () => {
    const progress = {
      ...startPhase('sync', 5, 10_000),
      targetsDone: 2,
      targetsCounted: 5,
      secretsKnown: 200,
      secretsDone: 80,
    };
    expect(describeProgress(progress, 12_000)).toBe('sync: 80/200 secrets, 2/5 targets');
    // 80 secrets in 4 s: 20/s; 120 to go: 6 s.
    expect(describeProgress(progress, 14_000)).toBe(
      'sync: 80/200 secrets, 2/5 targets, 20/s, ETA 6s',
    );
  });

  it('extrapolates the ETA over targets not counted yet', () => {
    const progress = {
      ...startPhase('sync', 4, 0),
      targetsDone: 1,
      targetsCounted: 1,
      secretsKnown: 10,
      secretsDone: 10,
    };
    // 10 secrets in 4 s: 2.5/s; 4 targets of 10 secrets each: 30 to go, 12 s.
    expect(describeProgress(progress, 4000)).toBe(
      'sync: 10/10+ secrets, 1/4 targets, 2.5/s, ETA 12s',
    );
  });

  it('extrapolates the merge ETA from the targets merged so far', () => {
    const progress = {
      ...startPhase('merge', 4, 0),
      targetsDone: 1,
      targetsCounted: 1,
      secretsKnown: 10,
      secretsDone: 10,
    };
    // 1 target in 4 s, 3 to go: 12 s; 10 secrets read in 4 s: 2.5/s.
    expect(describeProgress(progress, 4000)).toBe(
      'merge: 10 secrets read, 1/4 targets, 2.5/s, ETA 12s',
    );
  });

  it('shows no rate before any secret is done', () => {
    expect(describeProgress(startPhase('sync', 2, 0), 60_000)).toBe(
      'sync: 0/0+ secrets, 0/2 targets',
    );
  });
});

describe('formatDuration', () => {
  it('rounds up to whole seconds, minutes and hours', () => {
    expect([0.2, 59, 60, 125, 3599, 3725].map(formatDuration)).toEqual([
      '1s',
      '59s',
      '1m00s',
      '2m05s',
      '59m59s',
      '1h02m',
    ]);
  });
});
