import type { Environment } from '../config/env-substitution.js';

/** Signals that stop a run cleanly: in-flight calls finish, nothing new starts. */
export interface StopSignal {
  readonly stopped: () => boolean;
  dispose(): void;
}

/** What commands may touch of the outside world: output streams, environment, signals. */
export interface CliIo {
  readonly env: Environment;
  readonly cwd: string;
  /** True when stderr is a terminal (progress lines are shown only then). */
  readonly stderrIsTty: boolean;
  /** True when stdout is a terminal (the report is coloured only then, unless NO_COLOR/FORCE_COLOR). */
  readonly stdoutIsTty: boolean;
  /** Reports and command results (stdout). */
  writeOut(text: string): void;
  /** Diagnostics, warnings and errors (stderr). */
  writeErr(text: string): void;
  /** Starts listening for SIGINT/SIGTERM for the length of a run. */
  watchStop(): StopSignal;
}

/** The real process streams, environment and signals. */
export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stderrIsTty: process.stderr.isTTY,
    stdoutIsTty: process.stdout.isTTY,
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    watchStop: () => {
      let stopped = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopped) process.exit(130);
        stopped = true;
        process.stderr.write(
          `\n${signal}: finishing in-flight calls, starting nothing new (send again to exit at once)\n`,
        );
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      return {
        stopped: () => stopped,
        dispose: () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        },
      };
    },
  };
}
