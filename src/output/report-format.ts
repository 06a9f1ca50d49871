import type { PipelineReport } from '../pipeline/report.js';
import { formatCompact } from './compact-report.js';
import { formatGithub } from './github-report.js';
import { formatHuman } from './human-report.js';
import { formatJson } from './json-report.js';
import type { RenderedReport } from './rendered-report.js';

/** The report formats `--output` offers. */
export type ReportFormat = 'human' | 'json' | 'github' | 'compact';

/** Every report format, for flag validation and help. */
export const REPORT_FORMATS = [
  'human',
  'json',
  'github',
  'compact',
] as const satisfies readonly ReportFormat[];

/** Renders the report in a format; `diff` adds per-secret changes (key names, never values). */
export function renderReport(
  report: PipelineReport,
  format: ReportFormat,
  diff: boolean,
): RenderedReport {
  switch (format) {
    case 'human':
      return {
        stdout: formatHuman(report, diff),
        githubOutputs: undefined,
        githubSummary: undefined,
      };
    case 'json':
      return {
        stdout: formatJson(report, diff),
        githubOutputs: undefined,
        githubSummary: undefined,
      };
    case 'compact':
      return { stdout: formatCompact(report), githubOutputs: undefined, githubSummary: undefined };
    case 'github':
      return formatGithub(report, diff);
  }
}
