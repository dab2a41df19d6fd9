/** `--health [HOST:]PORT`: `8080`, `0.0.0.0:8080`, `[::]:8080`; the host defaults to 127.0.0.1. */
import { UsageError } from './args.js';

export function parseHealthFlag(value: string | undefined): { host: string; port: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d+)$/.exec(value.trim());
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`--health: expected PORT or HOST:PORT (e.g. 8080 or 0.0.0.0:8080), got "${value}"`);
  }
  return { host: match[1]?.replace(/^\[|\]$/g, '') ?? '127.0.0.1', port };
}
