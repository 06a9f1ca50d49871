import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CHART_SCHEMA_PATH, renderChartSchema } from './chart-schema.js';
import {
  CHART_DIR,
  CHART_README_PATH,
  collectValuesDocs,
  renderChartReadme,
} from './chart-values-docs.js';

// `npm run chart:docs`: regenerates the chart's values.schema.json and README.md from values.yaml
// (its comments) and the config's zod schema. Run from the repository root.
const docs = collectValuesDocs(readFileSync(`${CHART_DIR}/values.yaml`, 'utf8'));
if (docs.undocumented.length > 0)
  throw new Error(`values.yaml keys without a comment: ${docs.undocumented.join(', ')}`);
const chart = parse(readFileSync(`${CHART_DIR}/Chart.yaml`, 'utf8')) as { version: string };
writeFileSync(CHART_SCHEMA_PATH, renderChartSchema(docs.rows));
writeFileSync(CHART_README_PATH, renderChartReadme(docs.rows, chart.version));
process.stdout.write(`wrote ${CHART_SCHEMA_PATH} and ${CHART_README_PATH}\n`);
