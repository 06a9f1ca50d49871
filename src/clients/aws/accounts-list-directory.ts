import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { DataError } from '../../core/errors.js';
import { compareText } from '../../core/account-filters.js';
import { cachedLoad, callerClient } from './caller-client.js';
import type { AwsClientFactory } from './client-factory.js';

/** One account from an account list: its id and, when the list gives it, its name. */
export interface ListedAccount {
  readonly id: string;
  readonly name: string;
}

const listEntries = z.array(
  z.union([z.string(), z.object({ id: z.string(), name: z.string().optional() })]),
);

const FORMATS =
  'a JSON array of ids (["111111111111"]), a JSON array of {"id", "name"} objects, or comma-separated ids';

/**
 * Accounts listed in an SSM parameter (`accounts_list.source: ssm:<name>`). The parameter is read
 * as the caller, decrypted when it is a SecureString, and read once per run.
 */
export class AccountsListDirectory {
  private readonly lists = new Map<string, Promise<ListedAccount[]>>();

  constructor(
    private readonly factory: AwsClientFactory,
    private readonly region: string,
  ) {}

  /** The accounts the parameter lists, sorted by id. */
  accounts(parameter: string): Promise<ListedAccount[]> {
    return cachedLoad(this.lists, parameter, async () => {
      const client = await callerClient(this.factory, 'ssm', this.region);
      const reply = await client.send(
        new GetParameterCommand({ Name: parameter, WithDecryption: true }),
      );
      return parseAccountsList(parameter, reply.Parameter?.Value ?? '');
    });
  }
}

/**
 * Parses an account list value: {@link FORMATS}. Every id must be 12 digits. Errors name the
 * parameter and the positions of bad entries, never the value itself (a mistyped parameter name
 * could point at a real secret).
 */
export function parseAccountsList(parameter: string, value: string): ListedAccount[] {
  const text = value.trim();
  const where = `SSM parameter "${parameter}" (dynamic target accounts_list)`;
  if (text === '') throw new DataError(`${where} is empty: store ${FORMATS}`);
  const entries = text.startsWith('[') ? parseJsonList(where, text) : parseCommaList(text);
  const bad = entries.flatMap((entry, index) => (/^\d{12}$/.test(entry.id) ? [] : [index + 1]));
  if (bad.length > 0) {
    const noun = bad.length === 1 ? 'entry' : 'entries';
    throw new DataError(
      `${where}: ${noun} ${bad.join(', ')} of ${entries.length} ${bad.length === 1 ? 'is' : 'are'} not a 12-digit AWS account id; store ${FORMATS} (quote ids in JSON to keep leading zeros)`,
    );
  }
  const byId = new Map<string, ListedAccount>();
  for (const entry of entries) {
    const known = byId.get(entry.id);
    if (known === undefined || known.name === '') byId.set(entry.id, entry);
  }
  return [...byId.values()].sort((a, b) => compareText(a.id, b.id));
}

function parseJsonList(where: string, text: string): ListedAccount[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DataError(`${where} starts with "[" but is not valid JSON: store ${FORMATS}`);
  }
  const parsed = listEntries.safeParse(json);
  if (!parsed.success) {
    throw new DataError(
      `${where} is a JSON value of the wrong shape: store ${FORMATS}, with ids as strings`,
    );
  }
  return parsed.data.map((entry) =>
    typeof entry === 'string'
      ? { id: entry.trim(), name: '' }
      : { id: entry.id.trim(), name: entry.name?.trim() ?? '' },
  );
}

function parseCommaList(text: string): ListedAccount[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((id) => ({ id, name: '' }));
}
