import { z } from 'zod';

/* The login methods of `vault.auth`, strict like the rest of the file's shape (schema.ts). */

const tokenAuth = z.union([z.string(), z.strictObject({ token: z.string() })]);

/** `vault.auth`: one login method (the rules check there is at most one). */
export const vaultAuthSchema = z.strictObject({
  token: tokenAuth.optional(),
  approle: z
    .strictObject({
      mount: z.string().optional(),
      role_id: z.string(),
      secret_id: z.string(),
    })
    .optional(),
  kubernetes: z
    .strictObject({
      role: z.string(),
      mount_path: z.string().optional(),
      token_path: z.string().optional(),
    })
    .optional(),
  jwt: z
    .strictObject({
      role: z.string().describe('The role of the JWT auth method to log in as'),
      mount: z.string().optional(),
      token_file: z
        .string()
        .optional()
        .describe('A file holding the JWT, read again at every login (projected tokens rotate)'),
      token_env: z.string().optional().describe('The environment variable holding the JWT'),
      github_actions: z
        .boolean()
        .optional()
        .describe("Request the job's OIDC ID token from GitHub Actions (needs id-token: write)"),
      audience: z
        .string()
        .optional()
        .describe(
          'The audience: requested from GitHub Actions, or checked in the token before login',
        ),
    })
    .optional(),
  aws: z
    .strictObject({
      role: z.string().describe('The role of the AWS auth method to log in as'),
      mount: z.string().optional(),
      header_value: z
        .string()
        .optional()
        .describe(
          "Signed X-Vault-AWS-IAM-Server-ID header: the mount's iam_server_id_header_value",
        ),
      region: z
        .string()
        .optional()
        .describe(
          'STS region to sign for; unset: the global endpoint in us-east-1, as Vault expects',
        ),
    })
    .optional(),
});
