/**
 * Small text helpers shared by the human views: durations and aligned tables.
 */

/** 1500 → "1.5s", 250 → "250ms", 12.34 → "12.3ms". */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 2))}s`;
  return `${Number(ms.toFixed(ms < 10 ? 1 : 0))}ms`;
}

/** Left-aligned columns, two spaces apart; the first row is the header. */
export function table(rows: string[][], indent = '  '): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => indent + row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd());
}
