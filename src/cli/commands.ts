/**
 * Every `tierdown` command in one table: its arguments, flags and help text,
 * and how to load it. main.ts turns the table into the command line; a
 * command's module is imported only when that command runs, so `validate`
 * does not pay for the engine, the views or the visualizer.
 *
 * Adding a command is one entry here plus its module (`export const <name>: Command`).
 * The reference users read is docs/cli.md.
 */
import type { Command } from './io.js';

/** One flag as commander spells it (`-c, --config <FILE>`, `--ui [PORT]`). */
export interface FlagSpec {
  flags: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  /** One line, shown in `tierdown --help`. */
  summary: string;
  /** Positional arguments in commander's syntax, e.g. `[SERVICE...]`. */
  arguments?: string;
  flags: FlagSpec[];
  /** Shown after the flags in `tierdown help COMMAND`. */
  details?: string;
  load: () => Promise<Command>;
}

/** Flags several commands share, spelt once. */
export const FLAGS = {
  config: { flags: '-c, --config <FILE>', description: 'config file (default: tierdown.yaml, .yml or .json in the current folder)' },
  report: { flags: '--report <FILE>', description: 'write the shutdown report (JSON) to FILE' },
  json: { flags: '--json', description: 'print one event per line (NDJSON) instead of the human view' },
  ui: { flags: '--ui [PORT]', description: 'serve the live visualizer on 127.0.0.1' },
  inspect: { flags: '--inspect [PORT]', description: 'stream to the Stately inspector' },
  order: { flags: '--order <dependency|none>', description: 'stop in dependency waves (default) or all at once' },
  onFailure: { flags: '--on-failure <escalate|rollback>', description: 'what a refused or failed stop does (default: the config\'s on_failure)' },
} satisfies Record<string, FlagSpec>;

const EXIT_STOP = 'Exit status: 0 all stopped, 1 any failed (or rolled back), 2 bad config or usage.';
const EXIT_RUNNING = '3 when no stack runs for this config.';

export const COMMANDS: CommandSpec[] = [
  {
    name: 'up',
    summary: 'start all services in order; Ctrl-C shuts them down tiered (-d: in the background)',
    flags: [
      FLAGS.config,
      { flags: '-d, --detach', description: 'start, wait for readiness, print the summary and return; a background tierdown supervises the stack' },
      FLAGS.report,
      FLAGS.json,
      FLAGS.order,
      FLAGS.onFailure,
      FLAGS.ui,
      FLAGS.inspect,
    ],
    details: `Ctrl-C (or SIGTERM) once stops tiered, twice sends SIGKILL to what is left,
three times exits at once. Service output is also written to per-service log
files ('tierdown logs'). With -d: exit 0 once ready, 1 if the start failed.
${EXIT_STOP}`,
    load: async () => (await import('./up.js')).up,
  },
  {
    name: 'down',
    summary: "stop the running stack tiered (or SERVICE... and their dependents)",
    arguments: '[SERVICE...]',
    flags: [FLAGS.config, FLAGS.report, FLAGS.json, FLAGS.ui],
    details: `Asks the running 'tierdown up' (or 'up -d') for the same config file to stop,
and follows the stop to its end. Ctrl-C stops following; the stop goes on.
${EXIT_STOP} ${EXIT_RUNNING}`,
    load: async () => (await import('./down.js')).down,
  },
  {
    name: 'ps',
    summary: 'state, pid, uptime, readiness, restarts and last exit of each running service',
    flags: [FLAGS.config, { flags: '--json', description: 'print the rows as a JSON array' }],
    details: `Exit status: 0, ${EXIT_RUNNING}`,
    load: async () => (await import('./ps.js')).ps,
  },
  {
    name: 'logs',
    summary: "the services' output, prefixed by name, from the run's log files",
    arguments: '[SERVICE...]',
    flags: [
      FLAGS.config,
      { flags: '-f, --follow', description: 'keep printing new lines until the stack stops' },
      { flags: '-n, --lines <N>', description: 'only the last N lines of each service' },
    ],
    details: `Log files live in the run's state folder (see docs/cli.md); each is capped
at 10 MiB and rotated once (<service>.log.1). Exit status: 0, ${EXIT_RUNNING}`,
    load: async () => (await import('./logs.js')).logs,
  },
  {
    name: 'restart',
    summary: 'stop SERVICE... and their dependents tiered, then start them again in order',
    arguments: '<SERVICE...>',
    flags: [FLAGS.config, FLAGS.json],
    details: `${EXIT_STOP} ${EXIT_RUNNING}`,
    load: async () => (await import('./restart.js')).restart,
  },
  {
    name: 'validate',
    summary: 'check the config; print tiers, waves, timeouts, worst-case shutdown time',
    flags: [FLAGS.config, FLAGS.order, { flags: '--json', description: 'print the plan as JSON' }],
    details: 'Exit status: 0 valid, 2 not.',
    load: async () => (await import('./validate.js')).validate,
  },
  {
    name: 'graph',
    summary: 'print the statecharts (--format mermaid|json, --service NAME)',
    flags: [
      { flags: '--format <mermaid|json>', description: 'Mermaid stateDiagram-v2 (default), or the machine config Stately Studio imports' },
      { flags: '--service <NAME>', description: "that service's statechart as its tier configures it (reads the config)" },
      { flags: '--machine <service|orchestrator>', description: 'only the generic service or orchestrator machine' },
      FLAGS.config,
    ],
    load: async () => (await import('./graph.js')).graph,
  },
  {
    name: 'schema',
    summary: 'print the JSON Schema of tierdown.yaml (for editors)',
    flags: [],
    load: async () => (await import('./schema.js')).schema,
  },
  {
    name: 'demo',
    summary: 'run the bundled MediVote stack: start, show, shut down tiered',
    flags: [FLAGS.config, FLAGS.report, FLAGS.json, FLAGS.order, FLAGS.onFailure, FLAGS.ui, FLAGS.inspect],
    details: 'Exit status: 0 when everything started, served, stopped and saved its state; 1 otherwise; 2 bad config.',
    load: async () => (await import('./demo.js')).demo,
  },
];
