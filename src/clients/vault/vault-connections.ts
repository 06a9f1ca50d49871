import type { VaultSettings } from '../../config/types.js';
import type { AppLogger } from '../../observability/logger.js';
import type { CallExternal } from '../../resilience/call-wrapper.js';
import { VaultTokenSource } from './auth.js';
import type { VaultLogin } from './auth.js';
import { createVaultHttp } from './http.js';
import type { VaultHttp } from './http.js';
import { KvClient } from './kv.js';
import { resolveKvLocation } from './mounts.js';
import type { LoginDeps } from './login-request.js';
import { VaultConfigError } from './vault-config-error.js';

/** A KV client positioned at a configured path: the mount plus the folder inside it. */
export interface KvLocation {
  readonly client: KvClient;
  readonly folder: string;
}

/**
 * One HTTP client and token per (address, namespace), shared by every source and the merge
 * store, with mount lookups cached for the run.
 */
export class VaultConnections {
  private readonly connections = new Map<string, { http: VaultHttp; tokens: VaultTokenSource }>();
  private readonly locations = new Map<string, Promise<KvLocation>>();

  constructor(
    private readonly settings: VaultSettings,
    private readonly call: CallExternal,
    private readonly logger: AppLogger,
    /** The run's AWS credentials, for the AWS IAM login; the SDK's default chain when unset. */
    private readonly awsCredentials?: LoginDeps['awsCredentials'],
  ) {}

  /** Logs in to the default Vault (address and namespace of `vault`) and says how. */
  login(): Promise<VaultLogin> {
    return this.connectionFor(undefined, this.settings.namespace).tokens.login();
  }

  /** The KV client for `path` on the given (or default) address and namespace. */
  kvFor(
    address: string | undefined,
    namespace: string | undefined,
    path: string,
  ): Promise<KvLocation> {
    const key = `${address ?? ''}|${namespace ?? ''}|${path}`;
    let location = this.locations.get(key);
    if (location === undefined) {
      location = this.resolve(address, namespace, path);
      location.catch(() => this.locations.delete(key));
      this.locations.set(key, location);
    }
    return location;
  }

  /** Stops every background token renewal and closes every pooled connection. */
  close(): void {
    for (const { http, tokens } of this.connections.values()) {
      tokens.close();
      http.close();
    }
  }

  private async resolve(
    address: string | undefined,
    namespace: string | undefined,
    path: string,
  ): Promise<KvLocation> {
    const { http, tokens } = this.connectionFor(address, namespace ?? this.settings.namespace);
    const token = () => tokens.token();
    const location = await resolveKvLocation(http, await token(), path);
    return { client: new KvClient(http, location.mount, token), folder: location.folder };
  }

  private connectionFor(address: string | undefined, namespace: string | undefined) {
    const chosen = address ?? this.settings.address;
    if (chosen === undefined)
      throw new VaultConfigError('no Vault address: set vault.address or VAULT_ADDR');
    const key = `${chosen}|${namespace ?? ''}`;
    let connection = this.connections.get(key);
    if (connection === undefined) {
      const http = createVaultHttp(
        {
          address: chosen,
          namespace,
          caCert: this.settings.caCert,
          tlsServerName: this.settings.tlsServerName,
          allowInsecureHttp: this.settings.allowInsecureHttp,
        },
        this.call,
      );
      const tokens = new VaultTokenSource(
        http,
        this.settings.auth,
        this.logger,
        {},
        {
          call: this.call,
          ...(this.awsCredentials === undefined ? {} : { awsCredentials: this.awsCredentials }),
        },
      );
      connection = { http, tokens };
      this.connections.set(key, connection);
    }
    return connection;
  }
}
