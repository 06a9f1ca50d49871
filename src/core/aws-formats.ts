/*
 * AWS naming rules as pure predicates, each returning the reason a value breaks the rule (or
 * undefined when it is fine), so every caller reports the same rule text.
 */

/** Placeholders that stand for a discovered account id in role patterns. */
export const ACCOUNT_PLACEHOLDERS = ['{{.AccountID}}', '{account_id}'] as const;

/** Checks a 12-digit AWS account id. */
export function checkAccountId(value: string): string | undefined {
  return /^\d{12}$/.test(value)
    ? undefined
    : `"${value}" is not an AWS account id: it must be exactly 12 digits (quote it in YAML to keep leading zeros)`;
}

const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** Checks an IAM role ARN, optionally allowing an account placeholder in the account field. */
export function checkRoleArn(value: string, allowPlaceholder: boolean): string | undefined {
  const concrete = allowPlaceholder ? replaceAccountPlaceholder(value, '000000000000') : value;
  if (ROLE_ARN.test(concrete)) return undefined;
  const placeholder = allowPlaceholder ? ' (the account may be {{.AccountID}})' : '';
  return `"${value}" is not an IAM role ARN: expected arn:aws:iam::<12-digit account>:role/<path/>name${placeholder}`;
}

/** The account id in an IAM role ARN or an STS assumed-role ARN, undefined when there is none. */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:aws(?:-[a-z]+)*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
}

/** Replaces every account placeholder with the given account id. */
export function replaceAccountPlaceholder(pattern: string, accountId: string): string {
  return ACCOUNT_PLACEHOLDERS.reduce((text, token) => text.split(token).join(accountId), pattern);
}

/** Checks an AWS region name such as `us-east-1` or `us-gov-west-1`. */
export function checkRegion(value: string): string | undefined {
  return /^[a-z]{2}(?:-(?:gov|iso[a-z]?))?-[a-z]+-\d{1,2}$/.test(value)
    ? undefined
    : `"${value}" is not an AWS region: expected a name like us-east-1 or eu-west-2`;
}

/** Checks an S3 bucket name against the general-purpose bucket naming rules. */
export function checkBucketName(value: string): string | undefined {
  const rule =
    'S3 bucket names are 3-63 characters of lowercase letters, digits, dots and hyphens, start and end with a letter or digit, and are not formatted like an IP address';
  const valid =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) &&
    !value.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(value) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(value) &&
    !/(-s3alias|--ol-s3|--x-s3|\.mrap)$/.test(value);
  return valid ? undefined : `"${value}" is not a valid bucket name: ${rule}`;
}

const SECRET_NAME_CHARS = /^[A-Za-z0-9/_+=.@-]*$/;
/** Longest secret name AWS Secrets Manager accepts. */
export const MAX_SECRET_NAME_LENGTH = 512;

/** Checks a Secrets Manager secret name (or prefix) against the allowed characters and length. */
export function checkSecretName(value: string): string | undefined {
  if (!SECRET_NAME_CHARS.test(value)) {
    return `"${value}" has characters Secrets Manager does not allow in names: use only A-Z a-z 0-9 / _ + = . @ -`;
  }
  return value.length > MAX_SECRET_NAME_LENGTH
    ? `"${value.slice(0, 40)}..." is ${value.length} characters; Secrets Manager names are at most ${MAX_SECRET_NAME_LENGTH}`
    : undefined;
}
