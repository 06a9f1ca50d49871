import type { PipelineEvents } from '../pipeline/phase-context.js';
import { countsOf } from '../pipeline/report.js';

/**
 * Progress on stderr for people at a terminal: targets done of total per phase and secrets
 * processed. Silent when stderr is not a terminal (CI logs get the structured log instead).
 */
export function createProgress(write: (text: string) => void, enabled: boolean): PipelineEvents {
  let done = 0;
  let total = 0;
  let secrets = 0;
  let phase = '';
  const draw = () => {
    if (enabled) write(`\r${phase}: ${done}/${total} targets, ${secrets} secrets processed   `);
  };
  return {
    phaseStarted: (name, targets) => {
      phase = name;
      done = 0;
      total = targets;
      draw();
    },
    phaseFinished: () => {
      if (enabled) write('\n');
    },
    mergeDone: (_, report) => {
      done += 1;
      secrets += report.status === 'ok' ? report.secrets : 0;
      draw();
    },
    syncDone: (_, report) => {
      done += 1;
      const { added, modified, removed, unchanged } = countsOf(report);
      secrets += added + modified + removed + unchanged;
      draw();
    },
    secretApplied: () => undefined,
  };
}
