/**
 * The shape of a `tierdown.yaml` (docs/config.md) as zod schemas. Objects are strict so
 * a misspelt key is an error, not a silently ignored setting. Structural checks
 * live here; checks that need the whole file (known tiers, cycles, URLs) live in
 * resolve.ts. Messages are short and human; issues.ts words the generic ones.
 */
import * as z from 'zod';
import { TIMEOUT_KEYS, type FileTimeoutName } from '../../machines/timeouts.js';
import { STEP_NAMES } from '../../machines/types.js';
import { MAX_HEALTH_RETRIES, MIN_HEALTH_INTERVAL_MS } from './defaults.js';
import { checkDuration } from './durations.js';
import { normaliseSignal } from './signals.js';

const URL_MESSAGE = 'expected an http(s) URL like "http://10.0.0.7:9000"';
const PORT_MESSAGE = 'expected a whole number from 1 to 65535';

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
}

/**
 * After interpolation a value is a string: `port: ${API_PORT}` reads as the
 * number it spells where a number goes, `tcp: ${USE_TCP}` as true or false
 * where a switch goes (docs/config.md#interpolation).
 */
const fromText = <Schema extends z.ZodType>(read: (text: string) => unknown, schema: Schema) =>
  z.preprocess((value) => (typeof value === 'string' ? read(value) : value), schema);
const wholeNumberText = (text: string) => (/^\d+$/.test(text) ? Number(text) : text);
const switchText = (text: string) => (text === 'true' ? true : text === 'false' ? false : text);

/** Marks duration fields for the JSON Schema (json-schema.ts turns them into a pattern). */
export const DURATION_DESCRIPTION = 'a duration with a unit: "500ms", "5s", "1.5s", "2m", "1h" (at most 24h)';

const duration = z
  .unknown()
  .transform((value, ctx) => {
    const checked = checkDuration(value);
    if ('ms' in checked) return checked.ms;
    ctx.issues.push({ code: 'custom', message: checked.problem, input: value });
    return z.NEVER;
  })
  .meta({ description: DURATION_DESCRIPTION });

/** The names under `timeouts:` (machines/timeouts.ts): `http`, `exit`, `sigterm`, `kill`, `max_extend`. */
export const FILE_TIMEOUT_NAMES: readonly FileTimeoutName[] = TIMEOUT_KEYS.flatMap((row) => (row.file[0] === 'timeouts' ? [row.file[1]] : []));

const optionalDuration = duration.optional();
const partialTimeouts = z.strictObject(
  // fromEntries loses the names' types; they are exactly FILE_TIMEOUT_NAMES.
  Object.fromEntries(FILE_TIMEOUT_NAMES.map((name) => [name, optionalDuration])) as Record<FileTimeoutName, typeof optionalDuration>,
);

const httpUrl = z.string({ error: URL_MESSAGE }).refine(isHttpUrl, { error: URL_MESSAGE });

const KNOWN_STEPS = `(known: ${STEP_NAMES.join(', ')})`;

const steps = z
  .array(z.enum(STEP_NAMES, { error: (issue) => `unknown step ${JSON.stringify(issue.input)} ${KNOWN_STEPS}` }), {
    error: `expected a list of steps ${KNOWN_STEPS}`,
  })
  .min(1, { error: `needs at least one step ${KNOWN_STEPS}` })
  // The statechart only escalates, so a tier cannot go back to a milder step.
  .superRefine((listed, ctx) => {
    const ranks = listed.map((step) => STEP_NAMES.indexOf(step));
    ranks.forEach((rank, index) => {
      if (index > 0 && rank === ranks[index - 1]) {
        ctx.addIssue({ code: 'custom', message: `step "${listed[index]}" is listed twice`, path: [index] });
      }
    });
    if (ranks.some((rank, index) => index > 0 && rank < ranks[index - 1])) {
      ctx.addIssue({ code: 'custom', message: `steps must keep the order ${STEP_NAMES.join(', ')}` });
    }
  });

const signal = z.string({ error: 'expected a signal name like "SIGINT"' }).transform((name, ctx) => {
  const normalised = normaliseSignal(name);
  if (!normalised) {
    ctx.issues.push({ code: 'custom', message: `unknown signal ${JSON.stringify(name)}`, input: name });
    return z.NEVER;
  }
  return normalised;
});

/** One entry of `tiers:`. */
export const tierSchema = z.strictObject({
  steps: steps.optional(),
  signal: signal.optional(),
  timeouts: partialTimeouts.optional(),
});

const readyHttp = z
  .string()
  .refine((value) => value.startsWith('/') || isHttpUrl(value), {
    error: 'expected a path like "/health" or a full http(s) URL',
  });

const envValue = z
  .union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' })
  .transform(String);

const argv = z
  .array(z.string(), { error: 'expected a list of strings (argv; it is never run through a shell)' })
  .min(1, { error: 'expected at least the program to run' });

// A user or group by name, or by numeric id (a YAML number or a string of digits).
const account = (what: 'user' | 'group') =>
  z.union([z.string().min(1), z.int().min(0)], { error: `expected a ${what} name or a numeric id` });

const RESTART_MESSAGE = 'expected no, on-failure or always';
const restartPolicyName = z.enum(['no', 'on-failure', 'always'], { error: RESTART_MESSAGE });

/** `restart:` — a policy name, or the policy with its limits (docs/restart.md). */
const restart = z.union(
  [
    restartPolicyName,
    z.strictObject({
      policy: restartPolicyName,
      max_restarts: fromText(wholeNumberText, z.int({ error: 'expected a whole number of restarts' }).min(0, { error: 'expected 0 or more' })).optional(),
      backoff: duration.optional(),
    }),
  ],
  { error: `${RESTART_MESSAGE}, or { policy, max_restarts, backoff }` },
);

/**
 * `healthcheck:` — checks made while the service runs (docs/config.md#healthcheck);
 * exactly one of `http`, `tcp`, `command` is checked in endpoints.ts. The interval
 * has a floor so a check cannot spin; retries are bounded like any count.
 */
const healthcheck = z.strictObject({
  http: readyHttp.optional(),
  tcp: fromText(switchText, z.boolean()).optional(),
  command: argv.optional(),
  interval: duration.pipe(z.number().min(MIN_HEALTH_INTERVAL_MS, { error: `too short: at least "${MIN_HEALTH_INTERVAL_MS}ms"` })).optional(),
  timeout: duration.pipe(z.number().min(1, { error: 'too short: at least "1ms"' })).optional(),
  retries: fromText(
    wholeNumberText,
    z.int({ error: 'expected a whole number of failed checks' }).min(1, { error: 'expected 1 or more' }).max(MAX_HEALTH_RETRIES, { error: `expected at most ${MAX_HEALTH_RETRIES}` }),
  ).optional(),
  start_period: duration.optional(),
});

/** One entry of `services:`. */
export const serviceSchema = z.strictObject({
  command: argv.optional(),
  // Paths: PATH_MAX is 4096 bytes on Linux; longer cannot be opened anyway.
  cwd: z.string().max(4096).optional(),
  env: z.record(z.string(), envValue).optional(),
  env_file: z
    .union([z.string(), z.array(z.string())], { error: 'expected a file name or a list of them (dotenv files, relative to the config file)' })
    .transform((files) => (typeof files === 'string' ? [files] : files))
    .optional(),
  port: fromText(wholeNumberText, z.int({ error: PORT_MESSAGE }).min(1, { error: PORT_MESSAGE }).max(65535, { error: PORT_MESSAGE })).optional(),
  url: httpUrl.optional(),
  tier: z.string().optional(),
  /** The service's own stop signal, overriding its tier's (docs/real-services.md). */
  signal: signal.optional(),
  user: account('user').optional(),
  group: account('group').optional(),
  /** For tiers with a `command` step: argv run to stop the service, and how long it may take. */
  stop: z.strictObject({ command: argv, timeout: duration.optional() }).optional(),
  timeouts: partialTimeouts.optional(),
  depends_on: z.array(z.string(), { error: 'expected a list of service names' }).optional(),
  shutdown: z
    .strictObject({
      url: httpUrl.optional(),
      tokenFile: z.string().min(1).max(4096).optional(),
      // https: the CA that signed the service's certificate, and this side's client certificate (mutual TLS), as PEM files.
      ca: z.string().min(1).max(4096).optional(),
      cert: z.string().min(1).max(4096).optional(),
      key: z.string().min(1).max(4096).optional(),
    })
    .optional(),
  ready: z
    .strictObject({
      http: readyHttp.optional(),
      tcp: fromText(switchText, z.boolean()).optional(),
      notify: fromText(switchText, z.boolean()).optional(),
      timeout: duration.optional(),
    })
    .optional(),
  restart: restart.optional(),
  healthcheck: healthcheck.optional(),
  /** `false`: an optional service, whose being down never fails `/healthz` (docs/containers.md). */
  required: fromText(switchText, z.boolean()).optional(),
});

/**
 * The top level with `tiers` and `services` left as raw mappings: each entry is
 * parsed on its own so one broken service does not hide the problems of the rest.
 */
export const topLevelSchema = z.strictObject({
  version: z.literal(1, { error: 'expected 1' }),
  on_failure: z.enum(['escalate', 'rollback']).optional(),
  defaults: z.strictObject({ timeouts: partialTimeouts.optional() }).optional(),
  tiers: z.record(z.string(), z.unknown()).optional(),
  services: z
    .record(z.string(), z.unknown())
    .refine((services) => Object.keys(services).length > 0, { error: 'needs at least one service' }),
});

/** The whole file in one schema, for tooling (e.g. `z.toJSONSchema`); the loader parses by section. */
export const configFileSchema = topLevelSchema.extend({
  tiers: z.record(z.string(), tierSchema).optional(),
  services: z.record(z.string(), serviceSchema),
});

export type RawTier = z.output<typeof tierSchema>;
export type RawService = z.output<typeof serviceSchema>;
export type RawTopLevel = z.output<typeof topLevelSchema>;
export type RawTimeouts = z.output<typeof partialTimeouts>;
