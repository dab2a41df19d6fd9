// A minimal service: logs a heartbeat; with PORT it serves /health and a safe POST /shutdown via tierdown/service.
import http from 'node:http';
import { createShutdownHandler } from 'tierdown/service';

const name = process.env.NAME ?? 'service';
const timer = setInterval(() => console.log(`${name} alive`), 1000);
if (process.env.PORT) {
  const server = http.createServer((req, res) => {
    if (shutdown.handle(req, res)) return;
    res.end(req.url === '/health' ? 'ok' : name);
  });
  const shutdown = createShutdownHandler({ server, onShutdown: () => clearInterval(timer) });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`${name} listening on ${process.env.PORT}`));
} else {
  process.on('SIGTERM', () => {
    console.log(`${name} got SIGTERM, bye`);
    process.exit(0);
  });
}
