import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_PATH, renderConfigJsonSchema } from './json-schema.js';

describe('committed JSON Schema', () => {
  it('matches the zod schema (run `npm run schema` when this fails)', () => {
    expect(readFileSync(JSON_SCHEMA_PATH, 'utf8')).toBe(renderConfigJsonSchema());
  });

  it('describes the shorthand target form and rejects unknown top-level keys', () => {
    const schema = JSON.parse(renderConfigJsonSchema()) as {
      additionalProperties: boolean;
      properties: { targets: { additionalProperties: { anyOf: { type: string }[] } } };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(
      schema.properties.targets.additionalProperties.anyOf.map((branch) => branch.type),
    ).toEqual(['array', 'object']);
  });
});
