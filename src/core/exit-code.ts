/** How a command ended, as far as the exit code is concerned. */
export type CommandOutcome = 'success' | 'changes' | 'failure';

/**
 * Maps an outcome to the process exit code. Plain mode: 0 success (changes or not), 1 failure.
 * With `--exit-code`: 0 no changes, 1 changes, 2 any error (config errors included).
 */
export function exitCodeFor(outcome: CommandOutcome, exitCodeMode: boolean): number {
  const table = {
    plain: { success: 0, changes: 0, failure: 1 },
    detailed: { success: 0, changes: 1, failure: 2 },
  } as const satisfies Record<string, Record<CommandOutcome, number>>;
  return table[exitCodeMode ? 'detailed' : 'plain'][outcome];
}
