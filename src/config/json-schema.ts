import { z } from 'zod';
import { configFileSchema } from './schema.js';

/** Where the committed JSON Schema lives, relative to the repository root. */
export const JSON_SCHEMA_PATH = 'schema/secretsync.schema.json';

/** The JSON Schema of the config file, generated from the zod schema, as stable text. */
export function renderConfigJsonSchema(): string {
  const schema = z.toJSONSchema(configFileSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
  const document = {
    ...schema,
    title: 'SecretSync configuration',
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
