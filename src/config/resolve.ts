/**
 * From parsed data (an object, as YAML/JSON gives or the API passes) to the
 * `ResolvedConfig` the engine runs: structure checked by the zod schemas, then
 * the rules that need the whole file, then defaults. Every problem is collected
 * before anything is thrown, so one run shows the user everything to fix.
 */
import { ConfigError } from './errors.js';
import { DEFAULT_FAILURE_POLICY } from './defaults.js';
import { checkDependencies, type DependencyGraph } from './dependencies.js';
import { asWritten, interpolateConfig } from './interpolate-config.js';
import type { Lookup } from './interpolate.js';
import { parseSection, Problems } from './problems.js';
import { checkDroppedKeys, nameProblem } from './names.js';
import { serviceSchema, topLevelSchema, type RawTopLevel } from './schema.js';
import { resolveService } from './services.js';
import { resolveTiers } from './tiers.js';
import type { ResolvedConfig, ResolvedService, ResolvedTier } from './types.js';
import { lookupIn } from './variables.js';

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A bad `on_failure` must not hide the problems of the services: keep every top-level field that is fine.
function readTopLevel(raw: unknown, problems: Problems): Partial<RawTopLevel> {
  const parsed = parseSection(topLevelSchema, raw, [], problems);
  if (parsed) return parsed;
  if (!isMapping(raw)) return {};
  const salvaged: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(topLevelSchema.shape)) {
    const field = schema.safeParse(raw[key]);
    if (field.success) salvaged[key] = field.data;
  }
  return salvaged as Partial<RawTopLevel>;
}

// A service with other problems still takes part in the cycle check when its depends_on is fine.
function dependsOnOf(value: unknown): string[] | undefined {
  if (!isMapping(value)) return undefined;
  return serviceSchema.shape.depends_on.safeParse(value.depends_on).data;
}

export interface ResolveOptions {
  /** What `${VAR}` finds (docs/config.md#interpolation); default: tierdown's environment. */
  variables?: Lookup;
  /**
   * Interpolate every string value, as in a config file (parseConfig sets it).
   * Otherwise — an object a program built — only `env` values are: a program's
   * `[sh, -c, 'echo $HOME']` means what it says.
   */
  everyValue?: boolean;
}

/**
 * Interpolates parsed config data (see `options.everyValue`), checks it and fills in every default.
 *
 * @param raw the parsed file (or an object built by a program).
 * @param source where it came from, for messages and `ResolvedConfig.source`.
 * @param baseDir folder that relative `cwd` and `tokenFile` resolve against.
 * @throws {ConfigError} `TIERDOWN_CONFIG_INVALID` listing every problem found.
 */
export function resolveConfig(raw: unknown, source = '<inline>', baseDir: string = process.cwd(), options: ResolveOptions = {}): ResolvedConfig {
  const variables = options.variables ?? lookupIn(process.env);
  const interpolated = options.everyValue ? interpolateConfig(raw, variables) : asWritten(raw);
  const tree = interpolated.tree;
  const problems = new Problems();
  checkDroppedKeys(tree, problems);
  const top = readTopLevel(tree, problems);
  const tiers = resolveTiers(top.tiers, top.defaults?.timeouts, problems);

  const services: ResolvedService[] = [];
  const graph: DependencyGraph = new Map();
  for (const [name, value] of Object.entries(top.services ?? {})) {
    const badName = nameProblem(name);
    if (badName) problems.add(['services', name], badName);
    const service = resolveService(name, value, { tiers, baseDir, problems, variables });
    if (service) services.push(service);
    graph.set(name, dependsOnOf(value));
  }
  checkDependencies(graph, problems);

  const found = [...interpolated.problems, ...interpolated.reword(problems.list)];
  if (found.length) throw new ConfigError(found, source);
  const validTiers = [...tiers.values()].filter((tier): tier is ResolvedTier => tier !== null);
  return {
    source,
    onFailure: top.on_failure ?? DEFAULT_FAILURE_POLICY,
    tiers: Object.fromEntries(validTiers.map((tier) => [tier.name, tier])),
    services,
  };
}
