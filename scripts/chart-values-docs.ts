import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';

/** The chart whose values.yaml, values.schema.json and README.md are generated. */
export const CHART_DIR = 'deploy/helm/secretsync';
export const CHART_README_PATH = `${CHART_DIR}/README.md`;

/** One documented key of values.yaml: its dotted path, default and the comment above it. */
export interface ValueRow {
  readonly path: string;
  /** The default as compact JSON; undefined for a key documented by its children's rows. */
  readonly defaultJson: string | undefined;
  readonly description: string;
}

/** What values.yaml documents, and the keys it leaves undocumented (a test wants none). */
export interface ValuesDocs {
  readonly rows: readonly ValueRow[];
  readonly undocumented: readonly string[];
}

/**
 * Reads the comment above every key of values.yaml. A commented key whose map value has no
 * commented key inside is one row with its whole default; a map with commented keys inside is
 * walked. Only the last paragraph of a comment describes the key (the file's header is above it).
 */
export function collectValuesDocs(valuesYaml: string): ValuesDocs {
  const document = parseDocument(valuesYaml);
  const rows: ValueRow[] = [];
  const undocumented: string[] = [];
  const walk = (map: YAMLMap, prefix: string, mapComment: string | undefined): void => {
    map.items.forEach((pair: Pair, index) => {
      if (!isPair(pair) || !isScalar(pair.key)) return;
      const path = `${prefix}${String(pair.key.value)}`;
      const comment = lastParagraph(
        index === 0 ? (pair.key.commentBefore ?? mapComment) : pair.key.commentBefore,
      );
      const value = pair.value as Node | null;
      const descend = isMap(value) && hasComment(value);
      if (comment !== undefined) {
        const defaultJson = descend ? undefined : JSON.stringify(toJs(value));
        rows.push({ path, defaultJson, description: comment });
      } else if (!descend) undocumented.push(path);
      if (descend) walk(value, `${path}.`, value.commentBefore ?? undefined);
    });
  };
  if (isMap(document.contents))
    walk(document.contents, '', document.contents.commentBefore ?? undefined);
  return { rows, undocumented };
}

function hasComment(map: YAMLMap): boolean {
  if (map.commentBefore) return true;
  return map.items.some(
    (pair) =>
      (isScalar(pair.key) && Boolean(pair.key.commentBefore)) ||
      (isMap(pair.value) && hasComment(pair.value)),
  );
}

function toJs(node: Node | null): unknown {
  if (node === null) return null;
  if (isScalar(node) || isMap(node) || isSeq(node)) return node.toJSON();
  return null;
}

function lastParagraph(comment: string | null | undefined): string | undefined {
  if (comment === undefined || comment === null) return undefined;
  const paragraphs = comment.split(/\n\s*\n/);
  const text = (paragraphs[paragraphs.length - 1] ?? '')
    .split('\n')
    .map((line) => line.trim())
    .join(' ')
    .trim();
  return text === '' ? undefined : text;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The chart's README.md: how to install it, what it checks, and the table of values. */
export function renderChartReadme(rows: readonly ValueRow[], chartVersion: string): string {
  const table = rows.map(
    (row) =>
      `| \`${row.path}\` | ${row.defaultJson === undefined ? '' : `\`${cell(row.defaultJson)}\``} | ${cell(row.description)} |`,
  );
  return `<!-- Generated from values.yaml by \`npm run chart:docs\`: edit the comments there, not this file. -->

# SecretSync Helm chart ${chartVersion}

Runs \`secretsync pipeline\` as a Kubernetes CronJob: each run reads secrets from Vault or OpenBao
and writes them to AWS Secrets Manager in the accounts of the config's targets.

\`\`\`console
helm install secretsync deploy/helm/secretsync --namespace secretsync --create-namespace \\
  --set config.vault.address=https://vault.example.com:8200 \\
  --set config.vault.auth.kubernetes.role=secretsync \\
  --values my-targets.yaml
\`\`\`

The three required values are \`config.vault.address\`, \`config.vault.auth.kubernetes.role\` (the
default auth is Vault's Kubernetes auth, with a projected service-account token mounted where the
rendered config reads it) and at least one target in \`config.targets\` or
\`config.dynamic_targets\`; \`helm install\` names whichever is missing. \`values.schema.json\` rejects
unknown keys and wrong types, the config included. \`ci/\` holds the values files CI renders, lints
and validates against the Kubernetes API types; \`ci/minimal-values.yaml\` is the smallest working
install. The NOTES printed after an install show how to see the last run.

Full documentation: the Helm chart page of the SecretSync docs (\`docs/helm.rst\`).

## Values

| Key | Default | Description |
| --- | --- | --- |
${table.join('\n')}
`;
}
