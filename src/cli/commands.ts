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
  grace: { flags: '--grace <DURATION>', description: 'the time the outside world gives a whole stop (or TIERDOWN_GRACE); docs/containers.md' },
  health: { flags: '--health <[HOST:]PORT>', description: 'serve GET /healthz (200 while all ready and running, else 503)' },
} satisfies Record<string, FlagSpec>;

const EXIT_STOP = 'Exit status: 0 all stopped, 1 any failed or crashed (or rolled back), 2 bad config or usage.';
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
      { flags: '--ui-keep', description: 'after the run, keep the --ui page up as a replay until it is closed' },
      FLAGS.inspect,
      FLAGS.grace,
      FLAGS.health,
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
    flags: [
      FLAGS.config,
      FLAGS.report,
      FLAGS.json,
      FLAGS.ui,
      { flags: '--on-failure <escalate|rollback>', description: "this stop's failure policy instead of the run's (escalate: stop a service that always refuses)" },
      { flags: '--force', description: 'a forced stop: every service straight to SIGKILL, as a second Ctrl-C of up' },
    ],
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
    flags: [FLAGS.config, FLAGS.order, { flags: '--json', description: 'print the plan as JSON' }, FLAGS.grace],
    details: 'Exit status: 0 valid, 1 the worst case does not fit --grace, 2 not valid.',
    load: async () => (await import('./validate.js')).validate,
  },
  {
    name: 'graph',
    summary: 'print the statecharts (--format mermaid|json, --service NAME)',
    flags: [
      { flags: '--format <mermaid|json>', description: 'Mermaid stateDiagram-v2 (default), or the machine config Stately Studio imports' },
      { flags: '--service <NAME>', description: "that service's statechart as its tier configures it (reads the config)" },
      { flags: '--machine <NAME>', description: 'only that machine: service, orchestrator, stop, startSequence, supervisor' },
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
    name: 'export',
    summary: 'print a systemd unit or a Kubernetes container spec for this stack',
    arguments: '<systemd|kubernetes>',
    flags: [FLAGS.config, { flags: '--health <PORT>', description: 'the port of the probes (kubernetes; default 8081)' }],
    details: 'Both carry the worst-case stop plus a margin (docs/containers.md). Exit status: 0, 2 bad config or usage.',
    load: async () => (await import('./export.js')).exportCommand,
  },
  {
    name: 'view',
    summary: 'replay a finished run from its report in the visualizer',
    arguments: '<REPORT>',
    flags: [FLAGS.ui],
    details: 'Serves the page of a finished run (docs/visualizer.md) until it is closed. Exit status: 0, 2 a file that is not a report.',
    load: async () => (await import('./view-report.js')).view,
  },
  {
    name: 'demo',
    summary: 'run the bundled MediVote stack: start, show, shut down tiered',
    flags: [FLAGS.config, FLAGS.report, FLAGS.json, FLAGS.order, FLAGS.onFailure, FLAGS.ui, FLAGS.inspect],
    details: 'Exit status: 0 when everything started, served, stopped and saved its state; 1 otherwise; 2 bad config.',
    load: async () => (await import('./demo.js')).demo,
  },
];
