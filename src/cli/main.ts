/**
 * The `tierdown` command line: picks the command, runs it, and turns any
 * error into a message and an exit status (SPEC §6). No engine logic here.
 */
import { reportError } from './errors.js';
import { EXIT, line, type CliIO, type Command } from './io.js';

export const HELP = `tierdown — start a stack of services, and stop it tiered.

Usage: tierdown <command> [options]

Commands:
  up        start all services in order; Ctrl-C shuts them down tiered
  down      ask a running 'up' to shut down (or stop SERVICE... and their dependents)
  validate  check the config; print tiers, waves, timeouts, worst-case shutdown time
  graph     print the statecharts (--format mermaid|json, --service NAME)
  demo      run the bundled MediVote stack: start, show, shut down tiered
  export    print a systemd unit or a Kubernetes container spec (export systemd|kubernetes)

Common options:
  -c, --config FILE      config file (default: tierdown.yaml in the current folder)
  --report FILE          write the shutdown report (JSON) to FILE
  --json                 print one event per line (NDJSON) instead of the human view
  --ui [PORT]            serve the live visualizer on 127.0.0.1
  --inspect [PORT]       stream to the Stately inspector
  --order none           stop all services at once instead of in dependency waves
  --on-failure rollback  restart what was stopped when a service cannot stop safely
  --grace DURATION       the time the outside world gives a stop (TIERDOWN_GRACE)
  --health [HOST:]PORT   serve GET /healthz (up)
  -h, --help             help for a command

Exit status: 0 all stopped, 1 any failed, 2 bad config or usage.`;

const COMMANDS: Record<string, () => Promise<Command>> = {
  up: async () => (await import('./up.js')).up,
  down: async () => (await import('./down.js')).down,
  validate: async () => (await import('./validate.js')).validate,
  graph: async () => (await import('./graph.js')).graph,
  demo: async () => (await import('./demo.js')).demo,
  export: async () => (await import('./export.js')).exportCommand,
};

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    line(io.stdout, HELP);
    return name === undefined ? EXIT.badConfig : EXIT.ok;
  }
  if (name === '--version') {
    line(io.stdout, '0.1.0');
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    line(io.stderr, `tierdown: unknown command "${name}" (known: ${Object.keys(COMMANDS).join(', ')})`);
    return EXIT.badConfig;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}
