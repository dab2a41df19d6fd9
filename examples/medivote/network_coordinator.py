#!/usr/bin/env python3
"""network_coordinator (critical), in Python like the seed's: the registry of
validator nodes and their last heartbeat. Standard library only. It speaks
tierdown's shutdown protocol (docs/real-services.md) without any helper:

- POST /shutdown with `Authorization: Bearer <TIERDOWN_SHUTDOWN_TOKEN>`
  (compared in constant time) -> 202, then the registry is saved atomically
  and the process exits 0;
- a missing or wrong token -> 401; any other method on /shutdown -> 405;
- SIGTERM/SIGINT (tierdown's fallback) save the same way, once.
"""
import hmac
import json
import os
import signal
import sys
import tempfile
import threading
import urllib.request
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("PORT", "28814"))
TOKEN = os.environ.get("TIERDOWN_SHUTDOWN_TOKEN", "")
STATE_DIR = os.environ.get("STATE_DIR") or os.path.join(tempfile.gettempdir(), "medivote-state")
STATE_FILE = os.path.join(STATE_DIR, os.environ.get("STATE_FILE", "network_coordinator.json"))
INCENTIVES = os.environ.get("INCENTIVE_URL", "http://127.0.0.1:28813")
HEARTBEAT_S = int(os.environ.get("HEARTBEAT_MS", "250")) / 1000

os.makedirs(STATE_DIR, exist_ok=True)
lock = threading.Lock()
stopping = threading.Event()
saved = threading.Event()


def now():
    return datetime.now(timezone.utc).isoformat()


def load_state():
    try:
        with open(STATE_FILE, encoding="utf-8") as file:
            return json.load(file)
    except FileNotFoundError:
        return {"nodes": {}}


registry = load_state()


def save_atomically():
    """Write a temp file in the same folder, fsync it, rename it over the old one."""
    with lock:
        if saved.is_set():
            return
        fd, temp = tempfile.mkstemp(dir=STATE_DIR, prefix=".network_coordinator.")
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(registry, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, STATE_FILE)
        saved.set()
    print(f"network_coordinator: registry of {len(registry['nodes'])} nodes saved", flush=True)


def authorized(header):
    expected = f"Bearer {TOKEN}".encode()
    # compare_digest takes constant time whatever the header holds.
    return bool(TOKEN) and hmac.compare_digest((header or "").encode(), expected)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/shutdown":
            return self.send_json(405, {"error": "use POST"})
        if self.path == "/health":
            return self.send_json(200, {"ok": True})
        if self.path in ("/", "/nodes"):
            with lock:
                body = {"service": "network_coordinator", "nodes": len(registry["nodes"]), "registry": registry["nodes"]}
            return self.send_json(200, body)
        self.send_json(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/shutdown":
            return self.send_json(404, {"error": "not found"})
        length = min(int(self.headers.get("content-length") or 0), 64 * 1024)
        self.rfile.read(length)
        if not authorized(self.headers.get("authorization")):
            return self.send_json(401, {"error": "invalid or missing token"})
        self.send_json(202, {"accepted": True})
        begin_shutdown()

    def do_PUT(self):
        self.send_json(405 if self.path == "/shutdown" else 404, {"error": "use POST"})

    do_DELETE = do_PATCH = do_PUT


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)


def begin_shutdown():
    """Runs once, from the request or a signal: stop the heartbeats, save, stop serving."""
    if stopping.is_set():
        return
    stopping.set()
    threading.Thread(target=finish, daemon=True).start()


def finish():
    save_atomically()
    server.shutdown()


def heartbeats():
    while not stopping.wait(HEARTBEAT_S):
        with lock:
            for node in registry["nodes"].values():
                node["lastSeen"] = now()


def enrol():
    # depends_on guarantees incentive_system is ready: every node holding a credential is enrolled.
    with urllib.request.urlopen(f"{INCENTIVES}/", timeout=2) as response:
        nodes = json.load(response)["nodes"]
    for entry in nodes:
        known = registry["nodes"].get(entry["id"], {})
        registry["nodes"][entry["id"]] = {**known, "fingerprint": entry["fingerprint"], "enrolledAt": known.get("enrolledAt", now())}


def main():
    enrol()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: begin_shutdown())
    threading.Thread(target=heartbeats, daemon=True).start()
    print(f"network_coordinator listening on http://127.0.0.1:{PORT} (python {sys.version.split()[0]})", flush=True)
    server.serve_forever(poll_interval=0.05)
    server.server_close()
    saved.wait(5)
    sys.exit(0)


if __name__ == "__main__":
    main()
