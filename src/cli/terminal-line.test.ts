import { describe, expect, it } from 'vitest';
import { CLEAR_LINE, terminalLine } from './terminal-line.js';

/** A terminal line over a recorded stderr, with a clock the test moves. */
function recorded(enabled = true) {
  const writes: string[] = [];
  const clock = { at: 1000 };
  const line = terminalLine((text) => writes.push(text), { enabled, now: () => clock.at });
  return { writes, clock, line };
}

describe('terminalLine', () => {
  it('clears the progress line before a log line and redraws it after, in one write', () => {
    const { writes, line } = recorded();
    line.status('sync: 1/3 secrets');
    line.write('{"level":30}\n');
    expect(writes).toEqual([
      `${CLEAR_LINE}sync: 1/3 secrets`,
      `${CLEAR_LINE}{"level":30}\n${CLEAR_LINE}sync: 1/3 secrets`,
    ]);
  });

  it('writes text untouched while no progress is shown', () => {
    const { writes, line } = recorded();
    line.write('warning: something\n');
    expect(writes).toEqual(['warning: something\n']);
  });

  it('never draws on a line that other text left unfinished, and redraws once it is finished', () => {
    const { writes, clock, line } = recorded();
    line.write('partial');
    line.status('merge: 0 secrets');
    clock.at += 1000;
    line.status('merge: 1 secrets');
    expect(writes).toEqual(['partial']);
    line.write(' line\n');
    expect(writes).toEqual(['partial', ` line\n${CLEAR_LINE}merge: 1 secrets`]);
  });

  it('redraws at most every 100 ms, unless asked to draw now', () => {
    const { writes, clock, line } = recorded();
    line.status('a');
    clock.at += 50;
    line.status('b');
    expect(writes).toEqual([`${CLEAR_LINE}a`]);
    line.status('c', { now: true });
    clock.at += 60;
    line.status('d');
    clock.at += 100;
    line.status('e');
    expect(writes).toEqual([`${CLEAR_LINE}a`, `${CLEAR_LINE}c`, `${CLEAR_LINE}e`]);
  });

  it('a throttled update is what the next log line redraws', () => {
    const { writes, line } = recorded();
    line.status('a');
    line.status('b');
    line.write('log\n');
    expect(writes.at(-1)).toBe(`${CLEAR_LINE}log\n${CLEAR_LINE}b`);
  });

  it('clear erases the line and stops redraws after logs', () => {
    const { writes, line } = recorded();
    line.status('a');
    line.clear();
    line.clear();
    line.write('log\n');
    expect(writes).toEqual([`${CLEAR_LINE}a`, CLEAR_LINE, 'log\n']);
  });

  it('keeps progress text to one 80-column row', () => {
    const { writes, line } = recorded();
    line.status('x'.repeat(200));
    expect(writes[0]).toBe(`${CLEAR_LINE}${'x'.repeat(79)}`);
  });

  it('draws nothing and passes text through when disabled (not a terminal, --no-progress)', () => {
    const { writes, line } = recorded(false);
    line.status('sync: 1/3 secrets', { now: true });
    line.write('log\n');
    line.clear();
    expect(writes).toEqual(['log\n']);
  });
});
