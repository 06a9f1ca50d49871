import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { parseConfig } from './load.js';

const REST =
  "sources: {s: {vault: {mount: secret}}}\nmerge_store: {vault: {mount: merged}}\ntargets: {T: {account_id: '111111111111', imports: [s]}}\n";

function authOf(auth: string, env: Record<string, string> = {}) {
  return parseConfig(
    `vault: {address: 'https://vault:8200', auth: ${auth}}\n${REST}`,
    'c.yaml',
    env,
  ).config.vault.auth;
}

function problemsOf(auth: string): string {
  try {
    authOf(auth);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe('vault.auth.jwt and vault.auth.aws', () => {
  it('fills the default mounts and picks the JWT source', () => {
    expect(authOf('{jwt: {role: ci, token_file: /var/run/secrets/tokens/vault}}')).toEqual({
      method: 'jwt',
      mount: 'jwt',
      role: 'ci',
      source: { kind: 'file', path: '/var/run/secrets/tokens/vault' },
      audience: undefined,
    });
    expect(authOf('{jwt: {role: ci, token_env: CI_JWT}}', { CI_JWT: 'a.b.c' })).toMatchObject({
      source: { kind: 'env', name: 'CI_JWT', token: 'a.b.c' },
    });
    expect(
      authOf('{jwt: {role: ci, mount: gha, github_actions: true, audience: vault}}', {
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner/token?x=1',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt',
      }),
    ).toEqual({
      method: 'jwt',
      mount: 'gha',
      role: 'ci',
      source: {
        kind: 'github_actions',
        requestUrl: 'https://runner/token?x=1',
        requestToken: 'rt',
      },
      audience: 'vault',
    });
  });

  it('takes the STS endpoint from AWS_ENDPOINT_URL_STS before AWS_ENDPOINT_URL', () => {
    const env = { AWS_ENDPOINT_URL_STS: 'http://sts:1', AWS_ENDPOINT_URL: 'http://all:2' };
    expect(authOf('{aws: {role: ci, header_value: vault.example.com}}', env)).toEqual({
      method: 'aws',
      mount: 'aws',
      role: 'ci',
      headerValue: 'vault.example.com',
      region: undefined,
      stsEndpoint: 'http://sts:1',
    });
    expect(
      authOf('{aws: {role: ci, region: eu-west-1}}', { AWS_ENDPOINT_URL: 'http://all:2' }),
    ).toMatchObject({
      region: 'eu-west-1',
      stsEndpoint: 'http://all:2',
    });
  });

  it('needs exactly one place to get the JWT', () => {
    expect(problemsOf('{jwt: {role: ci}}')).toContain(
      'vault.auth.jwt: says nowhere to get the JWT: set token_file',
    );
    expect(problemsOf('{jwt: {role: ci, token_file: /t, github_actions: true}}')).toContain(
      'sets token_file and github_actions: choose one place to get the JWT',
    );
    expect(problemsOf('{jwt: {role: ci, token_file: /t}, aws: {role: ci}}')).toContain(
      'configures jwt and aws: choose one method',
    );
    expect(problemsOf('{aws: {role: ci, header: x}}')).toContain('header');
  });
});
