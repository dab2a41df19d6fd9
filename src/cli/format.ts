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
  // A loop, not Math.max(...rows): a table of 200k rows would overflow the call stack.
  const widths = rows[0].map((_, column) => rows.reduce((widest, row) => Math.max(widest, (row[column] ?? '').length), 0));
  return rows.map((row) => indent + row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd());
}
