/**
 * `tierdown graph`: prints the statecharts, read from the machines themselves —
 * Mermaid `stateDiagram-v2` for docs, or the machine config JSON that Stately
 * Studio imports (as `createMachine(<json>)`) and its inspector understands.
 */
import { ConfigFileError, loadConfig } from '../config/index.js';
import { machineGraph, MACHINES, serviceGraph, UnknownServiceError, type GraphExport, type MachineName } from '../graph/index.js';
import { parseCommandArgs, UsageError } from './args.js';
import { EXIT, line, type CliIO } from './io.js';

function parseFormat(value: unknown): 'mermaid' | 'json' {
  if (value === undefined || value === 'mermaid' || value === 'json') return value ?? 'mermaid';
  throw new UsageError(`--format: expected "mermaid" or "json", got "${String(value)}"`);
}

function parseMachine(value: unknown): MachineName | undefined {
  if (value === undefined || (typeof value === 'string' && value in MACHINES)) return value as MachineName | undefined;
  throw new UsageError(`--machine: expected ${Object.keys(MACHINES).map((name) => `"${name}"`).join(' or ')}, got "${String(value)}"`);
}

export async function graph(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(argv, 'graph');
  const format = parseFormat(values.format);
  const machine = parseMachine(values.machine);
  const service = values.service as string | undefined;
  if (service !== undefined && machine !== undefined) throw new UsageError('--service and --machine exclude each other');

  // A config in reach is checked even when only the generic machines are drawn:
  // a bad config makes every command exit 2 (docs/config.md).
  const config = await loadConfig(values.config, io.cwd).catch((error: unknown) => {
    if (values.config === undefined && service === undefined && error instanceof ConfigFileError && error.code === 'TIERDOWN_CONFIG_NOT_FOUND') return undefined;
    throw error;
  });
  let graphs: GraphExport[];
  if (service !== undefined && config) {
    try {
      graphs = [serviceGraph(config, service)];
    } catch (error) {
      if (error instanceof UnknownServiceError) throw new UsageError(`--service: ${error.message}`);
      throw error;
    }
  } else {
    const all = format === 'json' ? (['service'] as MachineName[]) : (Object.keys(MACHINES) as MachineName[]);
    graphs = (machine ? [machine] : all).map(machineGraph);
  }

  if (format === 'mermaid') {
    io.stdout.write(graphs.map((graph) => graph.mermaid).join('\n'));
  } else {
    line(io.stdout, JSON.stringify(graphs[0].json, null, 2));
  }
  return EXIT.ok;
}
