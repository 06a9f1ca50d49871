import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAccountJwt } from './jwt.js';
import { startTokenReview } from './server.js';
import type { RunningTokenReview } from './server.js';

let review: RunningTokenReview;
beforeAll(async () => {
  review = await startTokenReview();
});
afterAll(async () => {
  await review.close();
});

const PATH = '/apis/authentication.k8s.io/v1/tokenreviews';
const identity = { namespace: 'apps', name: 'sync', uid: 'uid-7' };

async function post(
  body: unknown,
  headers: Record<string, string> = { authorization: 'Bearer x' },
) {
  const response = await fetch(`${review.address}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('TokenReview endpoint', () => {
  it('authenticates an accepted token as its service account (201), kind optional', async () => {
    const jwt = serviceAccountJwt(identity);
    review.accept(jwt, identity);
    const answer = await post({ spec: { token: jwt, audiences: ['vault'] } });
    expect(answer.status).toBe(201);
    expect(answer.body.status).toEqual({
      authenticated: true,
      user: {
        username: 'system:serviceaccount:apps:sync',
        uid: 'uid-7',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:apps'],
      },
      audiences: ['vault'],
    });
  });

  it('answers an unknown token with authenticated: false and an error', async () => {
    const answer = await post({ kind: 'TokenReview', spec: { token: 'other' } });
    expect(answer.status).toBe(201);
    expect(answer.body.status).toEqual({
      authenticated: false,
      user: {},
      error: 'invalid bearer token',
    });
  });

  it('refuses a request without a bearer token, a bad body and other paths', async () => {
    expect((await post({ spec: { token: 'x' } }, {})).status).toBe(401);
    expect((await post({ spec: {} })).status).toBe(400);
    const other = await fetch(`${review.address}/api/v1/namespaces`);
    expect(other.status).toBe(404);
    expect(review.reviews()).toBeGreaterThanOrEqual(5);
  });

  it('makes JWTs whose claims name the service account', () => {
    const [header, claims, signature] = serviceAccountJwt(identity).split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'JWT',
    });
    expect(JSON.parse(Buffer.from(claims ?? '', 'base64url').toString())).toMatchObject({
      'kubernetes.io/serviceaccount/namespace': 'apps',
      'kubernetes.io/serviceaccount/service-account.name': 'sync',
      'kubernetes.io/serviceaccount/service-account.uid': 'uid-7',
    });
    expect(signature).not.toBe('');
  });
});
