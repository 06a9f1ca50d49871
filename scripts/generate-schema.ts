import { writeFileSync } from 'node:fs';
import { JSON_SCHEMA_PATH, renderConfigJsonSchema } from '../src/config/json-schema.js';

// `npm run schema`: regenerates the committed JSON Schema from the zod schema.
writeFileSync(JSON_SCHEMA_PATH, renderConfigJsonSchema());
process.stdout.write(`wrote ${JSON_SCHEMA_PATH}\n`);
