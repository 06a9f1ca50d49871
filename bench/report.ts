/** The measured figures of one bench step. */
export interface StepResult {
  readonly scenario: string;
  readonly step: string;
  readonly scale: number;
  readonly secrets: number;
  readonly wallMs: number;
  readonly exitCode: number;
  readonly peakRssMb: number;
  readonly calls: number;
  readonly callsPerSecret: number;
  readonly writes: number;
  readonly vault: Record<string, { count: number; p50: number; p95: number }>;
  readonly aws: Record<string, { count: number; p50: number; p95: number }>;
  readonly summary: string;
  readonly targetMs: number | undefined;
  readonly expectedWrites: number | undefined;
  readonly expectedLists: number | undefined;
  /** Whether the AWS reads are reported against the no-op budget. */
  readonly readBudget: boolean;
}

const RSS_TARGET_MB = 200;

/** A table for one step: headline figures against their targets, then every operation. */
export function formatStep(result: StepResult): string {
  const versus = (ok: boolean, target: string) => `${ok ? 'ok' : 'MISSED'} (target ${target})`;
  const lines = [
    `\n## ${result.scenario} / ${result.step}   exit ${result.exitCode}`,
    `  wall time        ${(result.wallMs / 1000).toFixed(2)} s${result.targetMs === undefined || result.scale !== 1 ? '' : `   ${versus(result.wallMs < result.targetMs, `< ${result.targetMs / 1000} s`)}`}`,
    `  peak RSS         ${result.peakRssMb} MB   ${versus(result.peakRssMb < RSS_TARGET_MB, `< ${RSS_TARGET_MB} MB`)}`,
    `  API calls        ${result.calls} (${result.callsPerSecret} per secret)`,
    `  AWS writes       ${result.writes}${result.expectedWrites === undefined ? '' : `   ${versus(result.writes === result.expectedWrites, `exactly ${result.expectedWrites}`)}`}`,
    ...(result.readBudget ? [readBudgetLine(result)] : []),
    ...(result.expectedLists === undefined
      ? []
      : [
          `  Vault LIST calls ${result.vault['vault.list']?.count ?? 0}   ${versus((result.vault['vault.list']?.count ?? 0) === result.expectedLists, `folders + root = ${result.expectedLists}`)}; reads ${result.vault['vault.read']?.count ?? 0} for ${result.secrets} secrets`,
        ]),
    `  report           ${result.summary}`,
    '  operation                                   calls    p50 ms    p95 ms',
  ];
  for (const [name, op] of [...Object.entries(result.vault), ...Object.entries(result.aws)]) {
    lines.push(
      `  ${name.padEnd(42)} ${String(op.count).padStart(6)} ${op.p50.toFixed(1).padStart(9)} ${op.p95.toFixed(1).padStart(9)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A no-op's AWS reads against the budget (a list page per 100, a batch read per 20) and the goal. */
function readBudgetLine(result: StepResult): string {
  const lists = result.aws['secretsmanager.ListSecrets']?.count ?? 0;
  const batches = result.aws['secretsmanager.BatchGetSecretValue']?.count ?? 0;
  const budget = Math.ceil(result.secrets / 100) + Math.ceil(result.secrets / 20);
  const verdict =
    lists + batches > budget ? 'MISSED' : batches === 0 ? 'ok, list calls only' : 'ok';
  return `  AWS reads        ${lists} list + ${batches} batch-get   ${verdict} (budget ${budget}; goal: list calls only)`;
}
