import { describe, expect, it } from 'vitest';
import { DataError } from '../../core/errors.js';
import { parseAccountsList } from './accounts-list-directory.js';

const P = '/platform/accounts';

describe('parseAccountsList', () => {
  it('reads a JSON array of ids, sorted and deduplicated', () => {
    expect(parseAccountsList(P, '["222222222222", "111111111111", "222222222222"]')).toEqual([
      { id: '111111111111', name: '' },
      { id: '222222222222', name: '' },
    ]);
  });

  it('reads a JSON array of {id, name} objects', () => {
    expect(
      parseAccountsList(P, '[{"id":"111111111111","name":"Prod EU"},{"id":"222222222222"}]'),
    ).toEqual([
      { id: '111111111111', name: 'Prod EU' },
      { id: '222222222222', name: '' },
    ]);
  });

  it('reads comma-separated ids, tolerating spaces and a trailing comma', () => {
    expect(parseAccountsList(P, ' 111111111111 , 022222222222,\n')).toEqual([
      { id: '022222222222', name: '' },
      { id: '111111111111', name: '' },
    ]);
  });

  it('names the parameter and the bad positions, never the values', () => {
    const secretish = 'hunter2-very-secret';
    const error = (() => {
      try {
        parseAccountsList(P, `111111111111,${secretish},12345`);
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DataError);
    expect(error?.message).toContain('SSM parameter "/platform/accounts"');
    expect(error?.message).toContain('entries 2, 3 of 3 are not a 12-digit AWS account id');
    expect(error?.message).not.toContain(secretish);
    expect(error?.message).not.toContain('12345,');
  });

  it('rejects numbers (leading zeros would be lost), bad JSON and an empty value', () => {
    expect(() => parseAccountsList(P, '[111111111111]')).toThrow(/wrong shape.*ids as strings/);
    expect(() => parseAccountsList(P, '["111111111111"')).toThrow(/not valid JSON/);
    expect(() => parseAccountsList(P, '   ')).toThrow(/is empty/);
    expect(() => parseAccountsList(P, '["1111"]')).toThrow(/entry 1 of 1 is not/);
  });
});
