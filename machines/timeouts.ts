/**
 * Every timeout of a service's stop, in one table (docs/config.md#timeouts):
 * its key in `Timeouts`, where a config file sets it, the state whose timer it
 * sets and the steps that bring that state. The budget, the grace fit, the
 * config's merging and schema, `validate`'s table and the report reader all
 * read this table; adding a timeout is one row here (and its default in
 * src/config/defaults.ts, which the compiler then asks for).
 */
import { KILL_SETTLE_MS } from './delays.js';
import type { ServiceState, Step } from './types.js';

export interface TimeoutKeySpec {
  readonly key: string;
  /** Where a config file sets it: `timeouts.<name>` (defaults, tiers, services) or `stop.timeout`. */
  readonly file: readonly ['timeouts' | 'stop', string];
  /** The state whose timer it sets; none for a limit that only bounds the others. */
  readonly state?: ServiceState;
  /** The tier steps that bring that state: the budget counts the key when the service takes one of them. */
  readonly steps: readonly Step[];
  /** Every service has it (from the defaults at least); an optional key exists only when set. */
  readonly always: boolean;
  /** `--grace` shrinks it with the rest of the plan when the worst case does not fit. */
  readonly shrinks: boolean;
  /** The timer never waits less than this (machines/delays.ts). */
  readonly minMs?: number;
  /** One line for users: what the budget is for. */
  readonly what: string;
}

/** The timeouts in the order a stop meets them (the service statechart's escalation order). */
export const TIMEOUT_KEYS = [
  { key: 'http', file: ['timeouts', 'http'], state: 'httpShutdown', steps: ['http'], always: true, shrinks: true, what: 'how long the POST /shutdown may take' },
  { key: 'command', file: ['stop', 'timeout'], state: 'stopCommand', steps: ['command'], always: false, shrinks: true, what: 'how long the stop command may run' },
  {
    key: 'exit',
    file: ['timeouts', 'exit'],
    state: 'awaitingExit',
    steps: ['http', 'command'],
    always: true,
    shrinks: true,
    what: 'how long a service that accepted (or whose stop command succeeded) has to exit',
  },
  { key: 'sigterm', file: ['timeouts', 'sigterm'], state: 'sigterm', steps: ['sigterm'], always: true, shrinks: true, what: 'how long the stop signal has before SIGKILL' },
  {
    key: 'kill',
    file: ['timeouts', 'kill'],
    state: 'forceKill',
    steps: ['forceKill'],
    always: true,
    shrinks: true,
    minMs: KILL_SETTLE_MS,
    what: 'how long SIGKILL has before the service counts as failed',
  },
  {
    key: 'maxExtend',
    file: ['timeouts', 'max_extend'],
    steps: [],
    always: false,
    shrinks: false,
    what: 'how far past its plan a service may push a step with EXTEND_TIMEOUT_USEC',
  },
] as const satisfies readonly TimeoutKeySpec[];

type Row = (typeof TIMEOUT_KEYS)[number];
export type TimeoutKey = Row['key'];
type OptionalKey = Extract<Row, { always: false }>['key'];

/** Budgets, in ms, of a service's stop, one per row of `TIMEOUT_KEYS`; optional keys only when set. */
export type Timeouts = { [K in Exclude<TimeoutKey, OptionalKey>]: number } & { [K in OptionalKey]?: number };

/** The keys that set a state's timer, with the steps that bring it: the ones a budget can count. */
export type BudgetKey = Extract<Row, { state: ServiceState }>['key'];

/** The name of a key under `timeouts:` in a config file (`http`, `max_extend`…). */
export type FileTimeoutName = Extract<Row, { file: readonly ['timeouts', string] }>['file'][1];

export const BUDGET_KEYS: readonly BudgetKey[] = TIMEOUT_KEYS.flatMap((row) => ('state' in row ? [row.key] : []));
