import { describe, expect, it } from 'vitest';
import { captureStream } from '../../test/support/capture-stream.js';
import type { SyncRecord } from '../core/sync-record.js';
import { createLogger } from '../observability/logger.js';
import { encodeSyncRecord } from './sync-record-codec.js';
import type { StoredRecord } from './sync-record-read.js';
import { readSyncRecordOrIgnore } from './sync-record-read.js';

const record: SyncRecord = {
  accountId: '111122223333',
  region: 'eu-west-1',
  secrets: new Map([['app/db', { hash: 'a'.repeat(64), version: 'v1', changed: undefined }]]),
};

async function read(load: () => Promise<StoredRecord>) {
  const out = captureStream();
  const logger = createLogger({ level: 'info', format: 'json', destination: out });
  const result = await readSyncRecordOrIgnore({ target: 'App', where: 'store/App', load }, logger);
  const warnings = out.lines().map((line) => (JSON.parse(line) as { msg: string }).msg);
  return { result, warnings };
}

describe('readSyncRecordOrIgnore', () => {
  it('returns a stored record and logs nothing', async () => {
    const { result, warnings } = await read(() => Promise.resolve(encodeSyncRecord(record)));
    expect(result).toEqual(record);
    expect(warnings).toEqual([]);
  });

  it('returns undefined quietly when no record is stored', async () => {
    expect(await read(() => Promise.resolve(undefined))).toEqual({
      result: undefined,
      warnings: [],
    });
  });

  it('logs and ignores a record the store could not parse, one that does not decode, and a failed read', async () => {
    const foreign = await read(() => Promise.resolve({ problem: 'not a SecretSync sync record' }));
    const undecodable = await read(() =>
      Promise.resolve({ meta: { format: 'other' }, entries: new Map() }),
    );
    const failed = await read(() => Promise.reject(new Error('access denied')));
    for (const { result } of [foreign, undecodable, failed]) expect(result).toBeUndefined();
    expect([...foreign.warnings, ...undecodable.warnings, ...failed.warnings]).toEqual([
      'sync record at store/App ignored: not a SecretSync sync record; every value is read this run',
      'sync record at store/App ignored: not a SecretSync sync record (unknown format); every value is read this run',
      'sync record at store/App ignored: access denied; every value is read this run',
    ]);
  });
});
