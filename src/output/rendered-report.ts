/** A rendered report: stdout text, plus the GitHub Actions outputs and step summary. */
export interface RenderedReport {
  readonly stdout: string;
  readonly githubOutputs: Readonly<Record<string, string>>;
  readonly githubSummary: string;
}
