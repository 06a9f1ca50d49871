import { describe, expect, it } from 'vitest';
import { signWithSdk } from './sigv4-signer.js';

/*
 * AWS's published Signature Version 4 test suite (the "aws-sig-v4-test-suite" of the AWS General
 * Reference): every vector signs with these example credentials, for region us-east-1 and
 * service "service", at 2015-08-30T12:36:00Z, for host example.amazonaws.com. The expected
 * Authorization values are the suite's, checked here against the SDK signer as we wrap it.
 */
const SUITE = {
  credentials: {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  },
  region: 'us-east-1',
  service: 'service',
  date: new Date(Date.UTC(2015, 7, 30, 12, 36, 0)),
};
const SCOPE = 'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

describe('signWithSdk against the SigV4 test suite', () => {
  it('get-vanilla', async () => {
    const headers = await signWithSdk(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' },
      SUITE,
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.authorization).toBe(
      `AWS4-HMAC-SHA256 ${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
    );
  });

  it('post-vanilla', async () => {
    const headers = await signWithSdk(
      { method: 'POST', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' },
      SUITE,
    );
    expect(headers.authorization).toBe(
      `AWS4-HMAC-SHA256 ${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b`,
    );
  });

  it('post-x-www-form-urlencoded: the body takes part in the signature, as in a GetCallerIdentity login', async () => {
    const headers = await signWithSdk(
      {
        method: 'POST',
        url: new URL('https://example.amazonaws.com/'),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Param1=value1',
      },
      SUITE,
    );
    expect(headers.authorization).toBe(
      `AWS4-HMAC-SHA256 ${SCOPE}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a`,
    );
  });

  it('signs the session token of temporary credentials and sends it', async () => {
    const headers = await signWithSdk(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' },
      { ...SUITE, credentials: { ...SUITE.credentials, sessionToken: 'session-token-x' } },
    );
    expect(headers['x-amz-security-token']).toBe('session-token-x');
    expect(headers.authorization).toContain('SignedHeaders=host;x-amz-date;x-amz-security-token,');
  });
});
