import { describe, expect, it } from 'vitest';
import { loginFailureMessage, loginFix } from './login-failure.js';
import type { LoginTarget } from './login-failure.js';

const AWS: LoginTarget = {
  method: 'AWS IAM',
  mount: 'aws',
  role: 'ci',
  configKey: 'vault.auth.aws',
};

describe('login failure messages', () => {
  it('names method, mount and role, and never a credential it was given', () => {
    const jwt = 'eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl';
    const message = loginFailureMessage(
      { method: 'JWT', mount: 'jwt', role: 'ci', configKey: 'vault.auth.jwt' },
      `error validating token: bad token ${jwt}`,
      [jwt],
    );
    expect(message).toBe(
      'Vault JWT login at auth/jwt/login as role ci failed: error validating token: bad token [redacted]',
    );
  });

  it('tells clock skew and an STS refusal apart', () => {
    expect(
      loginFix(
        AWS,
        'error making upstream request: received error code 403 from STS: <Code>SignatureDoesNotMatch</Code> Signature expired',
      ),
    ).toContain('clock skew');
    expect(
      loginFix(
        AWS,
        'error making upstream request: received error code 403 from STS: <Code>InvalidClientTokenId</Code>',
      ),
    ).toContain('STS refused the signed request: check that the AWS credentials work');
    expect(loginFix(AWS, 'something new')).toBeUndefined();
  });
});
