import { writeFileSync } from 'node:fs';
import { API_DOCS_PATH, apiSourceFiles, collectApi, renderApiReference } from './api-docs.js';

// Regenerates the API reference page from the TypeScript sources in src/.
writeFileSync(API_DOCS_PATH, renderApiReference(collectApi(apiSourceFiles('src'))));
process.stdout.write(`wrote ${API_DOCS_PATH}\n`);
