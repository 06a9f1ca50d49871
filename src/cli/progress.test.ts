import { describe, expect, it } from 'vitest';
import type { MergeReport, SyncReport } from '../pipeline/report.js';
import { createProgress } from './progress.js';
import type { TerminalLine } from './terminal-line.js';

/** The progress over a line that records what it was asked to show, with a test clock. */
function recorded() {
  const shown: string[] = [];
  const clock = { at: 0 };
  const line: TerminalLine = {
    write: () => undefined,
    status: (text) => shown.push(text),
    clear: () => shown.push('<clear>'),
  };
  return { shown, clock, events: createProgress(line, () => clock.at) };
}

const merged = (secrets: number): MergeReport => ({
  status: 'ok',
  durationMs: 1,
  secrets,
  store: undefined,
});
// The progress reads nothing of a sync report: only that the target finished.
const synced = { status: 'skipped', reason: 'test' } satisfies SyncReport;

describe('createProgress', () => {
  it('counts each secret written, starting again at zero in every phase', () => {
    const { shown, events } = recorded();
    events.phaseStarted('merge', 2);
    events.secretsRead?.(1);
    events.secretsRead?.(2);
    events.mergeDone('A', merged(3));
    events.secretsRead?.(4);
    events.mergeDone('B', merged(7));
    events.phaseFinished('merge', 10);
    events.phaseStarted('sync', 2);
    events.targetPlanned?.('A', 3, 2);
    events.secretApplied('A', 'create');
    events.secretApplied('A', 'update');
    events.syncDone('A', synced);
    events.targetPlanned?.('B', 4, 0);
    events.syncDone('B', synced);
    events.phaseFinished('sync', 10);
    expect(shown).toEqual([
      'merge: 0 secrets read, 0/2 targets',
      'merge: 1 secrets read, 0/2 targets',
      'merge: 3 secrets read, 0/2 targets',
      'merge: 3 secrets read, 1/2 targets',
      'merge: 7 secrets read, 1/2 targets',
      'merge: 7 secrets read, 2/2 targets',
      '<clear>',
      'sync: 0/0+ secrets, 0/2 targets',
      'sync: 1/3+ secrets, 0/2 targets',
      'sync: 2/3+ secrets, 0/2 targets',
      'sync: 3/3+ secrets, 0/2 targets',
      'sync: 3/3+ secrets, 1/2 targets',
      'sync: 7/7 secrets, 1/2 targets',
      'sync: 7/7 secrets, 2/2 targets',
      '<clear>',
    ]);
  });

  it('settles the writes that did not happen when the target finishes', () => {
    const { shown, events } = recorded();
    events.phaseStarted('sync', 1);
    events.targetPlanned?.('A', 5, 5);
    events.secretApplied('A', 'create');
    events.syncDone('A', synced);
    expect(shown.at(-1)).toBe('sync: 5/5 secrets, 1/1 targets');
  });

  it('counts a target that finished without a plan (skipped, failed before planning)', () => {
    const { shown, events } = recorded();
    events.phaseStarted('sync', 2);
    events.syncDone('A', synced);
    events.targetPlanned?.('B', 2, 1);
    expect(shown.at(-1)).toBe('sync: 1/2 secrets, 1/2 targets');
  });

  it('shows rate and ETA from the clock on a long phase', () => {
    const { shown, clock, events } = recorded();
    clock.at = 5000;
    events.phaseStarted('sync', 1);
    events.targetPlanned?.('A', 100, 100);
    for (let i = 0; i < 30; i += 1) events.secretApplied('A', 'create');
    clock.at = 8000;
    events.secretApplied('A', 'create');
    // 31 secrets in 3 s; 69 to go at 10.3/s: 6.7 s.
    expect(shown.at(-1)).toBe('sync: 31/100 secrets, 0/1 targets, 10/s, ETA 7s');
  });
});
