import { DEFAULTS } from './defaults.js';
import { nonEmpty } from './env-substitution.js';
import type { Environment } from './env-substitution.js';
import type { ConfigFile } from './schema.js';
import type { JwtSource, VaultAuth } from './types.js';

type AuthFile = NonNullable<NonNullable<ConfigFile['vault']>['auth']>;

/**
 * The one Vault auth method of the file (the rules made sure there is at most one), else
 * VAULT_TOKEN, else VAULT_ROLE_ID with VAULT_SECRET_ID.
 */
export function normalizeAuth(file: ConfigFile, env: Environment): VaultAuth {
  const defaults = DEFAULTS.vault.auth;
  const auth: AuthFile = file.vault?.auth ?? {};
  if (auth.token !== undefined) {
    return {
      method: 'token',
      token: typeof auth.token === 'string' ? auth.token : auth.token.token,
    };
  }
  if (auth.approle !== undefined) {
    const { mount, role_id: roleId, secret_id: secretId } = auth.approle;
    return { method: 'approle', mount: mount ?? defaults.approle.mount, roleId, secretId };
  }
  if (auth.kubernetes !== undefined) {
    const { role, mount_path: mount, token_path: tokenPath } = auth.kubernetes;
    return {
      method: 'kubernetes',
      role,
      mount: mount ?? defaults.kubernetes.mount_path,
      tokenPath: tokenPath ?? defaults.kubernetes.token_path,
    };
  }
  const keyless = normalizeKeyless(file, auth, env);
  if (keyless !== undefined) return keyless;
  const token = nonEmpty(env.VAULT_TOKEN);
  if (token !== undefined) return { method: 'token', token };
  const roleId = nonEmpty(env.VAULT_ROLE_ID);
  const secretId = nonEmpty(env.VAULT_SECRET_ID);
  if (roleId !== undefined && secretId !== undefined) {
    return { method: 'approle', mount: defaults.approle.mount, roleId, secretId };
  }
  return { method: 'none' };
}

/** `vault.auth.jwt` or `vault.auth.aws`, when one is set. */
function normalizeKeyless(
  file: ConfigFile,
  auth: AuthFile,
  env: Environment,
): VaultAuth | undefined {
  const defaults = DEFAULTS.vault.auth;
  if (auth.jwt !== undefined) {
    const jwt = auth.jwt;
    return {
      method: 'jwt',
      role: jwt.role,
      mount: jwt.mount ?? defaults.jwt.mount,
      source: jwtSourceOf(jwt, env),
      audience: jwt.audience,
    };
  }
  if (auth.aws !== undefined) {
    const aws = auth.aws;
    return {
      method: 'aws',
      role: aws.role,
      mount: aws.mount ?? defaults.aws.mount,
      headerValue: aws.header_value,
      region: aws.region,
      // The same order the AWS client factory uses for STS: config, per-service, global.
      stsEndpoint:
        file.aws?.endpoint ?? nonEmpty(env.AWS_ENDPOINT_URL_STS) ?? nonEmpty(env.AWS_ENDPOINT_URL),
    };
  }
  return undefined;
}

/** Where the JWT comes from; the rules made sure exactly one source is set. */
function jwtSourceOf(jwt: NonNullable<AuthFile['jwt']>, env: Environment): JwtSource {
  if (jwt.github_actions === true) {
    return {
      kind: 'github_actions',
      requestUrl: nonEmpty(env.ACTIONS_ID_TOKEN_REQUEST_URL),
      requestToken: nonEmpty(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN),
    };
  }
  if (jwt.token_env !== undefined)
    return { kind: 'env', name: jwt.token_env, token: nonEmpty(env[jwt.token_env]) };
  return { kind: 'file', path: jwt.token_file ?? '' };
}
