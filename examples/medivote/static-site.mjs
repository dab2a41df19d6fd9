// network_dashboard and frontend (simple): static sites from SITE_DIR. No
// /shutdown endpoint — tierdown stops them with SIGTERM, on which they stop
// accepting, let open requests finish, and exit (tierdown/service's signal path).
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { sendJson, startService } from './lib/service-kit.mjs';

const name = process.env.SITE_NAME ?? 'site';
const root = new URL(`./public/${process.env.SITE_DIR ?? name}/`, import.meta.url).pathname;
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json' };

startService({
  name,
  httpShutdown: false,
  async handle(req, res) {
    const { pathname } = new URL(req.url ?? '/', 'http://site');
    // The page learns where its API is from here (API_URL), not from a hard-coded port.
    if (pathname === '/config.json') return sendJson(res, 200, { api: process.env.API_URL ?? null });
    const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
    if (!file.startsWith(root) || !['GET', 'HEAD'].includes(req.method ?? '')) return res.writeHead(404).end('not found');
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404).end('not found');
    }
  },
  onShutdown: ({ reason }) => console.log(`${name}: ${reason}, closing`),
});
