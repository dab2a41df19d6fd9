#!/usr/bin/env python3
"""A service in Python (standard library only) that speaks tierdown's shutdown
protocol (docs/protocol.md): it serves GET /health, and on
POST /shutdown with the run's bearer token it answers 202, saves its state,
and exits by itself. SIGTERM does the same, for tiers without the http step.

Run it under tierdown: ./bin/tierdown up -c examples/protocol/tierdown.yaml
Environment: PORT (default 28820), STATE_FILE (default ./counter-state.json).
"""
import hmac
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = os.environ.get("TIERDOWN_SHUTDOWN_TOKEN", "")
PORT = int(os.environ.get("PORT", "28820"))
STATE_FILE = os.environ.get("STATE_FILE", "counter-state.json")
MAX_BODY = 4096

counter = {"requests": 0}
stopping = threading.Event()


def save_state_and_exit(reason):
    """Runs once: write the state atomically (temp file + rename), then exit."""
    if stopping.is_set():
        return
    stopping.set()
    temp = STATE_FILE + ".tmp"
    with open(temp, "w") as out:
        json.dump({"requests": counter["requests"], "stoppedBy": reason}, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, STATE_FILE)
    print(f"saved state ({reason}), bye", flush=True)
    # Let the 202 reach tierdown before the process goes.
    threading.Timer(0.05, lambda: os._exit(0)).start()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):  # quieter than the default stderr log
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        counter["requests"] += 1
        if self.path == "/health":
            self.answer(503 if stopping.is_set() else 200, {"ok": not stopping.is_set()})
        else:
            self.answer(200, {"requests": counter["requests"]})

    def do_POST(self):
        if self.path != "/shutdown":
            return self.answer(404, {"error": "not found"})
        given = self.headers.get("Authorization", "")
        expected = "Bearer " + TOKEN
        # Constant-time compare; no token configured means nobody may stop us over HTTP.
        if not TOKEN or not hmac.compare_digest(given.encode(), expected.encode()):
            return self.answer(401, {"error": "unauthorized"})
        length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
        try:
            deadline_ms = json.loads(self.rfile.read(length) or b"{}").get("deadlineMs")
        except ValueError:
            deadline_ms = None
        print(f"shutdown requested, {deadline_ms} ms before SIGTERM", flush=True)
        self.answer(202, {"accepted": True})
        save_state_and_exit("http")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: save_state_and_exit("SIGTERM"))
    print(f"listening on 127.0.0.1:{PORT}", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
