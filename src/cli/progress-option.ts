import { Option } from 'commander';
import type { PipelineEvents } from '../pipeline/phase-context.js';
import type { CliIo } from './io.js';
import { createProgress } from './progress.js';
import { terminalLine } from './terminal-line.js';

/** `--no-progress`: the progress line is drawn only on a terminal, and this turns it off there. */
export function progressOption(): Option {
  return new Option(
    '--no-progress',
    'never draw the progress line (it is drawn on stderr only when stderr is a terminal)',
  );
}

/** A run's progress: the events that draw it, and the io whose stderr writes go around it. */
export interface RunProgress {
  /** `io` with stderr through the terminal line: text never shares a line with progress. */
  readonly io: CliIo;
  readonly events: PipelineEvents;
  /** Erases the progress line (call when the run ends, before anything else is printed). */
  readonly close: () => void;
}

/** Progress for one run: drawn when `wanted` (not --no-progress) and stderr is a terminal. */
export function runProgress(io: CliIo, wanted: boolean, now: () => number): RunProgress {
  const line = terminalLine(
    (text) => {
      io.writeErr(text);
    },
    { enabled: wanted && io.stderrIsTty, now },
  );
  return {
    io: { ...io, writeErr: line.write },
    events: createProgress(line, now),
    close: line.clear,
  };
}
