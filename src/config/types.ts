import type { TagFilter } from '../core/account-filters.js';
import type { DurationMs } from '../core/duration.js';

/*
 * The normalized config: defaults filled, shorthands expanded, environment applied. Deeply
 * readonly; nothing after loading reads raw YAML or process.env.
 */

/** Log settings; CLI flags override them. */
export interface LogSettings {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly format: 'json' | 'text';
}

/** How SecretSync authenticates to Vault. `none` means: decided at run time (issue: auth detection). */
export type VaultAuth =
  | { readonly method: 'token'; readonly token: string }
  | {
      readonly method: 'approle';
      readonly mount: string;
      readonly roleId: string;
      readonly secretId: string;
    }
  | {
      readonly method: 'kubernetes';
      readonly role: string;
      readonly mount: string;
      readonly tokenPath: string;
    }
  | JwtAuth
  | AwsIamAuth
  | { readonly method: 'none' };

/** Where the JWT for `vault.auth.jwt` comes from. */
export type JwtSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'env'; readonly name: string; readonly token: string | undefined }
  | {
      readonly kind: 'github_actions';
      /** ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN, unset outside a job with id-token: write. */
      readonly requestUrl: string | undefined;
      readonly requestToken: string | undefined;
    };

/** `vault.auth.jwt`: log in with a JWT (GitHub Actions OIDC, a projected service-account token). */
export interface JwtAuth {
  readonly method: 'jwt';
  readonly mount: string;
  readonly role: string;
  readonly source: JwtSource;
  readonly audience: string | undefined;
}

/** `vault.auth.aws`: log in with a signed STS GetCallerIdentity request (the IAM method). */
export interface AwsIamAuth {
  readonly method: 'aws';
  readonly mount: string;
  readonly role: string;
  readonly headerValue: string | undefined;
  /** The STS region signed for; undefined: the global endpoint, us-east-1. */
  readonly region: string | undefined;
  /** AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or aws.endpoint, when set. */
  readonly stsEndpoint: string | undefined;
}

/** Connection and traversal settings for Vault. */
export interface VaultSettings {
  readonly address: string | undefined;
  readonly namespace: string | undefined;
  readonly auth: VaultAuth;
  readonly caCert: string | undefined;
  readonly tlsServerName: string | undefined;
  readonly allowInsecureHttp: boolean;
  readonly maxTraversalDepth: number;
  readonly maxSecretsPerMount: number;
  readonly queueCompactionThreshold: number | undefined;
  readonly concurrency: number;
}

/** Where SecretSync runs from in AWS and how it reaches other accounts. */
export interface AwsSettings {
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly executionContext: {
    readonly type: 'management_account' | 'delegated_admin' | 'hub_account' | undefined;
    readonly accountId: string | undefined;
    readonly customRolePattern: string | undefined;
  };
  readonly controlTower: {
    readonly enabled: boolean;
    readonly roleName: string;
    readonly rolePath: string;
  };
  readonly defaultRoleName: string;
  readonly externalId: string | undefined;
  readonly sessionDuration: DurationMs;
  readonly organizationsRootId: string | undefined;
  readonly identityCenter: {
    readonly instanceArn: string | undefined;
    readonly identityStoreId: string | undefined;
  };
}

/** A named set of secrets read from Vault or from AWS Secrets Manager. */
export type Source =
  | {
      readonly kind: 'vault';
      readonly name: string;
      /** The configured mount text, possibly with a sub-path (`secret/team/app`). */
      readonly mount: string;
      readonly path: string | undefined;
      readonly include: readonly string[];
      readonly address: string | undefined;
      readonly namespace: string | undefined;
      readonly maxTraversalDepth: number;
      readonly maxSecretsPerMount: number;
      readonly queueCompactionThreshold: number;
      /** May return no secrets where a target's last sync wrote some. */
      readonly allowEmpty: boolean;
    }
  | {
      readonly kind: 'aws';
      readonly name: string;
      readonly accountId: string;
      readonly region: string;
      readonly prefix: string;
      readonly tags: Readonly<Record<string, string>>;
      readonly roleArn: string | undefined;
      /** May return no secrets where a target's last sync wrote some. */
      readonly allowEmpty: boolean;
    };

/** Where merged bundles are kept between the merge and sync phases (the port is pipeline's `MergeStore`). */
export type MergeStoreSettings =
  | { readonly kind: 'vault'; readonly mount: string }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly prefix: string;
      readonly kmsKeyId: string | undefined;
      readonly region: string;
    };

/** Where and how a target's secrets are written. */
export interface Destination {
  readonly region: string;
  readonly secretPrefix: string;
  readonly roleArn: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly kmsKeyId: string | undefined;
  readonly description: string | undefined;
  readonly deleteOrphans: boolean;
  /** Most deletions one plan may make; undefined: no limit. */
  readonly maxDeletes: number | undefined;
  /** Most changes (any action but unchanged) one plan may make; undefined: no limit. */
  readonly maxChanges: number | undefined;
  /** Another target may write overlapping names into the same account and region. */
  readonly allowSharedPrefix: boolean;
}

/** A static target: one AWS account and region. */
export interface Target extends Destination {
  readonly name: string;
  /** Undefined: the account of the credentials SecretSync runs with. */
  readonly accountId: string | undefined;
  readonly imports: readonly string[];
}

/** How discovered account names are matched against `account_name_patterns`. */
export interface NameMatching {
  readonly strategy: 'exact' | 'fuzzy' | 'loose';
  readonly caseInsensitive: boolean;
  readonly normalizeKeys: boolean;
  readonly stripPrefixes: readonly string[];
  readonly stripSuffixes: readonly string[];
}

/** How a dynamic target finds its accounts; the methods' results are combined. */
export interface Discovery {
  readonly organizations:
    | {
        readonly ous: readonly string[];
        readonly recursive: boolean;
        readonly tags: readonly TagFilter[];
        readonly excludeStatuses: readonly string[];
      }
    | undefined;
  readonly identityCenter:
    | { readonly kind: 'group'; readonly name: string }
    | { readonly kind: 'permission_set'; readonly name: string }
    | undefined;
  readonly accountsList: { readonly parameter: string } | undefined;
}

/** A target template expanded at run time into one target per discovered account. */
export interface DynamicTarget extends Destination {
  readonly name: string;
  readonly discovery: Discovery;
  readonly imports: readonly string[];
  readonly exclude: readonly string[];
  readonly accountNamePatterns: readonly { readonly pattern: string; readonly target: string }[];
  readonly nameMatching: NameMatching;
}

/** Pipeline execution settings. */
export interface PipelineSettings {
  readonly mergeParallel: number;
  readonly syncParallel: number;
  /** Write calls in flight per AWS account and region, shared by every target there. */
  readonly writeConcurrency: number;
  /** Write calls started per second per AWS account and region. */
  readonly writesPerSecond: number;
  readonly deleteOrphans: boolean;
  /** Per-target limits every target inherits unless it sets its own. */
  readonly maxDeletes: number | undefined;
  readonly maxChanges: number | undefined;
  /** Limits across all targets of one run. */
  readonly runMaxDeletes: number | undefined;
  readonly runMaxChanges: number | undefined;
  /** Default of each source's `allowEmpty`. */
  readonly allowEmptySources: boolean;
  /** How long a run waits for a target another run holds (0: fail it at once). */
  readonly lockTimeoutMs: DurationMs;
  /** How long a lease lasts unless renewed. */
  readonly lockTtlMs: DurationMs;
  readonly recoveryWindowDays: number;
  readonly forceDeleteWithoutRecovery: boolean;
  readonly dryRun: boolean;
  readonly continueOnError: boolean;
  /** Per-attempt timeout of every external request. */
  readonly requestTimeoutMs: DurationMs;
  /** Attempts per request for transient failures (1 = no retry). */
  readonly maxAttempts: number;
}

/** Circuit breaker settings shared by every external dependency's breaker. */
export interface CircuitBreakerSettings {
  readonly enabled: boolean;
  readonly failureThreshold: number;
  readonly intervalMs: DurationMs;
  readonly timeoutMs: DurationMs;
  readonly maxRequests: number;
}

/** `metrics`: where one-shot runs push their metrics. */
export interface MetricsSettings {
  /** The Prometheus Pushgateway's URL; undefined: no push. */
  readonly pushgatewayUrl: string | undefined;
}

/** The whole normalized configuration. Maps are sorted by name. */
export interface Config {
  readonly log: LogSettings;
  readonly vault: VaultSettings;
  readonly aws: AwsSettings;
  readonly sources: ReadonlyMap<string, Source>;
  readonly mergeStore: MergeStoreSettings;
  readonly targets: ReadonlyMap<string, Target>;
  readonly dynamicTargets: ReadonlyMap<string, DynamicTarget>;
  readonly pipeline: PipelineSettings;
  readonly circuitBreaker: CircuitBreakerSettings;
  readonly metrics: MetricsSettings;
}

/** Something in the config that is accepted but worth telling the user about. */
export interface ConfigWarning {
  readonly path: string;
  readonly line?: number | undefined;
  readonly message: string;
}
