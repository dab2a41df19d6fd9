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

  type Node = { anyOf?: [{ pattern?: string; type?: string }, { $ref: string }]; properties?: Record<string, Node> };
  const schema = configJsonSchema() as { properties: { services: { additionalProperties: { properties: Record<string, Node>; additionalProperties: boolean } } }; definitions: Record<string, { pattern: string }> };
  const service = schema.properties.services.additionalProperties;

  it('describes durations as strings with a unit and forbids unknown keys', () => {
    const pattern = new RegExp(service.properties.timeouts.properties?.kill.anyOf?.[0].pattern as string);
    expect(['5s', '500ms', '1.5m'].every((text) => pattern.test(text))).toBe(true);
    expect(pattern.test('5')).toBe(false);
    expect(service.additionalProperties).toBe(false);
    expect(Object.keys(service.properties)).toEqual(expect.arrayContaining(['command', 'env', 'env_file', 'depends_on', 'ready', 'shutdown']));
  });

  it('lets a number, a switch or a duration be written as ${VAR}', () => {
    for (const node of [service.properties.port, service.properties.ready.properties?.tcp, service.properties.timeouts.properties?.kill]) {
      expect(node?.anyOf?.[1]).toEqual({ $ref: '#/definitions/interpolated' });
    }
    expect(service.properties.port.anyOf?.[0].type).toBe('integer');
    const interpolated = new RegExp(schema.definitions.interpolated.pattern);
    expect(['${API_PORT}', '$PORT'].every((text) => interpolated.test(text))).toBe(true);
    expect(interpolated.test('8080')).toBe(false);
  });
});
