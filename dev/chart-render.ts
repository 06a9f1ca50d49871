import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { HelmToolPaths } from './helm-tools.js';

/** The chart the checks render, relative to the repository root. */
export const CHART = 'deploy/helm/secretsync';

/** How one helm or manifestcheck run ended. */
export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A rendered manifest, as far as the checks look at it. */
export interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly [key: string]: unknown;
}

/** What to render: a values file of the chart's ci/ (or none, for the defaults) and --set pairs. */
export interface RenderInput {
  readonly valuesFile?: string;
  readonly set?: readonly string[];
  readonly release?: string;
}

const valuesArgs = (input: RenderInput): string[] => [
  ...(input.valuesFile === undefined ? [] : ['--values', input.valuesFile]),
  ...(input.set ?? []).flatMap((pair) => ['--set', pair]),
];

/** `helm lint --strict` of the chart with the given values. */
export function helmLint(tools: HelmToolPaths, input: RenderInput = {}): Promise<ToolResult> {
  return run(tools.helm, ['lint', '--strict', CHART, ...valuesArgs(input)]);
}

/** `helm template` of the chart into namespace secretsync with the given values. */
export function helmTemplate(tools: HelmToolPaths, input: RenderInput = {}): Promise<ToolResult> {
  const release = input.release ?? 'secretsync';
  return run(tools.helm, [
    'template',
    release,
    CHART,
    '--namespace',
    'secretsync',
    ...valuesArgs(input),
  ]);
}

/**
 * The NOTES helm prints after an install. `helm template` never renders NOTES.txt and `helm
 * install --dry-run` wants a cluster, so a copy of the chart renders it inside a ConfigMap.
 */
export async function renderNotes(
  tools: HelmToolPaths,
  input: RenderInput = {},
): Promise<ToolResult> {
  const copy = mkdtempSync(join(tmpdir(), 'secretsync-notes-'));
  try {
    cpSync(CHART, copy, { recursive: true });
    const notes = readFileSync(join(copy, 'templates/NOTES.txt'), 'utf8');
    rmSync(join(copy, 'templates/NOTES.txt'));
    writeFileSync(
      join(copy, 'templates/_notes.tpl'),
      `{{- define "notes" -}}\n${notes}{{- end }}\n`,
    );
    writeFileSync(
      join(copy, 'templates/notes.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes}\ndata:\n  notes: |\n    {{- include "notes" . | nindent 4 }}\n',
    );
    const release = input.release ?? 'secretsync';
    const args = [
      'template',
      release,
      copy,
      '--namespace',
      'secretsync',
      '--show-only',
      'templates/notes.yaml',
    ];
    const result = await run(tools.helm, [...args, ...valuesArgs(input)]);
    const [manifest] = parseManifests(result.stdout);
    const text = (manifest?.data as { notes?: string } | undefined)?.notes ?? '';
    return { ...result, stdout: text };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Our strict validator over a stream of manifests (standard input). */
export function manifestcheck(tools: HelmToolPaths, manifests: string): Promise<ToolResult> {
  return run(tools.manifestcheck, ['-'], manifests);
}

/** The documents of a `helm template` output, without the empty ones. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** Runs a tool with an argument array (never a shell), feeding `input` to its standard input. */
function run(file: string, args: readonly string[], input?: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      { maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(new Error(`${file} could not be run: ${error.message}`));
          return;
        }
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
    child.stdin?.end(input ?? '');
  });
}
