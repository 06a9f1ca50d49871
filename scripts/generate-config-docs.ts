import { readFileSync, writeFileSync } from 'node:fs';
import { JSON_SCHEMA_PATH } from '../src/config/json-schema.js';
import { CONFIG_DOCS_PATH, renderConfigReference } from './config-docs.js';

// Regenerates the configuration reference page from the committed JSON Schema.
writeFileSync(
  CONFIG_DOCS_PATH,
  renderConfigReference(JSON.parse(readFileSync(JSON_SCHEMA_PATH, 'utf8')) as unknown),
);
process.stdout.write(`wrote ${CONFIG_DOCS_PATH}\n`);
