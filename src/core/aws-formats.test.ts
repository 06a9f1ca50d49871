import { describe, expect, it } from 'vitest';
import {
  checkAccountId,
  checkBucketName,
  checkRegion,
  checkRoleArn,
  checkSecretName,
  replaceAccountPlaceholder,
} from './aws-formats.js';

describe('AWS formats', () => {
  it('account ids are exactly 12 digits', () => {
    expect(checkAccountId('012345678901')).toBeUndefined();
    for (const bad of ['12345678901', '1234567890123', '12345678901a', '']) {
      expect(checkAccountId(bad)).toContain('must be exactly 12 digits');
    }
  });

  it('role ARNs name an IAM role in a 12-digit account, with optional path', () => {
    expect(checkRoleArn('arn:aws:iam::123456789012:role/Sync', false)).toBeUndefined();
    expect(checkRoleArn('arn:aws-us-gov:iam::123456789012:role/team/Sync', false)).toBeUndefined();
    expect(checkRoleArn('arn:aws:iam::{{.AccountID}}:role/Sync', true)).toBeUndefined();
    expect(checkRoleArn('arn:aws:iam::{account_id}:role/Sync', true)).toBeUndefined();
    expect(checkRoleArn('arn:aws:iam::{{.AccountID}}:role/Sync', false)).toContain(
      'expected arn:aws:iam::',
    );
    expect(checkRoleArn('arn:aws:iam::123456789012:user/Sync', false)).toContain(
      'is not an IAM role ARN',
    );
    expect(checkRoleArn('arn:aws:iam::123:role/Sync', false)).toContain('is not an IAM role ARN');
  });

  it('replaces both placeholder spellings', () => {
    expect(replaceAccountPlaceholder('a/{{.AccountID}}/{account_id}', '111111111111')).toBe(
      'a/111111111111/111111111111',
    );
  });

  it('regions look like AWS regions', () => {
    for (const ok of ['us-east-1', 'eu-west-2', 'us-gov-west-1', 'ap-southeast-3'])
      expect(checkRegion(ok)).toBeUndefined();
    for (const bad of ['US-EAST-1', 'mars', 'us-east', 'useast1'])
      expect(checkRegion(bad)).toContain('is not an AWS region');
  });

  it('bucket names follow the S3 naming rules', () => {
    for (const ok of ['my-bucket', 'a.b.c', 'abc', 'x'.repeat(63)])
      expect(checkBucketName(ok)).toBeUndefined();
    for (const bad of [
      'ab',
      'x'.repeat(64),
      'My-Bucket',
      'a..b',
      '-ab',
      'ab-',
      '192.168.1.1',
      'xn--abc',
      'abc-s3alias',
    ]) {
      expect(checkBucketName(bad)).toContain('S3 bucket names are 3-63 characters');
    }
  });

  it('secret names use the allowed characters and at most 512 of them', () => {
    expect(checkSecretName('team/app_1+x=y.z@w-v')).toBeUndefined();
    expect(checkSecretName('has space')).toContain('use only A-Z a-z 0-9 / _ + = . @ -');
    expect(checkSecretName('é')).toContain('use only');
    expect(checkSecretName('a'.repeat(513))).toContain('is 513 characters');
  });
});
