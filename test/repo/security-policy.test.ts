import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// SECURITY.md lists exactly the AWS permissions the code needs: this test derives them from the
// SDK commands src/ sends and fails when the two drift apart.

/** IAM service prefix of each AWS SDK client package. */
const IAM_PREFIX: Readonly<Record<string, string>> = {
  'client-secrets-manager': 'secretsmanager',
  'client-s3': 's3',
  'client-sts': 'sts',
  'client-organizations': 'organizations',
  'client-sso-admin': 'sso',
  'client-identitystore': 'identitystore',
  'client-ssm': 'ssm',
};

/** Commands whose IAM actions differ from their names; an empty list needs no permission. */
const SPECIAL: Readonly<Record<string, readonly string[]>> = {
  's3:ListObjectsV2': ['s3:ListBucket'],
  // HEAD is authorized by s3:GetObject.
  's3:HeadObject': ['s3:GetObject'],
  'sts:GetCallerIdentity': [],
  'secretsmanager:BatchGetSecretValue': [
    'secretsmanager:BatchGetSecretValue',
    'secretsmanager:GetSecretValue',
  ],
};

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** The IAM actions of every SDK command constructed in `text`, by the package it is imported from. */
function actionsIn(text: string): string[] {
  const packageOf = new Map<string, string>();
  for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/([\w-]+)'/g)) {
    const pkg = match[2] ?? '';
    for (const name of (match[1] ?? '').split(','))
      packageOf.set(name.replace(/^\s*type\s+/, '').trim(), pkg);
  }
  return [...text.matchAll(/new (\w+)Command\(/g)].flatMap((match) => {
    const command = match[1] ?? '';
    const pkg = packageOf.get(`${command}Command`);
    const prefix = pkg === undefined ? undefined : IAM_PREFIX[pkg];
    if (prefix === undefined)
      throw new Error(`no IAM prefix for ${command}Command (${pkg ?? '?'})`);
    const action = `${prefix}:${command}`;
    return SPECIAL[action] ?? [action];
  });
}

const policy = z.object({
  Version: z.literal('2012-10-17'),
  Statement: z.array(
    z.object({
      Sid: z.string(),
      Effect: z.literal('Allow'),
      Action: z.array(z.string()),
      Resource: z.union([z.string(), z.array(z.string())]),
      Condition: z.record(z.string(), z.record(z.string(), z.string())).optional(),
    }),
  ),
});

function documentedActions(): string[] {
  const blocks = [...readFileSync('SECURITY.md', 'utf8').matchAll(/```json\n([\s\S]*?)```/g)];
  expect(blocks.length).toBe(2);
  return blocks.flatMap((block) =>
    policy.parse(JSON.parse(block[1] ?? '')).Statement.flatMap((statement) => statement.Action),
  );
}

describe('SECURITY.md IAM policies', () => {
  it('list exactly the AWS actions the code uses (KMS for customer keys aside)', () => {
    const used = new Set(
      sourceFiles('src').flatMap((file) => actionsIn(readFileSync(file, 'utf8'))),
    );
    const documented = new Set(documentedActions().filter((action) => !action.startsWith('kms:')));
    expect([...documented].sort()).toEqual([...used].sort());
  });

  it('derive actions from the package a command is imported from', () => {
    const text = [
      "import { ListTagsForResourceCommand } from '@aws-sdk/client-organizations';",
      "import { ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';",
      'new ListTagsForResourceCommand({}); new ListObjectsV2Command({}); new GetObjectCommand({});',
    ].join('\n');
    expect(actionsIn(text)).toEqual([
      'organizations:ListTagsForResource',
      's3:ListBucket',
      's3:GetObject',
    ]);
  });
});
