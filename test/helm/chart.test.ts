import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  CHART,
  helmLint,
  helmTemplate,
  manifestcheck,
  parseManifests,
  renderNotes,
} from '../../dev/chart-render.js';
import type { Manifest, RenderInput } from '../../dev/chart-render.js';
import { areHelmToolsFresh, helmToolPaths } from '../../dev/helm-tools.js';
import { runCliInDir } from '../support/cli-in-dir.js';

// The chart rendered by a real helm and every manifest decoded strictly into the Kubernetes API
// types (test/peers/helm). `npm run test:helm` builds both first; elsewhere these skip.

const tools = helmToolPaths();
const built = areHelmToolsFresh(tools);
const CI_FILES = readdirSync(join(CHART, 'ci'))
  .filter((name) => name.endsWith('.yaml'))
  .sort();

const volumeMount = z
  .object({ name: z.string(), mountPath: z.string(), readOnly: z.boolean().optional() })
  .loose();
const projectedToken = z
  .object({ path: z.string(), expirationSeconds: z.number(), audience: z.string().optional() })
  .strict();
const volume = z
  .object({
    name: z.string(),
    projected: z
      .object({ sources: z.array(z.object({ serviceAccountToken: projectedToken })) })
      .optional(),
  })
  .loose();
const cronJob = z.object({
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    jobTemplate: z.object({
      spec: z.object({
        template: z.object({
          metadata: z.object({ labels: z.record(z.string(), z.string()) }),
          spec: z
            .object({
              automountServiceAccountToken: z.boolean(),
              serviceAccountName: z.string(),
              containers: z.array(
                z
                  .object({
                    name: z.string(),
                    volumeMounts: z.array(volumeMount),
                    envFrom: z
                      .array(z.object({ secretRef: z.object({ name: z.string() }) }))
                      .optional(),
                    ports: z
                      .array(z.object({ name: z.string(), containerPort: z.number() }).loose())
                      .optional(),
                  })
                  .loose(),
              ),
              volumes: z.array(volume),
            })
            .loose(),
        }),
      }),
    }),
  }),
});
const configMap = z.object({ data: z.object({ 'config.yaml': z.string() }) });
const renderedConfig = z.object({
  vault: z.object({
    auth: z.object({
      kubernetes: z.object({ role: z.string(), token_path: z.string() }).loose().optional(),
      approle: z.object({ role_id: z.string() }).loose().optional(),
      jwt: z.record(z.string(), z.unknown()).optional(),
      aws: z.object({ role: z.string() }).loose().optional(),
    }),
  }),
});

async function render(input: RenderInput): Promise<Manifest[]> {
  const result = await helmTemplate(tools, input);
  expect(result.stderr, 'helm template').toBe('');
  expect(result.code).toBe(0);
  return parseManifests(result.stdout);
}

const find = (manifests: readonly Manifest[], kind: string): Manifest => {
  const found = manifests.find((manifest) => manifest.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} rendered`);
  return found;
};

const podSpec = (manifests: readonly Manifest[]) =>
  cronJob.parse(find(manifests, 'CronJob')).spec.jobTemplate.spec.template.spec;

const configOf = (manifests: readonly Manifest[]) =>
  configMap.parse(find(manifests, 'ConfigMap')).data['config.yaml'];

const authOf = (manifests: readonly Manifest[]) =>
  renderedConfig.parse(parseYaml(configOf(manifests))).vault.auth;

/** The JWT volume's mount and projected token, and the path they give the token file. */
function jwtMountOf(manifests: readonly Manifest[]) {
  const pod = podSpec(manifests);
  const mount = pod.containers[0]?.volumeMounts.find((m) => m.name === 'vault-jwt');
  const sources = pod.volumes.find((v) => v.name === 'vault-jwt')?.projected?.sources;
  const token = sources?.[0]?.serviceAccountToken;
  const path =
    mount === undefined || token === undefined ? undefined : `${mount.mountPath}/${token.path}`;
  return { pod, mount, sources, path };
}

const JWT_VALUES = join(CHART, 'ci/jwt-auth-values.yaml');

/** Runs `secretsync validate` on a rendered config, with a placeholder for each ${VAR}. */
async function validateConfig(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'secretsync-chart-'));
  writeFileSync(join(dir, 'config.yaml'), text);
  const names = [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
  const env = Object.fromEntries(names.map((name) => [name, 'chart-check-placeholder']));
  return runCliInDir(['validate', '--config', 'config.yaml'], { env, cwd: dir });
}

describe.skipIf(!built)(
  `the Helm chart rendered by helm (skipped when ${tools.helm} is not built: npm run test:helm builds it)`,
  () => {
    it('lints with the default values and with every values file of ci/', async () => {
      expect(CI_FILES).toEqual([
        'approle-values.yaml',
        'jwt-auth-values.yaml',
        'kubernetes-auth-values.yaml',
        'metrics-values.yaml',
        'minimal-values.yaml',
      ]);
      for (const valuesFile of [undefined, ...CI_FILES.map((name) => join(CHART, 'ci', name))]) {
        const result = await helmLint(tools, valuesFile === undefined ? {} : { valuesFile });
        expect(result.code, `${valuesFile ?? 'defaults'}: ${result.stdout}${result.stderr}`).toBe(
          0,
        );
      }
    });

    it('refuses to render with the defaults alone, naming each required value', async () => {
      const missingAll = await helmTemplate(tools);
      expect(missingAll.code).not.toBe(0);
      expect(missingAll.stderr).toContain('set config.vault.address');
      const missingRole = await helmTemplate(tools, {
        set: ['config.vault.address=https://vault.example.com:8200'],
      });
      expect(missingRole.stderr).toContain('set config.vault.auth.kubernetes.role');
      const missingTargets = await helmTemplate(tools, {
        set: [
          'config.vault.address=https://vault.example.com:8200',
          'config.vault.auth.kubernetes.role=sync',
        ],
      });
      expect(missingTargets.stderr).toContain('set config.targets');
    });

    it.each(CI_FILES)(
      'ci/%s renders manifests that decode strictly into the Kubernetes types, and a valid config',
      async (name) => {
        const rendered = await helmTemplate(tools, { valuesFile: join(CHART, 'ci', name) });
        expect(rendered.code, rendered.stderr).toBe(0);
        const checked = await manifestcheck(tools, rendered.stdout);
        expect(checked.stderr).toBe('');
        expect(checked.stdout).toMatch(/^\d+ valid, 0 invalid against Kubernetes 1\.\d+ /);
        expect(checked.code).toBe(0);
        const validated = await validateConfig(configOf(parseManifests(rendered.stdout)));
        expect(validated.stderr).toBe('');
        expect(validated.code).toBe(0);
      },
    );

    it('rejects a broken values file through the schema, naming each bad key', async () => {
      const valuesFile = 'test/fixtures/helm/broken-values.yaml';
      const lint = await helmLint(tools, { valuesFile });
      expect(lint.code).not.toBe(0);
      const said = lint.stdout + lint.stderr;
      expect(said).toContain("values don't meet the specifications of the schema");
      expect(said).toContain("additional properties 'schedual' not allowed");
      expect(said).toMatch(/at '\/backoffLimit': got string, want integer/);
      expect(said).toMatch(
        /at '\/concurrencyPolicy': value must be one of 'Allow', 'Forbid', 'Replace'/,
      );
      const template = await helmTemplate(tools, { valuesFile });
      expect(template.code).not.toBe(0);
      expect(template.stderr).toContain("additional properties 'schedual' not allowed");
    });

    it('rejects a config the SecretSync schema refuses, with its path', async () => {
      const result = await helmTemplate(tools, {
        valuesFile: join(CHART, 'ci/minimal-values.yaml'),
        set: [
          'config.vault.adress=https://typo.example.com',
          'config.targets.Staging.max_deletes=-1',
        ],
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        "at '/config/vault': additional properties 'adress' not allowed",
      );
      expect(result.stderr).toContain(
        "at '/config/targets/Staging/max_deletes': minimum: got -1, want 0",
      );
    });

    it('with the default Kubernetes auth, mounts a projected token at the path the config reads', async () => {
      const manifests = await render({ valuesFile: join(CHART, 'ci/minimal-values.yaml') });
      const config = renderedConfig.parse((await import('yaml')).parse(configOf(manifests)));
      const tokenPath = config.vault.auth.kubernetes?.token_path ?? '';
      expect(tokenPath).toBe('/var/run/secrets/secretsync/vault/token');
      const pod = podSpec(manifests);
      expect(pod.automountServiceAccountToken).toBe(false);
      const mount = pod.containers[0]?.volumeMounts.find((m) => m.name === 'vault-token');
      const token = pod.volumes.find((v) => v.name === 'vault-token')?.projected?.sources[0]
        ?.serviceAccountToken;
      expect(`${mount?.mountPath ?? ''}/${token?.path ?? ''}`).toBe(tokenPath);
      expect(token).toEqual({ path: 'token', expirationSeconds: 3600 });
      expect(pod.serviceAccountName).toBe(find(manifests, 'ServiceAccount').metadata.name);
    });

    it('takes the token path from the config and the audience and lifetime from the values', async () => {
      const manifests = await render({ valuesFile: join(CHART, 'ci/kubernetes-auth-values.yaml') });
      const pod = podSpec(manifests);
      expect(pod.containers[0]?.volumeMounts).toContainEqual(
        expect.objectContaining({ name: 'vault-token', mountPath: '/var/run/secrets/vault' }),
      );
      expect(pod.volumes.find((v) => v.name === 'vault-token')?.projected?.sources).toEqual([
        { serviceAccountToken: { path: 'token', expirationSeconds: 600, audience: 'vault' } },
      ]);
    });

    it('with AppRole auth, mounts no token and drops the Kubernetes auth default', async () => {
      const manifests = await render({ valuesFile: join(CHART, 'ci/approle-values.yaml') });
      const pod = podSpec(manifests);
      expect(pod.volumes.map((v) => v.name)).toEqual(['config', 'tmp']);
      expect(pod.containers[0]?.envFrom).toEqual([
        { secretRef: { name: 'secretsync-vault-approle' } },
      ]);
      const config = renderedConfig.parse((await import('yaml')).parse(configOf(manifests)));
      expect(config.vault.auth.kubernetes).toBeUndefined();
      expect(config.vault.auth.approle?.role_id).toBe('${VAULT_ROLE_ID}');
    });

    it('with JWT auth, mounts a read-only projected token where vault.auth.jwt.token_file points', async () => {
      const given = z
        .object({
          config: z.object({
            vault: z.object({
              auth: z.object({ jwt: z.object({ role: z.string(), mount: z.string() }) }),
            }),
          }),
          vaultJwtAuth: z.object({ audience: z.string(), expirationSeconds: z.number() }),
        })
        .parse(parseYaml(readFileSync(JWT_VALUES, 'utf8')));
      const manifests = await render({ valuesFile: JWT_VALUES });
      const auth = authOf(manifests);
      expect(auth.kubernetes).toBeUndefined();
      const { pod, mount, sources, path } = jwtMountOf(manifests);
      expect(auth.jwt).toEqual({
        role: given.config.vault.auth.jwt.role,
        mount: given.config.vault.auth.jwt.mount,
        token_file: path,
        audience: given.vaultJwtAuth.audience,
      });
      expect(path).toBe('/var/run/secrets/tokens/vault/token');
      expect(mount?.readOnly).toBe(true);
      expect(sources).toEqual([
        {
          serviceAccountToken: {
            path: 'token',
            audience: given.vaultJwtAuth.audience,
            expirationSeconds: given.vaultJwtAuth.expirationSeconds,
          },
        },
      ]);
      expect(pod.volumes.map((v) => v.name)).toEqual(['config', 'tmp', 'vault-jwt']);
      expect(pod.automountServiceAccountToken).toBe(false);
      const validated = await validateConfig(configOf(manifests));
      expect(validated.stderr).toBe('');
      expect(validated.code).toBe(0);
    });

    it("with JWT auth, mounts the token at the config's own token_file and takes its audience", async () => {
      const manifests = await render({
        valuesFile: JWT_VALUES,
        set: [
          'vaultJwtAuth.audience=',
          'config.vault.auth.jwt.audience=https://vault.example.com',
          'config.vault.auth.jwt.token_file=/var/run/secrets/jwt/vault.jwt',
        ],
      });
      const { mount, sources, path } = jwtMountOf(manifests);
      expect(path).toBe('/var/run/secrets/jwt/vault.jwt');
      expect(mount?.mountPath).toBe('/var/run/secrets/jwt');
      expect(sources?.[0]?.serviceAccountToken.audience).toBe('https://vault.example.com');
      expect(authOf(manifests).jwt).toMatchObject({
        token_file: path,
        audience: 'https://vault.example.com',
      });
    });

    it('with JWT auth from token_env, mounts no token and renders no token_file', async () => {
      const manifests = await render({
        valuesFile: JWT_VALUES,
        set: ['config.vault.auth.jwt.token_env=VAULT_JWT'],
      });
      expect(jwtMountOf(manifests).sources).toBeUndefined();
      expect(podSpec(manifests).volumes.map((v) => v.name)).toEqual(['config', 'tmp']);
      expect(authOf(manifests).jwt).toEqual({
        role: 'secretsync',
        mount: 'jwt-k8s-prod',
        token_env: 'VAULT_JWT',
      });
    });

    it('refuses JWT auth without an audience, with two audiences, without a role, or in the Kubernetes token folder', async () => {
      const cases: [string[], string][] = [
        [['vaultJwtAuth.audience='], 'set vaultJwtAuth.audience to the audience'],
        [
          ['config.vault.auth.jwt.audience=other'],
          'vaultJwtAuth.audience (vault.example.com) and config.vault.auth.jwt.audience (other) differ',
        ],
        [['config.vault.auth.jwt.role='], 'set config.vault.auth.jwt.role'],
        [
          [
            'vaultKubernetesAuth.mountToken=true',
            'vaultJwtAuth.tokenPath=/var/run/secrets/secretsync/vault/jwt',
          ],
          'are in the same folder, and both tokens are mounted',
        ],
      ];
      for (const [set, message] of cases) {
        const result = await helmTemplate(tools, { valuesFile: JWT_VALUES, set });
        expect(result.code, set.join(' ')).not.toBe(0);
        expect(result.stderr).toContain(message);
      }
    });

    it('with AWS auth, mounts no token and drops the Kubernetes auth default', async () => {
      const manifests = await render({
        valuesFile: join(CHART, 'ci/minimal-values.yaml'),
        set: ['config.vault.auth.aws.role=secretsync'],
      });
      expect(podSpec(manifests).volumes.map((v) => v.name)).toEqual(['config', 'tmp']);
      expect(authOf(manifests)).toEqual({ aws: { role: 'secretsync' } });
      const validated = await validateConfig(configOf(manifests));
      expect(validated.stderr).toBe('');
      expect(validated.code).toBe(0);
    });

    it('points the ServiceMonitor at a Service over the pods, on the metrics port', async () => {
      const manifests = await render({ valuesFile: join(CHART, 'ci/metrics-values.yaml') });
      const service = z
        .object({
          metadata: z.object({ labels: z.record(z.string(), z.string()) }),
          spec: z.object({
            selector: z.record(z.string(), z.string()),
            ports: z.array(z.object({ name: z.string(), targetPort: z.string() }).loose()),
          }),
        })
        .parse(find(manifests, 'Service'));
      const monitor = z
        .object({
          metadata: z.object({ labels: z.record(z.string(), z.string()) }),
          spec: z.object({
            selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
            endpoints: z.array(z.object({ port: z.string(), interval: z.string() }).loose()),
          }),
        })
        .parse(find(manifests, 'ServiceMonitor'));
      expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
      expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
      const port = podSpec(manifests).containers[0]?.ports?.[0];
      expect(port).toMatchObject({ name: 'metrics', containerPort: 9102 });
      expect(service.spec.ports[0]?.targetPort).toBe(port?.name);
      expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'metrics', interval: '10s' });
      const pod = cronJob.parse(find(manifests, 'CronJob')).spec.jobTemplate.spec.template;
      expect(pod.metadata.labels).toMatchObject(service.spec.selector);
    });

    it('keeps the CronJob name within the 52 characters Kubernetes allows', async () => {
      // helm allows 53 characters; the CronJob gets at most 52.
      const release = 'release-with-a-name-long-enough-for-the-cronjob-limit';
      const manifests = await render({
        valuesFile: join(CHART, 'ci/minimal-values.yaml'),
        release,
      });
      const name = find(manifests, 'CronJob').metadata.name;
      expect(name.length).toBeLessThanOrEqual(52);
      expect(name).not.toMatch(/-$/);
    });

    it('prints NOTES that tell the operator how to see the last run', async () => {
      const notes = await renderNotes(tools, {
        valuesFile: join(CHART, 'ci/kubernetes-auth-values.yaml'),
      });
      expect(notes.code, notes.stderr).toBe(0);
      const selector = 'app.kubernetes.io/name=secretsync,app.kubernetes.io/instance=secretsync';
      for (const line of [
        'as CronJob secretsync.',
        "kubectl -n secretsync get cronjob secretsync -o jsonpath='{.status.lastScheduleTime}  {.status.lastSuccessfulTime}",
        `kubectl -n secretsync get pods -l ${selector} --sort-by=.metadata.creationTimestamp -o name | tail -n 1`,
        'kubectl -n secretsync create job --from=cronjob/secretsync secretsync-manual',
        'a projected token (audience "vault": the Vault role\'s audience must match)',
      ])
        expect(notes.stdout).toContain(line);
    });

    it('prints NOTES naming the JWT role, mount and audience', async () => {
      const notes = await renderNotes(tools, { valuesFile: JWT_VALUES });
      expect(notes.code, notes.stderr).toBe(0);
      expect(notes.stdout).toContain(
        'Vault JWT auth: the pod logs in as role "secretsync" at auth/jwt-k8s-prod with a projected token (audience "vault.example.com": the Vault role\'s bound_audiences must contain it) of service account secretsync.',
      );
      expect(notes.stdout).not.toContain('Vault Kubernetes auth');
    });

    it('the validator fails on an unknown field, a wrong type and an unknown kind', async () => {
      const manifests = [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\nextra: 1',
        'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: b}\nspec: {schedule: 5}',
        'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: c}',
      ].join('\n---\n');
      const result = await manifestcheck(tools, manifests);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^0 valid, 3 invalid/);
      expect(result.stderr).toContain('document 1: unknown field "extra"');
      expect(result.stderr).toContain('document 2: json: cannot unmarshal number');
      expect(result.stderr).toContain('document 3: no kind "Widget" is registered');
    });
  },
);
