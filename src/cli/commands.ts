/**
 * Every `tierdown` command and every flag in two tables: a command's
 * arguments, the flags it takes, its help text, and how to load it. main.ts
 * turns them into the command line and each command parses its argv from the
 * same entry (args.ts); a command's module is imported only when that command
 * runs, so `validate` does not pay for the engine, the views or the visualizer.
 *
 * Adding a command is one entry in COMMANDS plus its module (`export const <name>: Command`);
 * adding a flag is one entry in FLAGS plus its name in the commands that take it.
 * The reference users read is docs/cli.md.
 */
import type { Command } from './io.js';

/** One flag of the command line, spelt once for every command that takes it. */
export interface FlagSpec {
  /** Its one-letter form, if any (`c` for `-c`). */
  short?: string;
  /** `<FILE>` when it takes a value, `[PORT]` when the value may be left out; none for a switch. */
  value?: `<${string}>` | `[${string}]`;
  description: string;
}

/**
 * Every flag of every command: commander's registration (main.ts) and each
 * command's own parse (args.ts) both come from here. A new flag is one entry
 * here, then its name in the commands that take it; its value arrives as
 * `values['<name>']` (a string when it takes a value, else true).
 */
export const FLAGS = {
  config: { short: 'c', value: '<FILE>', description: 'config file (default: tierdown.yaml, .yml or .json in the current folder)' },
  'env-file': { value: '<FILE>', description: "variables for ${VAR} in the config, read instead of the .env beside it" },
  detach: { short: 'd', description: 'start, wait for readiness, print the summary and return; a background tierdown supervises the stack' },
  report: { value: '<FILE>', description: 'write the shutdown report (JSON) to FILE' },
  json: { description: 'print one event per line (NDJSON) instead of the human view' },
  order: { value: '<dependency|none>', description: 'stop in dependency waves (default) or all at once' },
  'on-failure': { value: '<escalate|rollback>', description: "what a refused or failed stop does (default: the config's on_failure)" },
  ui: { value: '[PORT]', description: 'serve the live visualizer on 127.0.0.1' },
  'ui-keep': { description: 'after the run, keep the --ui page up as a replay until it is closed' },
  inspect: { value: '[PORT]', description: 'stream to the Stately inspector' },
  grace: { value: '<DURATION>', description: 'the time the outside world gives a whole stop (or TIERDOWN_GRACE); docs/containers.md' },
  health: { value: '<[HOST:]PORT>', description: 'serve GET /healthz (200 while all ready and running, else 503)' },
  follow: { short: 'f', description: 'keep printing new lines until the stack stops' },
  lines: { short: 'n', value: '<N>', description: 'only the last N lines of each service' },
  timestamps: { short: 't', description: 'show the time each line was written' },
  since: { value: '<T>', description: 'only lines written since T: a duration back from now (10m) or an RFC 3339 time' },
  until: { value: '<T>', description: 'only lines written until T: a duration back from now (10m) or an RFC 3339 time' },
  format: { value: '<mermaid|json>', description: 'Mermaid stateDiagram-v2 (default), or the machine config Stately Studio imports' },
  service: { value: '<NAME>', description: "that service's statechart as its tier configures it (reads the config)" },
  machine: { value: '<NAME>', description: 'only that machine: service, orchestrator, stop, startSequence, supervisor, health' },
  services: { description: 'print only the names of the services, one a line' },
  force: { description: 'a forced stop: every service straight to SIGKILL, as a second Ctrl-C of up does' },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;

/** What a command's parse gives for each flag: its value, or true for a switch; absent when not given. */
export type FlagValues = { [Name in FlagName]?: (typeof FLAGS)[Name] extends { value: string } ? string : boolean };

/** The flags a command takes, in help order: `true`, or its own wording where the shared one does not fit. */
export type CommandFlags = Partial<Record<FlagName, true | Partial<Pick<FlagSpec, 'value' | 'description'>>>>;

/**
 * The cold-start bundles besides `cold` (docs/how-it-works.md, "Starting the CLI"):
 * `cold-stack` holds the commands that ask a running stack, `cold-graph` the one that
 * draws the statecharts (XState and the machines, which no other command loads),
 * `cold-run` `up`, which runs the engine in its own process.
 */
export const COLD_BUNDLES = ['cold', 'cold-stack', 'cold-graph', 'cold-run'] as const;
export type ColdBundle = (typeof COLD_BUNDLES)[number];

export interface CommandSpec {
  name: string;
  /** One line, shown in `tierdown --help`. */
  summary: string;
  /** Positional arguments in commander's syntax, e.g. `[SERVICE...]`. */
  arguments?: string;
  flags: CommandFlags;
  /** Shown after the flags in `tierdown help COMMAND`. */
  details?: string;
  /** After the first argument, every word is another program's (`exec SERVICE ls -la`): its flags are not tierdown's. */
  passThrough?: true;
  /**
   * Why this command runs from the compiled modules in dist/ rather than the
   * cold-start bundle (docs/how-it-works.md, "Starting the CLI"): every command
   * without it starts from the bundle — a new command gets the fast start unless
   * it says why not (it runs the engine in its own process, whose modules find
   * files beside themselves).
   */
  fullCli?: string;
  /**
   * The cold-start bundle that holds it, `dist/src/cli/<name>.cjs`: `cold` unless set.
   * Commands that load the same modules share a bundle, so each bundle and its code
   * cache hold only what its own commands run (`ps` does not read the plan printer's
   * code, `validate` not the control client's).
   */
  coldBundle?: ColdBundle;
  load: () => Promise<Command>;
}

const EXIT_STOP = 'Exit status: 0 all stopped, 1 any failed or crashed (or rolled back), 2 bad config or usage.';
const EXIT_RUNNING = '3 when no stack runs for this config.';

// `down` and `stop` are one stop: one set of flags.
const STOP_FLAGS: CommandFlags = {
  config: true,
  'env-file': true,
  report: true,
  json: true,
  ui: true,
  'on-failure': { description: "this stop's failure policy instead of the run's (escalate: stop a service that always refuses)" },
  force: true,
};

export const COMMANDS: CommandSpec[] = [
  {
    name: 'up',
    summary: 'start all services (or SERVICE... and what they need) in order; Ctrl-C shuts them down tiered (-d: in the background)',
    arguments: '[SERVICE...]',
    flags: { config: true, 'env-file': true, detach: true, report: true, json: true, order: true, 'on-failure': true, ui: true, 'ui-keep': true, inspect: true, grace: true, health: true },
    details: `Ctrl-C (or SIGTERM) once stops tiered, twice sends SIGKILL to what is left,
three times exits at once. A stop that is refused (on_failure: rollback)
restores the stack and keeps supervising it. Service output is also written to
per-service log files ('tierdown logs'). With -d: exit 0 once ready, 1 if the
start failed. With SERVICE...: only those and what they depend on start; the
others stay stopped ('tierdown start' or 'up' brings them later). On a stack
that already runs for this config, 'up [-d] [SERVICE...]' starts what is
missing, prints the summary and exits 0 (1 if a service did not start). ${EXIT_STOP}`,
    // Its own bundle: a process that holds the engine for the whole run starts (and ends) lighter
    // without ~150 compiled ES modules in its heap; Ctrl-C → exit pays for that heap (issue 22).
    coldBundle: 'cold-run',
    load: async () => (await import('./up.js')).up,
  },
  {
    name: 'down',
    summary: "stop the running stack tiered (or SERVICE... and their dependents)",
    arguments: '[SERVICE...]',
    flags: STOP_FLAGS,
    details: `Asks the running 'tierdown up' (or 'up -d') for the same config file to stop,
and follows the stop to its end. Ctrl-C stops following; the stop goes on.
${EXIT_STOP} ${EXIT_RUNNING}`,
    coldBundle: 'cold-stack',
    load: async () => (await import('./down.js')).down,
  },
  {
    name: 'stop',
    summary: 'stop SERVICE... and their dependents tiered; the rest keeps running',
    arguments: '<SERVICE...>',
    flags: STOP_FLAGS,
    details: `The same stop as 'down SERVICE...'. 'tierdown start SERVICE...' brings them back.
${EXIT_STOP} ${EXIT_RUNNING}`,
    coldBundle: 'cold-stack',
    load: async () => (await import('./stop.js')).stop,
  },
  {
    name: 'start',
    summary: 'start stopped SERVICE... of the running stack, with what they need, dependencies first',
    arguments: '<SERVICE...>',
    flags: { config: true, 'env-file': true },
    details: `Each waits for readiness; what already runs is left as it is. Asked
during a stop, it waits for that stop to end. A service that never gets ready is
stopped again, tiered. Exit status: 0 all up, 1 a service did not start,
2 bad config or an unknown service, ${EXIT_RUNNING}`,
    coldBundle: 'cold-stack',
    load: async () => (await import('./start.js')).start,
  },
  {
    name: 'ps',
    summary: 'state, pid, uptime, readiness, restarts and last exit of each running service',
    flags: { config: true, 'env-file': true, json: { description: 'print the rows as a JSON array' } },
    details: `Exit status: 0, ${EXIT_RUNNING}`,
    coldBundle: 'cold-stack',
    load: async () => (await import('./ps.js')).ps,
  },
  {
    name: 'logs',
    summary: "the services' output, prefixed by name, from the run's log files",
    arguments: '[SERVICE...]',
    flags: { config: true, 'env-file': true, follow: true, lines: true, timestamps: true, since: true, until: true },
    details: `T is a duration back from now (10m, 1.5h) or an RFC 3339 time
(2026-12-04T18:00:00Z). tierdown's own notes on a service (a crash, a restart,
giving up) appear among its lines as "[tierdown] ...". Each name has its
colour on a terminal (not with NO_COLOR). Log files live in the run's state
folder (see docs/cli.md); each is capped at 10 MiB and rotated once
(<service>.log.1). Exit status: 0, ${EXIT_RUNNING}`,
    coldBundle: 'cold-stack',
    load: async () => (await import('./logs.js')).logs,
  },
  {
    name: 'restart',
    summary: 'stop SERVICE... and their dependents tiered, then start them again in order',
    arguments: '<SERVICE...>',
    flags: { config: true, 'env-file': true, json: true },
    details: `${EXIT_STOP} ${EXIT_RUNNING}`,
    coldBundle: 'cold-stack',
    load: async () => (await import('./restart.js')).restart,
  },
  {
    name: 'exec',
    summary: "run COMMAND with a service's environment, working folder and user, beside the running stack",
    arguments: '<SERVICE> <COMMAND...>',
    flags: { config: true, 'env-file': true },
    passThrough: true,
    details: `COMMAND gets the service's env_file and env (interpolated as the config
reads now; never its shutdown token), its cwd, and its user:/group:, attached
to this terminal. Flags after SERVICE are COMMAND's (tierdown's go before it):
  tierdown exec -c stack.yaml api ls -la      (or: tierdown exec api -- ls -la)
Exit status: COMMAND's (128 + the signal's number when a signal ended it),
126 when it cannot run, 127 when it is not found, 2 bad config or an unknown
service, 3 when no stack runs for this config (or that service is not running).`,
    coldBundle: 'cold-stack',
    load: async () => (await import('./exec.js')).exec,
  },
  {
    name: 'validate',
    summary: 'check the config; print tiers, waves, timeouts, worst-case shutdown time',
    flags: { config: true, 'env-file': true, order: true, json: { description: 'print the plan as JSON' }, grace: true },
    details: 'Exit status: 0 valid, 1 the worst case does not fit --grace, 2 not valid.',
    load: async () => (await import('./validate.js')).validate,
  },
  {
    name: 'config',
    summary: 'print the resolved config: interpolated, defaults, tier steps and budgets filled in',
    flags: { config: true, 'env-file': true, json: { description: 'print it as JSON' }, services: true },
    details: `What tierdown runs: every \${VAR} replaced, every default filled in, each
service's steps, signal, timeouts and worst-case budget, the stop waves and the
worst-case shutdown. Token files are named, never read. Exit status: 0, 2 bad config.`,
    load: async () => (await import('./config.js')).config,
  },
  {
    name: 'graph',
    summary: 'print the statecharts (--format mermaid|json, --service NAME)',
    flags: { format: true, service: true, machine: true, config: true, 'env-file': true },
    details: `Without --service or --machine, Mermaid shows every machine, the service
machine first; JSON shows the service machine alone (one machine config is what
Stately imports): add --machine NAME for another. --service draws only the
states and transitions that service can reach.`,
    coldBundle: 'cold-graph',
    load: async () => (await import('./graph.js')).graph,
  },
  {
    name: 'schema',
    summary: 'print the JSON Schema of tierdown.yaml (for editors)',
    flags: {},
    load: async () => (await import('./schema.js')).schema,
  },
  {
    name: 'export',
    summary: 'print a systemd unit or a Kubernetes container spec for this stack',
    arguments: '<systemd|kubernetes>',
    flags: { config: true, 'env-file': true, health: { value: '<PORT>', description: 'the port of the probes (kubernetes; default 8081)' } },
    details: 'Both carry the worst-case stop plus a margin (docs/containers.md). Exit status: 0, 2 bad config or usage.',
    load: async () => (await import('./export.js')).exportCommand,
  },
  {
    name: 'view',
    summary: 'replay a finished run from its report in the visualizer',
    arguments: '<REPORT>',
    flags: { ui: true },
    details: 'Serves the page of a finished run (docs/visualizer.md) until it is closed. Exit status: 0, 2 a file that is not a report.',
    fullCli: 'serves the visualizer, whose page files are found beside its module',
    load: async () => (await import('./view-report.js')).view,
  },
  {
    name: 'demo',
    summary: 'run the bundled MediVote stack: start, show, shut down tiered',
    flags: { config: true, 'env-file': true, report: true, json: true, order: true, 'on-failure': true, ui: true, inspect: true },
    details: `With -c FILE, runs another stack the same way. With --ui, waits (up to 60 s)
for the page to open before it stops the stack, so the stop is seen live.
Exit status: 0 when everything started, served, stopped and saved its state;
1 otherwise; 2 bad config.`,
    fullCli: 'a one-off tour of the example stack: not worth a bundle and code cache of its own',
    load: async () => (await import('./demo.js')).demo,
  },
  {
    name: 'completion',
    summary: 'print a completion script for bash, zsh or fish',
    arguments: '<bash|zsh|fish>',
    flags: {},
    details: `bash: source <(tierdown completion bash)   (or save it in ~/.local/share/bash-completion/completions/tierdown)
zsh:  tierdown completion zsh > "\${fpath[1]}/_tierdown"
fish: tierdown completion fish > ~/.config/fish/completions/tierdown.fish
Service names are completed from the config in the current folder (or -c FILE's).`,
    load: async () => (await import('./completion.js')).completion,
  },
];
