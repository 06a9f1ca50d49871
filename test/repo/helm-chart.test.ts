import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import { renderChartSchema } from '../../scripts/chart-schema.js';
import { collectValuesDocs, renderChartReadme } from '../../scripts/chart-values-docs.js';
import { parseConfig } from '../../src/config/load.js';

// Static checks of the chart that need no helm: metadata, defaults, and the generated
// values.schema.json and README.md. test/helm/chart.test.ts renders it with a real helm and
// validates every manifest (`npm run test:helm`).

const CHART = 'deploy/helm/secretsync';
const read = (path: string) => readFileSync(join(CHART, path), 'utf8');
const REGENERATE = 'stale: run `npm run chart:docs` and commit the result';

const chart = z
  .object({
    apiVersion: z.literal('v2'),
    name: z.literal('secretsync'),
    type: z.literal('application'),
    version: z.string(),
    appVersion: z.string(),
  })
  .loose();

const containerSecurity = z
  .object({
    runAsNonRoot: z.literal(true),
    runAsUser: z.number().int().positive(),
    allowPrivilegeEscalation: z.literal(false),
    readOnlyRootFilesystem: z.literal(true),
    privileged: z.literal(false),
    capabilities: z.object({ drop: z.tuple([z.literal('ALL')]) }).strict(),
  })
  .loose();

const values = z
  .object({
    image: z.object({ repository: z.string(), tag: z.string(), digest: z.string() }).loose(),
    schedule: z.string().regex(/^\S+( \S+){4}$/, 'a five-field cron expression'),
    concurrencyPolicy: z.literal('Forbid'),
    config: z.record(z.string(), z.unknown()),
    existingConfigMap: z.string(),
    extraArgs: z.array(z.string()),
    credentials: z.object({ existingSecret: z.string() }).strict(),
    serviceAccount: z
      .object({
        create: z.boolean(),
        annotations: z.record(z.string(), z.string()),
        automountToken: z.boolean(),
      })
      .loose(),
    metrics: z.object({ enabled: z.literal(false), port: z.number().int().positive() }).loose(),
    podSecurityContext: z
      .object({
        runAsNonRoot: z.literal(true),
        seccompProfile: z.object({ type: z.literal('RuntimeDefault') }),
      })
      .loose(),
    securityContext: containerSecurity,
    resources: z.object({
      requests: z.object({ cpu: z.string(), memory: z.string() }),
      limits: z.object({ memory: z.string().regex(/^\d+Mi$/, 'a limit in Mi') }),
    }),
    heapLimitMiB: z.number().int().nonnegative(),
  })
  .loose();

const loadValues = () => values.parse(parse(read('values.yaml')));

describe('Helm chart (static checks)', () => {
  it('has chart metadata in step with package.json', () => {
    const meta = chart.parse(parse(read('Chart.yaml')));
    expect(meta.version).toBe(packageJson.version);
    expect(meta.appVersion).toBe(packageJson.version);
  });

  it('defaults to a non-root, read-only, capability-free container with resources', () => {
    const { securityContext, podSecurityContext } = loadValues();
    expect(securityContext.runAsUser).not.toBe(0);
    expect(podSecurityContext.runAsNonRoot).toBe(true);
  });

  it('runs as the user the image declares', () => {
    const dockerUser = /^USER (\d+):(\d+)$/m.exec(readFileSync('Dockerfile', 'utf8'));
    expect(Number(dockerUser?.[1])).toBe(loadValues().securityContext.runAsUser);
  });

  it('ships a config skeleton that is a valid SecretSync config once the required values are set', () => {
    const { config } = loadValues();
    const completed = {
      ...config,
      vault: {
        address: 'https://vault.example.com:8200',
        auth: { kubernetes: { role: 'secretsync' } },
      },
      sources: { common: { vault: { mount: 'secret', path: 'common' } } },
      targets: { Staging: { account_id: '111111111111', imports: ['common'] } },
    };
    expect(() => parseConfig(stringify(completed), 'values.yaml', {})).not.toThrow();
  });

  it('renders a CronJob running the pipeline with the mounted config and the security settings', () => {
    const cronjob = read('templates/cronjob.yaml');
    for (const required of [
      'kind: CronJob',
      'schedule: {{ .Values.schedule | quote }}',
      'concurrencyPolicy: {{ .Values.concurrencyPolicy }}',
      'restartPolicy: Never',
      '- pipeline\n                - --config\n                - /etc/secretsync/config.yaml',
      'toYaml .Values.podSecurityContext',
      'toYaml .Values.securityContext',
      'toYaml .Values.resources',
      'mountPath: /etc/secretsync',
      'readOnly: true',
      'mountPath: /tmp',
      'serviceAccountName: {{ include "secretsync.serviceAccountName" . }}',
    ])
      expect(cronjob).toContain(required);
  });

  it('caps the V8 heap under the container memory limit, so a large run is not OOM-killed', () => {
    const { heapLimitMiB, resources } = loadValues();
    const limitMiB = Number.parseInt(resources.limits.memory, 10);
    expect(heapLimitMiB).toBeGreaterThanOrEqual(128);
    // Room for code, buffers and the young generation beside the old-space heap.
    expect(heapLimitMiB).toBeLessThanOrEqual(limitMiB * 0.8);
    expect(read('templates/cronjob.yaml')).toMatch(
      /\{\{- if \.Values\.heapLimitMiB \}\}\s+- name: NODE_OPTIONS\s+value: \{\{ printf "--max-old-space-size=%d" \(int \.Values\.heapLimitMiB\) \| quote \}\}/,
    );
  });

  it('takes credentials from an existing Secret or IRSA service account annotations', () => {
    expect(read('templates/cronjob.yaml')).toMatch(
      /\{\{- with \.Values\.credentials\.existingSecret \}\}\s+envFrom:\s+- secretRef:\s+name: \{\{ \. \}\}/,
    );
    const account = read('templates/serviceaccount.yaml');
    expect(account).toContain('kind: ServiceAccount');
    expect(account).toMatch(/\{\{- with \.Values\.serviceAccount\.annotations \}\}\s+annotations:/);
  });

  it('exposes metrics only when enabled: container port, --metrics-port and an outside address', () => {
    const block = /\{\{- if \.Values\.metrics\.enabled \}\}([\s\S]*?)\{\{- end \}\}/g;
    const guarded = [...read('templates/cronjob.yaml').matchAll(block)]
      .map((m) => m[1] ?? '')
      .join('\n');
    expect(guarded).toContain('- --metrics-port');
    expect(guarded).toContain('- --metrics-addr\n                - 0.0.0.0');
    expect(guarded).toContain('containerPort: {{ .Values.metrics.port }}');
  });

  it('keeps the config in a ConfigMap under the key config.yaml, after checking the required values', () => {
    const configMap = read('templates/configmap.yaml');
    expect(configMap).toContain('kind: ConfigMap');
    expect(configMap).toContain('{{- include "secretsync.checkValues" . }}');
    expect(configMap).toContain(
      'config.yaml: |\n    {{- include "secretsync.config" . | nindent 4 }}',
    );
    expect(read('templates/_helpers.tpl')).toContain('{{- fail "secretsync: set config.targets');
  });

  it('has a generated values.schema.json and README.md in step with values.yaml', () => {
    const docs = collectValuesDocs(read('values.yaml'));
    expect(docs.undocumented, 'values.yaml keys without a comment').toEqual([]);
    expect(read('values.schema.json'), REGENERATE).toBe(renderChartSchema(docs.rows));
    expect(read('README.md'), REGENERATE).toBe(
      renderChartReadme(docs.rows, chart.parse(parse(read('Chart.yaml'))).version),
    );
  });

  it('documents keys from their comments, walking maps whose keys are commented', () => {
    const docs = collectValuesDocs(
      '# header\n\n# The image.\nimage:\n  # Its tag.\n  tag: x\nplain: 1\n# A map.\nmap: {a: 1}\n',
    );
    expect(docs.rows).toEqual([
      { path: 'image', defaultJson: undefined, description: 'The image.' },
      { path: 'image.tag', defaultJson: '"x"', description: 'Its tag.' },
      { path: 'map', defaultJson: '{"a":1}', description: 'A map.' },
    ]);
    expect(docs.undocumented).toEqual(['plain']);
  });

  it('puts the config file schema under config in values.schema.json', () => {
    const schema = z
      .object({
        additionalProperties: z.literal(false),
        properties: z
          .object({
            config: z
              .object({
                additionalProperties: z.literal(false),
                properties: z.object({ vault: z.object({}).loose() }).loose(),
              })
              .loose(),
          })
          .loose(),
        definitions: z.record(z.string(), z.unknown()),
      })
      .loose()
      .parse(JSON.parse(read('values.schema.json')));
    const refs = [...read('values.schema.json').matchAll(/"\$ref": "#\/definitions\/([^"]+)"/g)];
    for (const [, name] of refs) expect(Object.keys(schema.definitions)).toContain(name);
  });

  it('has balanced template actions in every template', () => {
    for (const name of readdirSync(join(CHART, 'templates'))) {
      const text = read(join('templates', name));
      const opens = text.match(/\{\{-?\s*(if|with|range|define)\b/g) ?? [];
      const ends = text.match(/\{\{-?\s*end\b/g) ?? [];
      expect(ends.length, name).toBe(opens.length);
      expect((text.match(/\{\{/g) ?? []).length, name).toBe((text.match(/\}\}/g) ?? []).length);
    }
  });
});
