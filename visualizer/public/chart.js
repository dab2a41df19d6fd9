// Draws one chart layout (from /api/model, computed from the machine definitions)
// as SVG, and marks the current state, the states visited and the transitions taken.
const SVG = 'http://www.w3.org/2000/svg';
const MARGIN_X = 10;

function element(name, attributes = {}, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

const centre = (box) => ({ x: box.x + box.w / 2, y: box.y + box.h / 2 });
const inside = (inner, outer) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;

// A path from box a to box b that keeps clear of the boxes between them:
// forward edges go right, long ones arc above or below the row, back edges loop under.
function route(a, b, gap, margin) {
  if (a === b) {
    const x = a.x + a.w / 2;
    return `M${x - 10},${a.y} C${x - 18},${a.y - 18} ${x + 18},${a.y - 18} ${x + 10},${a.y}`;
  }
  const ca = centre(a);
  const cb = centre(b);
  if (inside(b, a) || inside(a, b)) return `M${ca.x},${ca.y} L${cb.x},${cb.y}`;
  const span = b.x - (a.x + a.w);
  if (span >= 0) {
    const level = Math.abs(ca.y - cb.y) < 4 ? 0 : Math.sign(cb.y - ca.y);
    if (span <= gap * 1.5) {
      const sx = a.x + a.w;
      const tx = b.x;
      const dx = (tx - sx) / 2;
      return `M${sx},${ca.y} C${sx + dx},${ca.y} ${tx - dx},${cb.y} ${tx},${cb.y}`;
    }
    const depth = Math.min(margin - 4, 10 + span * 0.04);
    const down = level >= 0;
    const sy = down ? a.y + a.h : a.y;
    const sx = a.x + a.w * 0.7;
    const bend = down ? depth : -depth;
    if (level === 0) {
      const tx = b.x + b.w * 0.3;
      const ty = b.y + b.h;
      return `M${sx},${sy} C${sx},${sy + bend} ${tx},${ty + bend} ${tx},${ty}`;
    }
    return `M${sx},${sy} C${sx},${sy + bend} ${b.x - 24},${cb.y} ${b.x},${cb.y}`;
  }
  if (b.x + b.w <= a.x) {
    const sy = a.y + a.h;
    const ty = b.y + b.h;
    const depth = Math.min(margin - 4, 14 + (a.x - b.x) * 0.03);
    return `M${ca.x},${sy} C${ca.x},${sy + depth} ${cb.x},${ty + depth} ${cb.x},${ty}`;
  }
  return cb.y > ca.y ? `M${ca.x},${a.y + a.h} L${cb.x},${b.y}` : `M${ca.x},${a.y} L${cb.x},${b.y + b.h}`;
}

/**
 * Renders `layout` into an <svg>. Returns it with `mark({ current, visited, taken })`,
 * where states are node ids and taken transitions are `from>to` pairs of ids.
 * `compact` leaves little room around the states (for many services): the page
 * then shows only the transitions taken, which stay within it.
 */
export function drawChart(layout, { gap = 30, name = '', compact = false } = {}) {
  const margin = compact ? 8 : 24;
  const width = layout.width + 2 * MARGIN_X;
  const height = layout.height + 2 * margin;
  const svg = element('svg', { viewBox: `${-MARGIN_X} ${-margin} ${width} ${height}`, width, height, class: 'chart', role: 'img', 'aria-label': name });
  const defs = element('defs', {}, svg);
  const marker = element('marker', { id: `arrow-${name}`, viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, defs);
  element('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow' }, marker);

  const boxes = new Map(layout.nodes.map((node) => [node.id, node]));
  const nodes = new Map();
  // Compound boxes first so their children draw on top.
  const ordered = [...layout.nodes].sort((a, b) => (a.type === 'compound' ? 0 : 1) - (b.type === 'compound' ? 0 : 1));
  const nodeLayer = element('g', { class: 'nodes' });
  for (const node of ordered) {
    const group = element('g', { class: `node ${node.type} state-${node.key}`, 'data-id': node.id, 'data-key': node.key }, nodeLayer);
    element('title', {}, group).textContent = node.key;
    if (node.type === 'compound') {
      element('rect', { x: node.x, y: node.y, width: node.w, height: node.h, rx: 8 }, group);
      element('text', { x: node.x + 8, y: node.y + 13, class: 'compound-label' }, group).textContent = node.key;
    } else {
      element('rect', { x: node.x, y: node.y, width: node.w, height: node.h, rx: node.h / 2 }, group);
      if (node.type === 'final') element('rect', { x: node.x + 2.5, y: node.y + 2.5, width: node.w - 5, height: node.h - 5, rx: node.h / 2 - 2.5, class: 'inner' }, group);
      element('text', { x: node.x + node.w / 2, y: node.y + node.h / 2 + 4, 'text-anchor': 'middle' }, group).textContent = node.key;
    }
    nodes.set(node.id, group);
  }

  // One drawn arrow per pair of states; its tooltip lists every transition between them.
  const pairs = new Map();
  for (const edge of layout.edges) {
    const key = `${edge.from}>${edge.to}`;
    pairs.set(key, [...(pairs.get(key) ?? []), edge.label]);
  }
  const edgeLayer = element('g', { class: 'edges' }, svg);
  const edges = new Map();
  for (const [key, labels] of pairs) {
    const [from, to] = key.split('>');
    const a = boxes.get(from);
    const b = boxes.get(to);
    if (!a || !b) continue;
    const path = element('path', { d: route(a, b, gap, compact ? 24 : margin), class: 'edge', 'marker-end': `url(#arrow-${name})`, 'data-edge': key }, edgeLayer);
    element('title', {}, path).textContent = `${a.key} → ${b.key}\n${labels.join('\n')}`;
    edges.set(key, path);
  }
  svg.appendChild(nodeLayer);

  svg.mark = ({ current = [], visited = [], taken = [] }) => {
    const now = new Set(current);
    const seen = new Set(visited);
    const used = new Set(taken);
    for (const [id, group] of nodes) {
      group.classList.toggle('current', now.has(id));
      group.classList.toggle('visited', seen.has(id) && !now.has(id));
    }
    for (const [key, path] of edges) path.classList.toggle('taken', used.has(key));
  };
  return svg;
}
