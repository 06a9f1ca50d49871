/** Escapes a GitHub Actions workflow-command message (`%`, CR, LF), so it stays one line. */
export function escapeWorkflowData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
