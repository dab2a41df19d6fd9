// The static frontend: serves public/ on 127.0.0.1:PORT; stops on SIGTERM (tier simple).
import http from 'node:http';
import { readFile } from 'node:fs/promises';

const port = Number(process.env.PORT ?? 28822);
const page = await readFile(new URL('./public/index.html', import.meta.url));
const server = http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
server.listen(port, '127.0.0.1', () => console.log(`web listening on http://127.0.0.1:${port}`));
