// The committed tierdown.schema.json is what `tierdown schema` prints, generated
// from the zod schema: this fails when the schema changes and the file does not.
// Regenerate with: ./bin/tierdown schema > tierdown.schema.json
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { configJsonSchema } from '../../src/config/json-schema.js';

describe('tierdown.schema.json', () => {
  it('is current with the config schema', () => {
    const committed = JSON.parse(readFileSync(new URL('../../tierdown.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });

  it('describes durations as strings with a unit and forbids unknown keys', () => {
    const schema = configJsonSchema() as { properties: { services: { additionalProperties: { properties: Record<string, { properties?: Record<string, { pattern?: string }> }>; additionalProperties: boolean } } } };
    const service = schema.properties.services.additionalProperties;
    const pattern = new RegExp(service.properties.timeouts.properties?.kill.pattern as string);
    expect(['5s', '500ms', '1.5m'].every((text) => pattern.test(text))).toBe(true);
    expect(pattern.test('5')).toBe(false);
    expect(service.additionalProperties).toBe(false);
    expect(Object.keys(service.properties)).toEqual(expect.arrayContaining(['command', 'env', 'env_file', 'depends_on', 'ready', 'shutdown']));
  });
});
