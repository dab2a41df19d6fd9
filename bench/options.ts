/** `npm run bench -- [--quick] [--runs N] [--sizes 1,10] [--only raw,api] [--no-peers]`. */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  quick: boolean;
  runs: number;
  sizes: number[];
  /** Runner keys to run (raw is always run: every ratio needs it). */
  only?: string[];
  peers: boolean;
  /** Runs of the critical latency and the cold starts (--runs when given). */
  extraRuns: number;
  /** The extras (critical, cold starts) are skipped when false. */
  extras: boolean;
  /** Which extras run (`--extras critical,cold`): all of EXTRAS unless named. */
  extrasOnly: (name: Extra) => boolean;
  /** The stop scenarios are skipped with --no-stop (to run only start-up or extras). */
  stop: boolean;
  /** Sizes of the start-up scenario (command → all ready); empty with --no-startup. */
  startupSizes: number[];
  /** Runs of one scenario at size n (the largest sizes take minutes per run, so fewer). */
  runsAt: (n: number) => number;
  /** Whether a tool runs in a scenario: everything, or what the targets need under --quick. */
  includes: (kind: string, n: number, runner: string) => boolean;
}

/**
 * The reduced set of --quick: what the targets need (supervisord only where the
 * peer target is), two runs each, so `npm run bench -- --quick` takes under a minute.
 */
const QUICK_PLAN: Record<string, string[]> = {
  'cooperative/1': ['raw', 'api', 'cli'],
  'cooperative/200': ['raw', 'api', 'cli', 'supervisord'],
  'stubborn/200': ['raw', 'api', 'cli'],
  'startup/200': ['raw', 'api', 'cli'],
};

/** The extras one can pick with `--extras`: the critical tier's HTTP step, the commands' cold start. */
export const EXTRAS = ['critical', 'cold'] as const;
export type Extra = (typeof EXTRAS)[number];

export const FULL_SIZES = [1, 10, 50, 200, 1000];
/** At and above this size a full run takes at most 3 rounds: each takes tens of seconds per tool. */
const BIG_N = 1000;
const QUICK_SIZES = [1, 200];

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      sizes: { type: 'string' },
      only: { type: 'string' },
      'no-peers': { type: 'boolean', default: false },
      'no-extras': { type: 'boolean', default: false },
      'no-startup': { type: 'boolean', default: false },
      'no-stop': { type: 'boolean', default: false },
      extras: { type: 'string' },
      'startup-sizes': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run bench -- [--quick] [--runs N] [--sizes 1,10,50,200] [--only raw,api,cli,supervisord,pm2] [--no-peers] [--no-extras] [--no-startup] [--startup-sizes 200] [--no-stop] [--extras critical,cold]\n',
    );
    process.exit(0);
  }
  const list = (text: string | undefined) => text?.split(',').map((item) => item.trim()).filter(Boolean);
  const sizes = list(values.sizes)?.map(Number) ?? (values.quick ? QUICK_SIZES : FULL_SIZES);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new Error(`--sizes: expected positive integers, got ${values.sizes}`);
  const extras = list(values.extras);
  const unknownExtra = extras?.find((name) => !(EXTRAS as readonly string[]).includes(name));
  if (unknownExtra) throw new Error(`--extras: expected some of ${EXTRAS.join(',')}, got ${unknownExtra}`);
  const runs = values.runs === undefined ? (values.quick ? 2 : 5) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a positive integer, got ${values.runs}`);
  return {
    quick: values.quick,
    runs,
    sizes,
    only: list(values.only),
    peers: !values['no-peers'],
    extraRuns: values.runs === undefined ? (values.quick ? 5 : 11) : runs,
    extras: !values['no-extras'],
    extrasOnly: (name) => !extras || extras.includes(name),
    stop: !values['no-stop'],
    // 1000 only in a full run: its Perl listeners alone take ~1 CPU-minute a round.
    startupSizes: values['no-startup'] ? [] : (list(values['startup-sizes'])?.map(Number) ?? (values.quick ? [200] : [200, 1000])),
    runsAt: (n) => (n >= BIG_N && values.runs === undefined ? Math.min(runs, 3) : runs),
    // An explicit --sizes overrides the quick plan's sizes but keeps it for the sizes it knows.
    includes: (kind, n, runner) => !values.quick || (QUICK_PLAN[`${kind}/${n}`] ?? (values.sizes ? [runner] : [])).includes(runner),
  };
}
