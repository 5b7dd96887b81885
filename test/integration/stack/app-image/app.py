"""Stack-test application: /health, /ready (database reachable), POST/GET /items via psql.
APP_VERSION=3 answers /health with 500: the upgrade whose health gate fails."""
import http.server
import json
import os
import signal
import subprocess
import sys

VERSION = int(os.environ.get("APP_VERSION", "1"))
DB = os.environ["DATABASE_URL"]


def psql(sql):
    r = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", DB, "-c", sql], capture_output=True, text=True, timeout=10)
    return r.returncode, r.stdout.strip()


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            return self.reply(500 if VERSION >= 3 else 200, {"version": VERSION})
        if self.path == "/ready":
            code, _ = psql("SELECT 1 FROM items LIMIT 1")
            return self.reply(200 if code == 0 else 503, {"version": VERSION})
        if self.path == "/items":
            code, out = psql("SELECT count(*) FROM items")
            return self.reply(200 if code == 0 else 500, {"count": int(out or 0), "version": VERSION})
        self.reply(404, {})

    def do_POST(self):
        if self.path == "/items":
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n).decode().replace("'", "''")
            code, _ = psql(f"INSERT INTO items (body) VALUES ('{body}')")
            return self.reply(201 if code == 0 else 500, {})
        self.reply(404, {})

    def log_message(self, *args):
        pass


# PID 1 gets no default SIGTERM handler: without this, every stop waits out the grace period.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
http.server.ThreadingHTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
