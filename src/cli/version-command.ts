import { Command } from 'commander';
import { readBuildInfo } from './build-info.js';
import type { CliIo } from './io.js';

/** `secretsync version`: version, commit and build date. */
export function versionCommand(io: CliIo, finish: (code: number) => void): Command {
  return new Command('version')
    .description('print the version, the commit it was built from and the build date')
    .option('--json', 'print as JSON')
    .action((flags: { json?: boolean }) => {
      const info = readBuildInfo();
      const runtime = `node ${process.version}`;
      io.writeOut(
        flags.json === true
          ? `${JSON.stringify({ ...info, runtime })}\n`
          : `secretsync ${info.version} (commit ${info.commit}, built ${info.buildDate}, ${runtime})\n`,
      );
      finish(0);
    });
}
