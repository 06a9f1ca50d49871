import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { OperationError } from '../../src/context/operation-error.js';
import { startAwsPeer } from '../support/aws-peer.js';
import type { AwsPeer } from '../support/aws-peer.js';
import {
  buildOrganization,
  directoryFor,
  discoveryConfig,
  dynamicOf,
  TEST_CREDENTIALS,
} from '../support/discovery.js';
import type { BuiltOrganization } from '../support/discovery.js';

/* Account lists in SSM parameters (moto implements GetParameter with decryption), with names and
 * statuses filled from Organizations, and combined with Organizations discovery. */

let peer: AwsPeer;
let org: BuiltOrganization;
let env: Record<string, string>;
let ssm: SSMClient;
beforeAll(async () => {
  peer = await startAwsPeer();
  env = { AWS_ENDPOINT_URL: peer.endpoint };
  org = await buildOrganization(peer.endpoint, [
    { name: 'listed-one', ou: 'Listed' },
    { name: 'listed-two', ou: '' },
    { name: 'listed-closed', ou: '', close: true },
  ]);
  ssm = new SSMClient({
    endpoint: peer.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
  });
}, 60_000);
afterAll(async () => {
  ssm.destroy();
  await peer.close();
});

const id = (name: string) => org.ids.get(name) ?? '';

async function put(name: string, value: string, type: 'String' | 'SecureString' = 'String') {
  await ssm.send(
    new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }),
  );
}

async function discover(discovery: string) {
  const config = discoveryConfig({ dynamic: `  D: {discovery: ${discovery}, imports: [Staging]}` });
  const { directory } = directoryFor(config, env);
  return directory.discover(dynamicOf(config, 'D'));
}

describe('accounts_list discovery', () => {
  it('reads a JSON id array from a SecureString, names from Organizations, closed excluded', async () => {
    await put(
      '/platform/ids',
      JSON.stringify([id('listed-two'), id('listed-one'), id('listed-closed'), '999999999999']),
      'SecureString',
    );
    const accounts = await discover(`{accounts_list: {source: 'ssm:/platform/ids'}}`);
    expect(accounts.map((a) => [a.id, a.name, a.status])).toEqual(
      [
        [id('listed-one'), 'listed-one', 'ACTIVE'],
        [id('listed-two'), 'listed-two', 'ACTIVE'],
        ['999999999999', '', 'UNKNOWN'],
      ].sort(([a], [b]) => ((a ?? '') < (b ?? '') ? -1 : 1)),
    );
  });

  it('keeps the names a JSON object list gives, and reads comma-separated ids', async () => {
    await put('/platform/named', `[{"id": "${id('listed-one')}", "name": "Payments Prod"}]`);
    expect((await discover(`{accounts_list: {source: 'ssm:/platform/named'}}`))[0]?.name).toBe(
      'Payments Prod',
    );
    await put('/platform/csv', `${id('listed-one')}, ${id('listed-two')}`);
    expect(await discover(`{accounts_list: {source: 'ssm:/platform/csv'}}`)).toHaveLength(2);
  });

  it('names the parameter when its content or existence is wrong', async () => {
    await put('/platform/bad', `${id('listed-one')},not-an-id`);
    const bad = discover(`{accounts_list: {source: 'ssm:/platform/bad'}}`);
    await expect(bad).rejects.toBeInstanceOf(DataError);
    await expect(bad).rejects.toThrow(
      /SSM parameter "\/platform\/bad" .*entry 2 of 2 is not a 12-digit AWS account id/,
    );
    const missing = discover(`{accounts_list: {source: 'ssm:/platform/missing'}}`);
    await expect(missing).rejects.toBeInstanceOf(OperationError);
    await expect(missing).rejects.toThrow(/read parameter at path "\/platform\/missing"/);
  });

  it('unions with Organizations discovery, one entry per account', async () => {
    await put('/platform/union', JSON.stringify([id('listed-one'), id('listed-two')]));
    const accounts = await discover(
      `{organizations: {ou: '${org.ous.get('Listed') ?? ''}'}, accounts_list: {source: 'ssm:/platform/union'}}`,
    );
    expect(accounts.map((a) => a.id)).toEqual([id('listed-one'), id('listed-two')].sort());
  });
});
