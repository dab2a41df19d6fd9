/**
 * Flag parsing for every command, on node:util's parseArgs. Common flags are
 * declared once here; a bad flag is a usage error (exit 2) that names it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
  readonly code = 'TIERDOWN_USAGE';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  config: { type: 'string', short: 'c' },
  report: { type: 'string' },
  json: { type: 'boolean' },
  ui: { type: 'string' },
  // After the run, keep the --ui page up as a replay (docs/visualizer.md).
  'ui-keep': { type: 'boolean' },
  inspect: { type: 'string' },
  order: { type: 'string' },
  'on-failure': { type: 'string' },
  grace: { type: 'string' },
  health: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

// `--ui` and `--inspect` take an optional port: a bare flag is rewritten to
// `--ui=` so parseArgs does not swallow the next argument.
function normaliseOptionalValues(argv: string[], names: string[]): string[] {
  return argv.map((arg, index) => {
    if (!names.includes(arg)) return arg;
    const next = argv[index + 1];
    return next !== undefined && /^\d+$/.test(next) ? arg : `${arg}=`;
  });
}

/** Parsed flags: strings for valued options, booleans for switches. */
export interface CommandArgs {
  values: Record<string, string | boolean | undefined> & {
    config?: string;
    report?: string;
    json?: boolean;
    ui?: string;
    'ui-keep'?: boolean;
    inspect?: string;
    order?: string;
    'on-failure'?: string;
    grace?: string;
    health?: string;
    help?: boolean;
  };
  positionals: string[];
}

export function parseCommandArgs(argv: string[], options: Options = COMMON_OPTIONS): CommandArgs {
  try {
    return parseArgs({
      args: normaliseOptionalValues(argv, ['--ui', '--inspect']),
      options,
      allowPositionals: true,
      strict: true,
    }) as CommandArgs;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^.*?: /, '').split('\n')[0]);
  }
}

/** `--order dependency|none`. */
export function parseOrder(value: string | undefined): 'dependency' | 'none' {
  if (value === undefined || value === 'dependency') return 'dependency';
  if (value === 'none') return 'none';
  throw new UsageError(`--order: expected "dependency" or "none", got "${value}"`);
}

/** `--on-failure escalate|rollback`. */
export function parseFailurePolicy(value: string | undefined): 'escalate' | 'rollback' | undefined {
  if (value === undefined || value === 'escalate' || value === 'rollback') return value;
  throw new UsageError(`--on-failure: expected "escalate" or "rollback", got "${value}"`);
}

/** `--ui [PORT]` / `--inspect [PORT]`: undefined when absent, 0 for "pick a default". */
export function parsePortFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === '') return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--${name}: expected a port from 1 to 65535, got "${value}"`);
  return port;
}
