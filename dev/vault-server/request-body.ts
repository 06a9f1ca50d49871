import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { VaultHttpError, badRequest } from './responses.js';

/** Vault's default `max_request_size` (32 MiB); larger bodies get 413. */
export const API_BODY_LIMIT = 32 * 1024 * 1024;

/** Reads the whole body as text, refusing more than `limit` bytes. */
export async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new VaultHttpError(413, ['http: request body too large']);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses JSON text; an empty body is `{}` because Vault treats it as "no parameters". */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`failed to parse JSON input: ${(error as Error).message}`);
  }
}

/** Validates a parsed body with a schema; the first issue becomes a 400 message. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
  throw badRequest(`${where}${issue?.message ?? 'invalid request body'}`);
}

/** An optional parameter where null also means "unset", as in Vault (hvac sends nulls). */
export function optionalParam<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional());
}
