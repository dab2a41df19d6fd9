/**
 * The JSON Schema of a config file, generated from the zod schema the loader
 * checks with, so editors (YAML language server, VS Code) validate and
 * complete tierdown.yaml. Committed as tierdown.schema.json (a test keeps it
 * current) and printed by `tierdown schema`; see docs/config.md#editor-support.
 */
import * as z from 'zod';
import { configFileSchema, DURATION_DESCRIPTION } from './schema.js';

const DURATION_PATTERN = '^\\s*(\\d+(\\.\\d+)?|\\.\\d+)\\s*(ms|s|m|h)\\s*$';

/** What any value may also be in the file: a string with `${VAR}` in it, checked once interpolated. */
const INTERPOLATED = { type: 'string', pattern: '\\$', description: 'a value with ${VAR} in it, checked once interpolated (docs/config.md#interpolation)' };
const INTERPOLATED_REF = { $ref: '#/definitions/interpolated' };

// A value the schema pins down (a number, a switch, a name from a list, a duration) may still be written as ${VAR}.
function allowInterpolation(jsonSchema: Record<string, unknown>): void {
  const pinned = ['integer', 'number', 'boolean'].includes(jsonSchema.type as string) || 'enum' in jsonSchema || 'const' in jsonSchema || 'pattern' in jsonSchema;
  if (!pinned) return;
  const own = { ...jsonSchema };
  for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
  Object.assign(jsonSchema, { anyOf: [own, INTERPOLATED_REF] });
}

export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configFileSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-7',
    override: ({ jsonSchema }) => {
      // Durations are checked in code (a transform); in the file they are strings with a unit.
      if (jsonSchema.description === DURATION_DESCRIPTION) Object.assign(jsonSchema, { type: 'string', pattern: DURATION_PATTERN });
      allowInterpolation(jsonSchema);
    },
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'tierdown.yaml',
    description: 'A tierdown stack: services, tiers and how they stop. Reference: docs/config.md',
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== '$schema')),
    definitions: { ...(generated.definitions as Record<string, unknown> | undefined), interpolated: INTERPOLATED },
  };
}
