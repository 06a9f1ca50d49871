/** A rendered report: stdout text, plus GitHub Actions outputs and step summary when asked. */
export interface RenderedReport {
  readonly stdout: string;
  readonly githubOutputs: Readonly<Record<string, string>> | undefined;
  readonly githubSummary: string | undefined;
}
