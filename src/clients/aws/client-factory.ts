import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSMClient } from '@aws-sdk/client-ssm';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Environment } from '../../config/env-substitution.js';
import type { AwsSettings } from '../../config/types.js';
import { resolveAccountAccess, withSessionAccount } from '../../core/role-resolution.js';
import type { AccountAccess, RoleSettings } from '../../core/role-resolution.js';
import type { Metrics } from '../../observability/metrics.js';
import type { CallExternal } from '../../resilience/call-wrapper.js';
import type { AwsService } from './aws-commands.js';
import { assertKnownRegion } from './aws-config-error.js';
import type { AwsEndpoint } from './aws-failure-hint.js';
import { AttemptAbortingHttpHandler, installCallWrapper } from './call-middleware.js';
import type { ClientScope, WrappableClient } from './call-middleware.js';
import { RefreshingCredentials } from './refreshing-credentials.js';
import { RoleSessions } from './role-sessions.js';

/** The SDK client classes the factory builds, by service. */
const CLIENTS = {
  secretsmanager: SecretsManagerClient,
  s3: S3Client,
  organizations: OrganizationsClient,
  'sso-admin': SSOAdminClient,
  identitystore: IdentitystoreClient,
  ssm: SSMClient,
} as const;

type ClientService = keyof typeof CLIENTS;

/** The service part of `AWS_ENDPOINT_URL_<SERVICE>` for each client. */
const ENDPOINT_ENV = {
  secretsmanager: 'SECRETS_MANAGER',
  sts: 'STS',
  s3: 'S3',
  organizations: 'ORGANIZATIONS',
  'sso-admin': 'SSO_ADMIN',
  identitystore: 'IDENTITYSTORE',
  ssm: 'SSM',
} as const satisfies Record<ClientService | 'sts', string>;
type ClientOf<S extends ClientService> = InstanceType<(typeof CLIENTS)[S]>;
type SdkClientClass<C> = new (options: object) => C;

/** What every client's calls pass through, and (for tests) what stands in for the network. */
export interface AwsClientWiring {
  readonly call: CallExternal;
  readonly metrics: Metrics;
  /** An HTTP handler for a service in place of the network (in-memory fakes in tests). */
  readonly httpHandlerFor?: (service: AwsService) => object | undefined;
  /** The base credentials' provider; the SDK's default chain when undefined. */
  readonly credentialChain?: AwsCredentialIdentityProvider;
}

/** Who the base credentials belong to. */
export interface CallerIdentity {
  readonly accountId: string;
  readonly arn: string;
}

/**
 * One SDK client per (service, account, region). The caller's account uses the default credential
 * chain; every other account uses a cached AssumeRole session. Retries are the call wrapper's,
 * so every client is built with `maxAttempts: 1`.
 */
export class AwsClientFactory {
  private readonly clients = new Map<string, WrappableClient>();
  private readonly baseSts: STSClient;
  private readonly baseCredentials: RefreshingCredentials;
  private identity: Promise<CallerIdentity> | undefined;
  readonly sessions: RoleSessions;

  constructor(
    private readonly settings: AwsSettings,
    private readonly wiring: AwsClientWiring,
    private readonly env: Environment,
  ) {
    const chain = wiring.credentialChain ?? defaultProvider();
    // Resolving the base credentials is its own classified call, so a missing or broken
    // credential chain is reported as such, not as the failure of whichever call needed them.
    this.baseCredentials = new RefreshingCredentials(() =>
      wiring.call(
        {
          dependency: 'aws:credentials',
          labels: { kind: 'aws', service: 'credentials' },
          operation: 'aws.resolve_credentials',
          path: 'default credential chain',
          hintFor: () =>
            'give SecretSync AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity (AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, as IRSA sets), or an instance or task role',
        },
        () => chain(),
      ),
    );
    this.baseSts = this.build(
      STSClient,
      {
        service: 'sts',
        account: 'caller',
        region: settings.region,
        endpoint: this.endpointOf('sts'),
      },
      {
        credentials: () => this.baseCredentials.get(),
      },
    );
    this.sessions = new RoleSessions(this.baseSts, {
      externalId: settings.externalId,
      durationMs: settings.sessionDuration,
    });
  }

  /** The base credentials (the run's credential chain), e.g. to sign a Vault AWS IAM login. */
  callerCredentials(): Promise<AwsCredentialIdentity> {
    return this.baseCredentials.get();
  }

  /** The account and ARN of the base credentials (STS GetCallerIdentity, once per run). */
  callerIdentity(): Promise<CallerIdentity> {
    this.identity ??= Promise.resolve()
      .then(() => {
        assertKnownRegion(this.settings.region);
      })
      .then(() => this.baseSts.send(new GetCallerIdentityCommand({})))
      .then((response) => ({ accountId: response.Account ?? '', arn: response.Arn ?? '' }));
    this.identity.catch(() => {
      this.identity = undefined;
    });
    return this.identity;
  }

  /**
   * How an account is reached (the one role-resolution order, against the caller's identity) and
   * the client of `service` there. `accountId` undefined means the caller's own account. Through a
   * role, the account is the one the assumed session is in, whatever the config said.
   */
  async clientForAccount<S extends ClientService>(
    service: S,
    accountId: string | undefined,
    roleArn: string | undefined,
    region: string,
  ): Promise<{ access: AccountAccess; client: ClientOf<S> }> {
    assertKnownRegion(region);
    const caller = await this.callerIdentity();
    const resolved = resolveAccountAccess(
      accountId,
      roleArn,
      roleSettingsOf(this.settings),
      caller.accountId,
    );
    const access =
      resolved.kind === 'caller'
        ? resolved
        : withSessionAccount(resolved, await this.sessions.credentials(resolved.roleArn));
    return { access, client: this.client(service, access, region) };
  }

  /** The client of `service` for an account (reached as the caller or through its role). */
  client<S extends ClientService>(service: S, access: AccountAccess, region: string): ClientOf<S> {
    const key = `${service}|${access.accountId}|${access.kind === 'assume_role' ? access.roleArn : 'caller'}|${region}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      const credentials =
        access.kind === 'assume_role'
          ? this.sessions.providerFor(access.roleArn)
          : () => this.baseCredentials.get();
      const Client = CLIENTS[service] as SdkClientClass<WrappableClient>;
      client = this.build(
        Client,
        { service, account: access.accountId, region, endpoint: this.endpointOf(service) },
        { credentials },
      );
      this.clients.set(key, client);
    }
    return client as ClientOf<S>;
  }

  /** Releases every client's connections. */
  destroy(): void {
    this.baseSts.destroy();
    for (const client of this.clients.values()) client.destroy();
  }

  /** An SDK client with the call wrapper installed and the wrapper's attempt aborts honoured. */
  private build<C extends WrappableClient>(
    Client: SdkClientClass<C>,
    scope: ClientScope,
    extra: { readonly credentials: AwsCredentialIdentityProvider },
  ): C {
    const handler = this.wiring.httpHandlerFor?.(scope.service) ?? new AttemptAbortingHttpHandler();
    const client = new Client({
      ...this.options(scope.service, scope.region),
      ...extra,
      requestHandler: handler,
    });
    installCallWrapper(client, this.wiring.call, this.wiring.metrics, scope);
    return client;
  }

  private options(service: ClientService | 'sts', region: string) {
    const endpoint = this.endpointOf(service);
    return {
      region,
      maxAttempts: 1,
      ...(endpoint === undefined ? {} : { endpoint: endpoint.url }),
      // A custom endpoint cannot resolve bucket-name subdomains.
      ...(service === 's3' && endpoint !== undefined ? { forcePathStyle: true } : {}),
    };
  }

  /**
   * Config first, then the standard per-service and global endpoint variables (emulators, VPC
   * endpoints), resolved here from the injected environment so every client agrees; errors name
   * the setting the endpoint came from.
   */
  private endpointOf(service: ClientService | 'sts'): AwsEndpoint | undefined {
    const perService = `AWS_ENDPOINT_URL_${ENDPOINT_ENV[service]}`;
    const candidates: readonly [string | undefined, string][] = [
      [this.settings.endpoint, 'aws.endpoint'],
      [this.env[perService], perService],
      [this.env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL'],
    ];
    const [url, setting] = candidates.find(([candidate]) => candidate !== undefined) ?? [];
    return url === undefined || url === '' || setting === undefined ? undefined : { url, setting };
  }
}

/** The role-resolution view of the AWS settings. */
export function roleSettingsOf(settings: AwsSettings): RoleSettings {
  return {
    customRolePattern: settings.executionContext.customRolePattern,
    controlTower: settings.controlTower,
    defaultRoleName: settings.defaultRoleName,
  };
}
