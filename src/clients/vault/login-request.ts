import type { VaultAuth } from '../../config/types.js';
import type { CallExternal } from '../../resilience/call-wrapper.js';
import { awsIamLoginBody } from '../aws/sts-login-request.js';
import type { AwsKeys } from '../aws/sts-login-request.js';
import { checkJwtClaims, readJwt, readTokenFile } from './jwt-token.js';
import type { LoginTarget } from './login-failure.js';

/** The auth methods that log in at `auth/<mount>/login`. */
export type LoginAuth = Exclude<VaultAuth, { method: 'token' } | { method: 'none' }>;

/** What a login needs from outside Vault. */
export interface LoginDeps {
  /** The one call wrapper (the GitHub Actions ID token request goes through it). */
  readonly call: CallExternal;
  /** The run's AWS credentials (the AWS client factory's base credential chain). */
  readonly awsCredentials: () => Promise<AwsKeys>;
  readonly now: () => number;
}

/** One login: whom it is for, the body to post, and the credentials in it (kept out of errors). */
export interface LoginRequest {
  readonly target: LoginTarget;
  readonly body: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
}

/** Builds the login body of `auth`, reading its credential afresh (files rotate, tokens expire). */
export async function loginRequestFor(auth: LoginAuth, deps: LoginDeps): Promise<LoginRequest> {
  switch (auth.method) {
    case 'approle':
      return {
        target: {
          method: 'AppRole',
          mount: auth.mount,
          role: undefined,
          configKey: 'vault.auth.approle',
        },
        body: { role_id: auth.roleId, secret_id: auth.secretId },
        secrets: [auth.secretId],
      };
    case 'kubernetes': {
      const jwt = await readTokenFile(
        auth.tokenPath,
        'Kubernetes',
        'vault.auth.kubernetes.token_path',
      );
      return {
        target: {
          method: 'Kubernetes',
          mount: auth.mount,
          role: auth.role,
          configKey: 'vault.auth.kubernetes',
        },
        body: { role: auth.role, jwt },
        secrets: [jwt],
      };
    }
    case 'jwt': {
      const jwt = await readJwt(auth, deps.call);
      checkJwtClaims(jwt, auth, deps.now());
      return {
        target: { method: 'JWT', mount: auth.mount, role: auth.role, configKey: 'vault.auth.jwt' },
        body: { role: auth.role, jwt },
        secrets: [jwt],
      };
    }
    case 'aws': {
      const credentials = await deps.awsCredentials();
      const body = await awsIamLoginBody({
        role: auth.role,
        credentials,
        region: auth.region,
        endpoint: auth.stsEndpoint,
        headerValue: auth.headerValue,
        date: new Date(deps.now()),
      });
      return {
        target: {
          method: 'AWS IAM',
          mount: auth.mount,
          role: auth.role,
          configKey: 'vault.auth.aws',
        },
        body: { ...body },
        secrets: [credentials.secretAccessKey, credentials.sessionToken ?? ''],
      };
    }
  }
}
