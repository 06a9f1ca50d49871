import type { PipelineReport } from '../pipeline/report.js';
import { formatCompact } from './compact-report.js';
import { formatGithub } from './github-report.js';
import { githubOutputsOf } from './github-outputs.js';
import { githubSummaryOf } from './github-summary.js';
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

/** How to render: key names (`diff`), and colour for the human report on a terminal. */
export interface RenderOptions {
  readonly diff: boolean;
  readonly colour: boolean;
}

/**
 * Renders the report in a format (names and key names, never values), plus the GitHub step
 * outputs and summary, which every format gets.
 */
export function renderReport(
  report: PipelineReport,
  format: ReportFormat,
  options: RenderOptions,
): RenderedReport {
  return {
    stdout: stdoutOf(report, format, options),
    githubOutputs: githubOutputsOf(report),
    githubSummary: githubSummaryOf(report),
  };
}

function stdoutOf(report: PipelineReport, format: ReportFormat, options: RenderOptions): string {
  switch (format) {
    case 'human':
      return formatHuman(report, options.diff, options.colour);
    case 'json':
      return formatJson(report, options.diff);
    case 'compact':
      return formatCompact(report);
    case 'github':
      return formatGithub(report, options.diff);
  }
}
