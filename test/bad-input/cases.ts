import type { ScriptedReply } from '../support/scripted-server.js';

/*
 * The bad-input corpus: every case names its input file (under cases/), the command-line
 * arguments, what the user must be told, and where nothing may be written. README.md shows the
 * same cases as a table; bad-input.test.ts checks that the two agree.
 */

/** Where a refused run must have left no trace. */
export interface Untouched {
  /** AWS accounts that must hold no secret afterwards. */
  readonly accounts: readonly string[];
  /** Targets that must have no bundle in the merge-store mount afterwards. */
  readonly mergeTargets: readonly string[];
  /** True when the input is refused before any Vault request is made. */
  readonly noVaultRequest: boolean;
}

/** One input SecretSync must refuse with a clear message, exit 1 (2 with --exit-code). */
export interface RefusedCase {
  readonly id: string;
  /** The input, as the README table shows it. */
  readonly input: string;
  /** Case file under cases/, or the name of a file `generate` writes to a temp dir. */
  readonly file: string;
  /** Text of a generated input (too big to commit). */
  readonly generate?: () => string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Vault stand-in answers (scripted server) for the run, replayed before each attempt. */
  readonly vaultScript?: readonly ScriptedReply[];
  /** The key message, exactly as the README table quotes it. */
  readonly message: string;
  /** Everything the output (stdout + stderr) must contain. */
  readonly expected: readonly (string | RegExp)[];
  /** What the output must not contain. */
  readonly forbidden?: readonly string[];
  readonly untouched: Untouched;
  /** Set when the code does not behave like this yet: the test is `it.fails`, see the README. */
  readonly bug?: string;
}

const CONFIG_STAGE: Untouched = {
  accounts: ['210000000001'],
  mergeTargets: ['Stg', 'Prod', 'Demo'],
  noVaultRequest: true,
};

const HUGE_CONFIG_BYTES = 4 * 1024 * 1024 + 1024;

/** A valid config padded with comment lines to just over the 4 MiB limit. */
function hugeConfig(): string {
  const head = `vault: {address: "\${VAULT_ADDR}"}\nsources: {common: {vault: {mount: bad-input-src}}}\nmerge_store: {vault: {mount: bad-input-merged}}\ntargets: {Stg: {account_id: '210000000001', imports: [common]}}\n`;
  const line = `# ${'padding '.repeat(12)}\n`;
  return head + line.repeat(Math.ceil(HUGE_CONFIG_BYTES / line.length));
}

/** Config files and command lines refused before anything is contacted. */
export const CONFIG_CASES: readonly RefusedCase[] = [
  {
    id: 'malformed-yaml',
    input: 'an unclosed flow sequence `imports: [common}`',
    file: 'malformed-yaml.yaml.in',
    message:
      'malformed-yaml.yaml.in:8: (root): YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    expected: [
      'malformed-yaml.yaml.in:8: (root): YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'duplicate-key',
    input: '`targets:` twice at the top level',
    file: 'duplicate-key.yaml.in',
    message: 'duplicate-key.yaml.in:9: (root): YAML syntax: Map keys must be unique',
    expected: ['duplicate-key.yaml.in:9: (root): YAML syntax: Map keys must be unique'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'not-a-mapping',
    input: 'a YAML list at the top level',
    file: 'not-a-mapping.yaml.in',
    message: 'not-a-mapping.yaml.in:1: (root): the file must be a YAML mapping of settings',
    expected: ['not-a-mapping.yaml.in:1: (root): the file must be a YAML mapping of settings'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'wrong-types',
    input: '`allow_insecure_http: "no"`, `delete_orphans: "yes"`, `dry_run: 1`, `parallel: "four"`',
    file: 'wrong-types.yaml.in',
    message:
      'wrong-types.yaml.in:4: vault.allow_insecure_http: … expected boolean … (one line per field; never "is required" for a value that is present)',
    expected: [
      /wrong-types\.yaml\.in:4: vault\.allow_insecure_http: .*boolean/,
      /wrong-types\.yaml\.in:9: targets\.Stg\.delete_orphans: .*boolean/,
      /wrong-types\.yaml\.in:11: pipeline\.dry_run: .*boolean/,
      /wrong-types\.yaml\.in:12: pipeline\.merge\.parallel: .*(whole number|number|int)/,
    ],
    forbidden: ['is required', 'no targets'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'wrong-enum',
    input: '`log.level: loud`',
    file: 'wrong-enum.yaml.in',
    message: 'wrong-enum.yaml.in:3: log.level: must be one of: debug, info, warn, error',
    expected: ['wrong-enum.yaml.in:3: log.level: must be one of: debug, info, warn, error'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'unknown-key',
    input: '`pipeline.sync.delete_orphan` (misspelt)',
    file: 'unknown-key.yaml.in',
    message:
      'unknown-key.yaml.in:11: pipeline.sync.delete_orphan: unknown key "delete_orphan"; did you mean "delete_orphans"?',
    expected: [
      'unknown-key.yaml.in:11: pipeline.sync.delete_orphan: unknown key "delete_orphan"; did you mean "delete_orphans"?',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'huge-config',
    input: 'a 4 MiB + 1 KiB config file (generated by the test, not committed)',
    file: 'huge-config.yaml',
    generate: hugeConfig,
    message: 'huge-config.yaml: (root): is <size> bytes; config files are limited to 4194304 bytes',
    expected: [
      /huge-config\.yaml: \(root\): is \d+ bytes; config files are limited to 4194304 bytes/,
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'alias-bomb',
    input: '"billion laughs": 9 levels of 10 YAML aliases',
    file: 'alias-bomb.yaml.in',
    message:
      'alias-bomb.yaml.in: … YAML aliases expand too far … (a config error; no "internal error", no stack trace)',
    expected: [/alias-bomb\.yaml\.in(:\d+)?: .*alias/i],
    forbidden: ['internal error', 'ReferenceError'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'env-unset',
    input: '`description: "synced from ${BI_UNSET_VARIABLE}"`, variable unset',
    file: 'env-unset.yaml.in',
    message:
      'env-unset.yaml.in:11: targets.Stg.description: environment variable BI_UNSET_VARIABLE is not set; set it, give a default with ${BI_UNSET_VARIABLE:-value}, or write $${BI_UNSET_VARIABLE} for the literal text',
    expected: [
      'env-unset.yaml.in:11: targets.Stg.description: environment variable BI_UNSET_VARIABLE is not set; set it, give a default with ${BI_UNSET_VARIABLE:-value}, or write $${BI_UNSET_VARIABLE} for the literal text',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'env-empty-name',
    input: '`description: "synced from ${}"`',
    file: 'env-empty-name.yaml.in',
    message:
      'env-empty-name.yaml.in:11: targets.Stg.description: … "${}" has no variable name … (not "environment variable  is not set")',
    expected: ['env-empty-name.yaml.in:11: targets.Stg.description:', '${}'],
    forbidden: ['environment variable  is not set'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'env-bad-name',
    input: '`description: "synced from ${1BAD}"`',
    file: 'env-bad-name.yaml.in',
    message:
      'env-bad-name.yaml.in:11: targets.Stg.description: environment variable 1BAD is not set; …',
    expected: ['env-bad-name.yaml.in:11: targets.Stg.description:', '1BAD'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'env-escaped',
    input: '`secret_prefix: "$${BI_LITERAL}/"` (the literal text `${BI_LITERAL}/`)',
    file: 'env-escaped.yaml.in',
    message:
      'env-escaped.yaml.in:12: targets.Stg.secret_prefix: "${BI_LITERAL}/" has characters Secrets Manager does not allow in names: use only A-Z a-z 0-9 / _ + = . @ -',
    expected: [
      'env-escaped.yaml.in:12: targets.Stg.secret_prefix: "${BI_LITERAL}/" has characters Secrets Manager does not allow in names: use only A-Z a-z 0-9 / _ + = . @ -',
    ],
    forbidden: ['BI_LITERAL is not set'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'source-mount-dotdot',
    input: '`sources.common.vault.mount: bad-input-src/../sys`',
    file: 'source-mount-dotdot.yaml.in',
    message:
      'source-mount-dotdot.yaml.in:7: sources.common.vault.mount: … contains a ".." segment … (refused at load, no Vault request)',
    expected: ['source-mount-dotdot.yaml.in:7: sources.common.vault.mount:', '..'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'source-path-dotdot',
    input: '`sources.common.vault.path: app/../../other`',
    file: 'source-path-dotdot.yaml.in',
    message:
      'source-path-dotdot.yaml.in:8: sources.common.vault.path: … contains a ".." segment … (refused at load, no Vault request)',
    expected: ['source-path-dotdot.yaml.in:8: sources.common.vault.path:', '..'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'source-mount-nul',
    input: '`sources.common.vault.mount: "bad-input-src\\0/app"` (a NUL character)',
    file: 'source-mount-nul.yaml.in',
    message:
      'source-mount-nul.yaml.in:7: sources.common.vault.mount: … contains a NUL character … (refused at load, no Vault request)',
    expected: ['source-mount-nul.yaml.in:7: sources.common.vault.mount:', 'NUL'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'secret-prefix-nul',
    input: '`secret_prefix: "stg\\0/"` (a NUL character)',
    file: 'secret-prefix-nul.yaml.in',
    message:
      'secret-prefix-nul.yaml.in:11: targets.Stg.secret_prefix: "stg\\0/" has characters Secrets Manager does not allow in names: use only A-Z a-z 0-9 / _ + = . @ -',
    expected: [
      'secret-prefix-nul.yaml.in:11: targets.Stg.secret_prefix: "stg',
      'has characters Secrets Manager does not allow in names: use only A-Z a-z 0-9 / _ + = . @ -',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'secret-prefix-unicode',
    input: '`secret_prefix: prød/`',
    file: 'secret-prefix-unicode.yaml.in',
    message:
      'secret-prefix-unicode.yaml.in:11: targets.Stg.secret_prefix: "prød/" has characters Secrets Manager does not allow in names: use only A-Z a-z 0-9 / _ + = . @ -',
    expected: [
      'secret-prefix-unicode.yaml.in:11: targets.Stg.secret_prefix: "prød/" has characters Secrets Manager does not allow in names: use only A-Z a-z 0-9 / _ + = . @ -',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'target-name-unicode',
    input: 'a target named `Prød`',
    file: 'target-name-unicode.yaml.in',
    message:
      'target-name-unicode.yaml.in:9: targets.Prød: name "Prød" must start with a letter or digit and use only letters, digits, _ . - (at most 128)',
    expected: [
      'target-name-unicode.yaml.in:9: targets.Prød: name "Prød" must start with a letter or digit and use only letters, digits, _ . - (at most 128)',
    ],
    untouched: { ...CONFIG_STAGE, mergeTargets: ['Prød'] },
  },
  {
    id: 'invalid-accounts-and-arns',
    input:
      'account ids `12345`, `21000000000a`, `1234567890123`, `0123`; a user ARN, an 11-digit role ARN, an STS ARN, a role pattern without `{{.AccountID}}`',
    file: 'invalid-accounts-and-arns.yaml.in',
    message:
      'invalid-accounts-and-arns.yaml.in:14: targets.Stg.account_id: "21000000000a" is not an AWS account id: it must be exactly 12 digits (quote it in YAML to keep leading zeros) — and seven more lines, one per value',
    expected: [
      'invalid-accounts-and-arns.yaml.in:6: aws.execution_context.account_id: "12345" is not an AWS account id: it must be exactly 12 digits (quote it in YAML to keep leading zeros)',
      'invalid-accounts-and-arns.yaml.in:14: targets.Stg.account_id: "21000000000a" is not an AWS account id: it must be exactly 12 digits (quote it in YAML to keep leading zeros)',
      'invalid-accounts-and-arns.yaml.in:10: sources.legacy.aws.account_id: "1234567890123" is not an AWS account id: it must be exactly 12 digits',
      'invalid-accounts-and-arns.yaml.in:21: dynamic_targets.Sandboxes.exclude[0]: "0123" is not an AWS account id: it must be exactly 12 digits',
      'invalid-accounts-and-arns.yaml.in:7: aws.execution_context.custom_role_pattern: "arn:aws:iam::123456789012:role/Fixed" must contain {{.AccountID}} (or {account_id}) where the account id goes',
      'invalid-accounts-and-arns.yaml.in:16: targets.Stg.role_arn: "arn:aws:iam::21000000000:role/Sync" is not an IAM role ARN: expected arn:aws:iam::<12-digit account>:role/<path/>name',
      'invalid-accounts-and-arns.yaml.in:10: sources.legacy.aws.role_arn: "arn:aws:iam::210000000001:user/alice" is not an IAM role ARN: expected arn:aws:iam::<12-digit account>:role/<path/>name',
      'invalid-accounts-and-arns.yaml.in:22: dynamic_targets.Sandboxes.role_arn: "arn:aws:sts::{{.AccountID}}:assumed-role/Sync/x" is not an IAM role ARN: expected arn:aws:iam::<12-digit account>:role/<path/>name (the account may be {{.AccountID}})',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'account-id-unquoted',
    input: '`account_id: 12345` (unquoted: a YAML number)',
    file: 'account-id-unquoted.yaml.in',
    message:
      'account-id-unquoted.yaml.in:8: targets.Stg.account_id: … must be exactly 12 digits … (not "is required", not "no targets")',
    expected: ['account-id-unquoted.yaml.in:8: targets.Stg.account_id:', '12 digits'],
    forbidden: ['is required', 'no targets'],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'import-cycle',
    input: '`Prod` imports `Demo`, `Demo` imports `Prod`',
    file: 'import-cycle.yaml.in',
    message:
      'import-cycle.yaml.in:9: targets.Demo: import cycle: Demo -> Prod -> Demo; a target cannot inherit from itself',
    expected: [
      'import-cycle.yaml.in:9: targets.Demo: import cycle: Demo -> Prod -> Demo; a target cannot inherit from itself',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'self-import',
    input: '`Stg` imports `Stg`',
    file: 'self-import.yaml.in',
    message:
      'self-import.yaml.in:8: targets.Stg: import cycle: Stg -> Stg; a target cannot inherit from itself',
    expected: [
      'self-import.yaml.in:8: targets.Stg: import cycle: Stg -> Stg; a target cannot inherit from itself',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'merge-store-in-source',
    input: '`merge_store.vault.mount: bad-input-src/merged` with a source on `bad-input-src`',
    file: 'merge-store-in-source.yaml.in',
    message:
      'merge-store-in-source.yaml.in:7: merge_store.vault.mount: merge store "bad-input-src/merged" overlaps source "common" (Vault bad-input-src): …',
    expected: [
      'merge-store-in-source.yaml.in:7: merge_store.vault.mount: merge store "bad-input-src/merged" overlaps source "common" (Vault bad-input-src): the store keeps bundles at bad-input-src/merged/<target>/ and its state at bad-input-src/merged/.secretsync/',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'shared-prefix',
    input: '`Stg` (`stg/`) and `Prod` (`stg/app/`) in the same account and region',
    file: 'shared-prefix.yaml.in',
    message:
      'shared-prefix.yaml.in:8: targets.Stg: targets "Prod" and "Stg" both write to account 210000000001 in us-east-1 with overlapping secret prefixes "stg/app/" and "stg/", …',
    expected: [
      'shared-prefix.yaml.in:8: targets.Stg: targets "Prod" and "Stg" both write to account 210000000001 in us-east-1 with overlapping secret prefixes "stg/app/" and "stg/", so their secret names can collide',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'region-typo',
    input: '`region: us-est-1`',
    file: 'region-typo.yaml.in',
    message:
      'region-typo.yaml.in:8: targets.Stg.region: "us-est-1" is not a known AWS region: did you mean "us-east-1"?',
    expected: [
      'region-typo.yaml.in:8: targets.Stg.region: "us-est-1" is not a known AWS region: did you mean "us-east-1"?',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'empty-targets-flag',
    input: '`pipeline --targets ""` (an unset CI variable) on a valid config',
    file: 'valid-base.yaml.in',
    args: ['--targets', ''],
    message:
      'error: --targets (or SECRETSYNC_TARGETS) is empty (""): name at least one target, or omit --targets and leave SECRETSYNC_TARGETS unset to select every target',
    expected: [
      'error: --targets (or SECRETSYNC_TARGETS) is empty (""): name at least one target, or omit --targets and leave SECRETSYNC_TARGETS unset to select every target',
    ],
    untouched: CONFIG_STAGE,
  },
  {
    id: 'unknown-targets-flag',
    input: '`pipeline --targets Stgg,Nope` on a valid config',
    file: 'valid-base.yaml.in',
    args: ['--targets', 'Stgg,Nope'],
    message: 'error: unknown target "Stgg" (did you mean "Stg"?), "Nope"; valid targets: Stg',
    expected: ['error: unknown target "Stgg" (did you mean "Stg"?), "Nope"; valid targets: Stg'],
    untouched: CONFIG_STAGE,
  },
];

const LOOKUP_SELF: ScriptedReply = {
  status: 200,
  body: JSON.stringify({ data: { ttl: 0, renewable: false } }),
};
const KV2_MOUNT: ScriptedReply = {
  status: 200,
  body: JSON.stringify({ data: { path: 'secret/', type: 'kv', options: { version: '2' } } }),
};
const HTML: ScriptedReply = {
  status: 200,
  headers: { 'content-type': 'text/html' },
  body: '<html><body>Please log in to the proxy</body></html>',
};
const SHAPES_UNTOUCHED: Untouched = {
  accounts: ['210000000030'],
  mergeTargets: ['Shapes'],
  noVaultRequest: false,
};

/** Inputs that reach Vault or AWS and must fail there, writing nothing. */
export const RUNTIME_CASES: readonly RefusedCase[] = [
  {
    id: 'aws-source-binary',
    input: 'AWS source secret `bi-binary/blob` created with `SecretBinary`',
    file: 'aws-source-binary.yaml.in',
    message:
      'source legacy: secret "bi-binary/blob" in account <caller> has a binary value; only JSON object values can be synced',
    expected: [
      'source legacy: secret "bi-binary/blob" in account ',
      'has a binary value; only JSON object values can be synced',
    ],
    untouched: { accounts: ['210000000028'], mergeTargets: ['AwsBinary'], noVaultRequest: false },
  },
  {
    id: 'aws-source-plain-text',
    input: 'AWS source secret `bi-text/plain` with the string `hunter2`',
    file: 'aws-source-plain-text.yaml.in',
    message:
      'source legacy: secret "bi-text/plain" in account <caller> is not a JSON object; only JSON object values can be synced',
    expected: [
      'source legacy: secret "bi-text/plain" in account ',
      'is not a JSON object; only JSON object values can be synced',
    ],
    forbidden: ['hunter2'],
    untouched: { accounts: ['210000000029'], mergeTargets: ['AwsText'], noVaultRequest: false },
  },
  {
    id: 'vault-list-keys-not-a-list',
    input: 'Vault LIST answers `{"data": {"keys": "not-a-list"}}`',
    file: 'vault-unexpected-shape.yaml.in',
    vaultScript: [
      LOOKUP_SELF,
      KV2_MOUNT,
      { status: 200, body: '{"data": {"keys": "not-a-list"}}' },
    ],
    message:
      'failed to list secrets at path "secret/metadata/" … unexpected response from Vault: data.keys: Invalid input: expected array, received string',
    expected: [
      'failed to list secrets at path "secret/metadata/"',
      'unexpected response from Vault: data.keys',
    ],
    untouched: SHAPES_UNTOUCHED,
  },
  {
    id: 'vault-list-html',
    input: 'Vault LIST answers 200 with an HTML page',
    file: 'vault-unexpected-shape.yaml.in',
    vaultScript: [LOOKUP_SELF, KV2_MOUNT, HTML],
    message:
      'failed to list secrets at path "secret/metadata/" … unexpected response from Vault: : Invalid input: expected object, received undefined',
    expected: [
      'failed to list secrets at path "secret/metadata/"',
      'unexpected response from Vault',
    ],
    untouched: SHAPES_UNTOUCHED,
  },
  {
    id: 'vault-list-data-null',
    input: 'Vault LIST answers `{"data": null}`',
    file: 'vault-unexpected-shape.yaml.in',
    vaultScript: [LOOKUP_SELF, KV2_MOUNT, { status: 200, body: '{"data": null}' }],
    message:
      'failed to list secrets at path "secret/metadata/" … unexpected response from Vault: data: Invalid input: expected object, received null',
    expected: [
      'failed to list secrets at path "secret/metadata/"',
      'unexpected response from Vault: data',
    ],
    untouched: SHAPES_UNTOUCHED,
  },
  {
    id: 'vault-read-data-not-object',
    input: 'Vault read answers `{"data": {"data": "a string"}}`',
    file: 'vault-unexpected-shape.yaml.in',
    vaultScript: [
      LOOKUP_SELF,
      KV2_MOUNT,
      { status: 200, body: '{"data": {"keys": ["db"]}}' },
      { status: 200, body: '{"data": {"data": "a string"}}' },
    ],
    message:
      'failed to read secret at path "secret/data/db" … unexpected response from Vault: data.data: expected a JSON object',
    expected: [
      'failed to read secret at path "secret/data/db"',
      'unexpected response from Vault: data.data: expected a JSON object',
    ],
    untouched: SHAPES_UNTOUCHED,
  },
  {
    id: 'vault-mounts-html',
    input: 'Vault `sys/internal/ui/mounts/secret` answers 200 with an HTML page',
    file: 'vault-unexpected-shape.yaml.in',
    vaultScript: [LOOKUP_SELF, HTML],
    message:
      'failed to look up mount at path "sys/internal/ui/mounts/secret" … unexpected response from Vault: …',
    expected: [
      'failed to look up mount at path "sys/internal/ui/mounts/secret"',
      'unexpected response from Vault',
    ],
    untouched: SHAPES_UNTOUCHED,
  },
];

/** What Vault holds for the runtime cases (mount `bad-input-src`). */
export const VAULT_SEED: Readonly<Record<string, Record<string, unknown>>> = {
  'app/db': { user: 'app' },
  'trav/db': { ok: true },
  'uni/café': { k: 'v' },
  'uni/plain': { pässwörd: '日本語🔑', emoji: '🔐' },
  'big/ascii': { blob: 'x'.repeat(70_000) },
  'big/multibyte': { blob: '日'.repeat(30_000) },
  'big/small': { a: 1 },
};

/**
 * Keys a real Vault refuses to create but a compromised or buggy server could still list; only
 * the local server stores them (seeded through its /_dev/secrets control surface).
 */
export const VAULT_ODD_KEYS: Readonly<Record<string, Record<string, unknown>>> = {
  'trav/../escape': { escaped: true },
  'trav//double': { double: true },
  'trav/n\u0000ul': { nul: true },
  'trav/.': { dot: true },
};

/** An input that is partly or wholly valid: what must happen instead of a refusal. */
export interface AcceptedCase {
  readonly id: string;
  readonly input: string;
  readonly file: string;
  readonly args: readonly string[];
  /** The key message (or outcome), exactly as the README table quotes it. */
  readonly message: string;
  /** Everything the output (stdout + stderr) must contain. */
  readonly expected: readonly string[];
  readonly exitCode: number;
  /** Set when the code does not behave like this yet: the test is `it.fails`, see the README. */
  readonly bug?: string;
}

/** Inputs where the bad part is skipped or fails alone, or that are valid despite looking odd. */
export const ACCEPTED_CASES: readonly AcceptedCase[] = [
  {
    id: 'vault-key-traversal',
    input:
      'Vault lists `../`, `.`, `/` (from `trav//double`) and `n\\0ul` (a NUL) under the source folder',
    file: 'vault-key-traversal.yaml.in',
    args: [],
    message:
      'skipping key "../": it contains a "." or ".." segment (one warning per key; the keys are never followed or written, trav/db still syncs, exit 0)',
    expected: [
      'skipping key "../": it contains a "." or ".." segment',
      'skipping key ".": it contains a "." or ".." segment',
      'skipping key "/": it is empty',
      'skipping key "n\\u0000ul": it contains a NUL character',
    ],
    exitCode: 0,
  },
  {
    id: 'unicode-secret-key',
    input: 'Vault key `uni/café`; Vault value `{"pässwörd": "日本語🔑", "emoji": "🔐"}` next to it',
    file: 'unicode-secret-keys.yaml.in',
    args: [],
    message:
      '! uni/café: "uni/café" has characters Secrets Manager does not allow in names: use only A-Z a-z 0-9 / _ + = . @ - (that secret only; the unicode value syncs byte-exact; exit 1, 2 with --exit-code)',
    expected: [
      '! uni/café: "uni/café" has characters Secrets Manager does not allow in names: use only A-Z a-z 0-9 / _ + = . @ -',
    ],
    exitCode: 1,
  },
  {
    id: 'secret-too-large',
    input:
      'Vault values of 70,011 bytes (ASCII) and 90,011 bytes (30,000 × `日`, only 30,011 characters)',
    file: 'secret-too-large.yaml.in',
    args: [],
    message:
      '! big/multibyte: value is 90011 bytes as JSON; Secrets Manager stores at most 65536 bytes: split the secret in Vault (per secret; the rest syncs; exit 1, 2 with --exit-code)',
    expected: [
      '! big/ascii: value is 70011 bytes as JSON; Secrets Manager stores at most 65536 bytes: split the secret in Vault',
      '! big/multibyte: value is 90011 bytes as JSON; Secrets Manager stores at most 65536 bytes: split the secret in Vault',
    ],
    exitCode: 1,
  },
  {
    id: 'source-mount-slashes',
    input: '`sources.app.vault.mount: //bad-input-src//app/`',
    file: 'source-mount-slashes.yaml.in',
    args: ['--merge-only', '--dry-run'],
    message:
      'merge: ok, 1 secret(s) (normalized to bad-input-src/app; empty segments cannot leave the mount)',
    expected: ['merge: ok, 1 secret(s)'],
    exitCode: 0,
  },
  {
    id: 'secret-prefix-dots',
    input: '`secret_prefix: /../bi//`',
    file: 'secret-prefix-dots.yaml.in',
    args: [],
    message:
      'accepted: the secret is created as exactly /../bi//db (Secrets Manager names allow . and /, which have no path meaning there)',
    expected: ['sync: ok, 1 added'],
    exitCode: 0,
  },
  {
    id: 'prototype-key-removed',
    input: 'Vault secret proto/cfg goes from {"a": 1, "toString": "stale"} (synced) to {"a": 1}',
    file: 'prototype-key-removed.yaml.in',
    args: ['--diff'],
    message:
      '~ proto/cfg (removed: toString) (and the account value becomes {"a":1}; a key is a key, whatever its name)',
    expected: ['~ proto/cfg (removed: toString)'],
    exitCode: 0,
  },
];
