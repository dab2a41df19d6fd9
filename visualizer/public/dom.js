// Small DOM and formatting helpers shared by the page's modules.
export const FINAL = new Set(['stopped', 'failed']);
export const $ = (selector) => document.querySelector(selector);

export function html(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function formatMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10000 ? 1 : 2)}s`;
  return `${ms.toFixed(ms < 10 ? 1 : 0)}ms`;
}
