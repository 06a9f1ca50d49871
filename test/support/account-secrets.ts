import {
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

const REGION = 'us-east-1';

/**
 * A Secrets Manager client acting in `accountId` through the role SecretSync assumes there
 * (moto maps assumed-role credentials to the role's account), or as the caller when omitted.
 */
export async function secretsClientIn(
  endpoint: string,
  accountId?: string,
): Promise<SecretsManagerClient> {
  if (accountId === undefined) return new SecretsManagerClient({ endpoint, region: REGION });
  const sts = new STSClient({ endpoint, region: REGION });
  try {
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'test-reader',
      }),
    );
    const credentials = assumed.Credentials;
    return new SecretsManagerClient({
      endpoint,
      region: REGION,
      credentials: {
        accessKeyId: credentials?.AccessKeyId ?? '',
        secretAccessKey: credentials?.SecretAccessKey ?? '',
        sessionToken: credentials?.SessionToken ?? '',
      },
    });
  } finally {
    sts.destroy();
  }
}

/** Every secret name in an account (scheduled deletions included), sorted. */
export async function secretNamesIn(endpoint: string, accountId?: string): Promise<string[]> {
  const client = await secretsClientIn(endpoint, accountId);
  try {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListSecretsCommand({
          MaxResults: 100,
          IncludePlannedDeletion: true,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      );
      names.push(...(page.SecretList ?? []).map((secret) => secret.Name ?? ''));
      token = page.NextToken;
    } while (token !== undefined && token !== '');
    return names.sort();
  } finally {
    client.destroy();
  }
}

/** The SecretString of one secret in an account. */
export async function secretStringIn(
  endpoint: string,
  accountId: string,
  name: string,
): Promise<string | undefined> {
  const client = await secretsClientIn(endpoint, accountId);
  try {
    return (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
  } finally {
    client.destroy();
  }
}

/** Every secret of an account (not scheduled for deletion) as name → parsed value, by name. */
export async function secretValuesIn(
  endpoint: string,
  accountId: string,
): Promise<Map<string, unknown>> {
  const client = await secretsClientIn(endpoint, accountId);
  try {
    const names = (
      (await client.send(new ListSecretsCommand({ MaxResults: 100 }))).SecretList ?? []
    ).map((s) => s.Name ?? '');
    const values = new Map<string, unknown>();
    for (const name of names.sort()) {
      values.set(
        name,
        JSON.parse(
          (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString ?? 'null',
        ),
      );
    }
    return values;
  } finally {
    client.destroy();
  }
}
