// Draws one chart layout (from api/model: laid out by ELK from the machine
// definitions, labels placed) as SVG, and marks the current state, the states
// visited and the transitions taken. Nothing here knows a state by name.
const SVG = 'http://www.w3.org/2000/svg';

function element(name, attributes = {}, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

const pathOf = (points) => points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');

/**
 * Renders `layout` into an <svg> that scales down to its container's width.
 * Returns it with `mark({ current, visited, taken })`, where states are node ids
 * and taken transitions are `from>to` pairs of ids. `labels: false` keeps the
 * labels as tooltips only (the rows' small overview charts).
 */
export function drawChart(layout, { name = '', labels = true } = {}) {
  const pad = 4;
  const svg = element('svg', {
    viewBox: `${-pad} ${-pad} ${layout.width + 2 * pad} ${layout.height + 2 * pad}`,
    width: layout.width + 2 * pad,
    class: `chart${labels ? ' labelled' : ''}`,
    role: 'img',
    'aria-label': name,
  });
  svg.style.maxWidth = `${layout.width + 2 * pad}px`;
  const id = `arrow-${name.replace(/[^A-Za-z0-9_-]/g, '_')}-${labels ? 'l' : 's'}`;
  const marker = element('marker', { id, viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, element('defs', {}, svg));
  element('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow' }, marker);

  const nodes = new Map();
  const nodeLayer = element('g', { class: 'nodes' }, svg);
  // Compound boxes first so their children draw on top.
  const ordered = [...layout.nodes].sort((a, b) => (a.type === 'compound' ? 0 : 1) - (b.type === 'compound' ? 0 : 1));
  for (const node of ordered) {
    const group = element('g', { class: `node ${node.type} state-${node.key.replace(/\s/g, '-')}`, 'data-id': node.id, 'data-key': node.key }, nodeLayer);
    element('title', {}, group).textContent = node.type === 'any' ? 'transitions defined for every state' : node.key;
    if (node.type === 'compound') {
      element('rect', { x: node.x, y: node.y, width: node.w, height: node.h, rx: 8 }, group);
      element('text', { x: node.x + 8, y: node.y + 15, class: 'compound-label' }, group).textContent = node.key;
    } else {
      element('rect', { x: node.x, y: node.y, width: node.w, height: node.h, rx: node.type === 'any' ? 3 : node.h / 2 }, group);
      if (node.type === 'final') element('rect', { x: node.x + 2.5, y: node.y + 2.5, width: node.w - 5, height: node.h - 5, rx: node.h / 2 - 2.5, class: 'inner' }, group);
      element('text', { x: node.x + node.w / 2, y: node.y + node.h / 2 + 4, 'text-anchor': 'middle' }, group).textContent = node.key;
    }
    nodes.set(node.id, group);
  }

  const edgeLayer = element('g', { class: 'edges' }, svg);
  const edges = new Map();
  for (const edge of layout.edges) {
    if (!edge.points.length) continue;
    const key = `${edge.from}>${edge.to}`;
    const group = element('g', { class: 'edge-group', 'data-edge': key, 'data-transitions': edge.transitions.join(' ') }, edgeLayer);
    element('path', { d: pathOf(edge.points), class: 'edge', 'marker-end': `url(#${id})` }, group);
    element('title', {}, group).textContent = edge.label;
    if (labels && edge.box.w) {
      const text = element('text', { class: 'edge-label', x: edge.box.x + 2, y: edge.box.y + 10 }, group);
      edge.box.lines.forEach((line, index) => {
        element('tspan', { x: edge.box.x + 2, dy: index ? 12 : 0 }, text).textContent = line;
      });
    }
    edges.set(key, group);
  }

  svg.mark = ({ current = [], visited = [], taken = [] }) => {
    const now = new Set(current);
    const seen = new Set(visited);
    const used = new Set(taken);
    // A move with no arrow of its own between the two states was a transition defined for any state.
    for (const pair of taken) {
      if (edges.has(pair)) continue;
      const to = pair.split('>')[1];
      for (const key of edges.keys()) if (key.endsWith(`>${to}`) && key.startsWith(`${layout.nodes.find((n) => n.type === 'any')?.id}>`)) used.add(key);
    }
    for (const [nodeId, group] of nodes) {
      group.classList.toggle('current', now.has(nodeId));
      group.classList.toggle('visited', seen.has(nodeId) && !now.has(nodeId));
    }
    for (const [key, group] of edges) group.classList.toggle('taken', used.has(key));
  };
  return svg;
}
