#!/usr/bin/env python
"""Benchmark: seed the demo region at a scale, serve it with gunicorn, time pages.

    python bench/run.py --scale 10 --pages home-adviser contacts --requests 50

1. A dedicated database: with DATABASE_URL (PostgreSQL) a database named <name>_bench_s<N> on the
   same server, otherwise data/bench/scale<N>.sqlite3. It is migrated and seeded with
   `seed_demo --scale N` once and reused by later runs (--fresh starts over).
2. gunicorn on 127.0.0.1 with production-like settings (DEBUG off, test SECRET_KEY, no HTTPS
   redirect, no MFA).
3. For each page: sign in as its demo user through the login form, warm up, then time N
   sequential requests; /healthz is timed the same way in the same run. Prints median and p95 and
   their ratio to /healthz; writes the figures as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import math
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import BASELINE, PAGES, BenchPage  # noqa: E402

HOST = "127.0.0.1"  # requests go only to the server this script starts
MAX_REQUESTS = 1000
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "Dreieck-Demo-2026")


def log(message: str) -> None:
    print(message, flush=True)


# --- database -------------------------------------------------------------------------------------
def bench_database(scale: int, fresh: bool) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        import psycopg

        parts = urllib.parse.urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'triangle'}_bench_s{scale}"
        admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            if fresh:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    path = ROOT / "data" / "bench" / f"scale{scale}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    if fresh and path.exists():
        path.unlink()
    return f"sqlite:///{path}"


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("TRIANGLE_TESTING", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATA_DIR=str(ROOT / "data" / "bench"),
        STATIC_ROOT=str(ROOT / "data" / "bench" / "static"),
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        REQUIRE_MFA="0",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603
    return time.perf_counter() - started


# --- HTTP -----------------------------------------------------------------------------------------
class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes, str]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.read(), response.geturl()

    def sign_in(self, username: str) -> None:
        self.get("/accounts/login/")
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode(
            {"login": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base + "/"}
        )
        with self.opener.open(request, timeout=60) as response:
            landed = urllib.parse.urlsplit(response.geturl()).path
        if landed.startswith("/accounts/"):
            raise SystemExit(f"Sign-in as {username} failed (ended at {landed}).")


def wait_for_server(base: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up.")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=10) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while gunicorn starts
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def measure(client: Client, path: str, *, warmup: int, requests: int) -> list[float]:
    for _ in range(warmup):
        client.get(path)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _body, url = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200 or urllib.parse.urlsplit(url).path != urllib.parse.urlsplit(path).path:
            raise SystemExit(f"{path}: HTTP {status}, ended at {url}")
    return timings


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# --- main -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    names = [p.name for p in PAGES]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="seed_demo --scale (default 1)")
    parser.add_argument("--pages", nargs="+", choices=names, help="pages (default: all)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers (default 1)")
    parser.add_argument("--fresh", action="store_true", help="drop and re-seed the database")
    args = parser.parse_args(argv)
    if not (1 <= args.requests <= MAX_REQUESTS and 0 <= args.warmup <= MAX_REQUESTS):
        parser.error(f"--requests and --warmup must be between 1 and {MAX_REQUESTS}")
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    selected = [p for p in PAGES if not args.pages or p.name in args.pages]

    database_url = bench_database(args.scale, args.fresh)
    env = server_env(database_url)
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    log(f"Database: {engine} ({urllib.parse.urlsplit(database_url).path.rsplit('/', 1)[-1]})")
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    seconds = manage(env, "seed_demo", "--scale", str(args.scale))
    log(f"seed_demo --scale {args.scale}: {seconds:.1f} s")
    if not (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists():
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")

    # Page paths may be callables that need Django (reverse, ORM) against the bench database.
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "DATA_DIR")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "triangle.settings")
    import django

    django.setup()

    def path_of(page: BenchPage) -> str:
        return page.path() if callable(page.path) else page.path

    port = free_port()
    base = f"http://{HOST}:{port}"
    server = subprocess.Popen(  # noqa: S603
        [
            *(sys.executable, "-m", "gunicorn", "triangle.wsgi:application"),
            *("--bind", f"{HOST}:{port}", "--workers", str(args.workers)),
            *("--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    results = []
    try:
        wait_for_server(base, server)
        clients: dict[str | None, Client] = {None: Client(base)}
        baseline = measure(clients[None], BASELINE.path, warmup=args.warmup, requests=args.requests)
        for page in selected:
            if page.username not in clients:
                clients[page.username] = Client(base)
                clients[page.username].sign_in(page.username)
            timings = measure(
                clients[page.username], path_of(page), warmup=args.warmup, requests=args.requests
            )
            results.append((page, timings))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    base_median, base_p95 = statistics.median(baseline), p95(baseline)
    log("")
    log(
        f"scale {args.scale}, {engine}, {args.requests} requests per page after "
        f"{args.warmup} warm-up, {args.workers} gunicorn worker(s)"
    )
    header = (
        f"{'page':<24} {'user':<14} {'median ms':>10} {'p95 ms':>8} {'× median':>9} {'× p95':>7}"
    )
    log(header)
    log("-" * len(header))
    rows = [(BASELINE, baseline)] + results
    report = []
    for page, timings in rows:
        median, high = statistics.median(timings), p95(timings)
        log(
            f"{page.name:<24} {page.username or '–':<14} {median:>10.1f} {high:>8.1f} "
            f"{median / base_median:>9.1f} {high / base_p95:>7.1f}"
        )
        report.append(
            {
                "page": page.name,
                "user": page.username,
                "path": path_of(page),
                "median_ms": round(median, 2),
                "p95_ms": round(high, 2),
                "ratio_median": round(median / base_median, 2),
                "ratio_p95": round(high / base_p95, 2),
            }
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = out / f"{stamp}-scale{args.scale}-{engine.lower()}.json"
    target.write_text(
        json.dumps(
            {
                "scale": args.scale,
                "engine": engine,
                "requests": args.requests,
                "warmup": args.warmup,
                "workers": args.workers,
                "pages": report,
            },
            indent=2,
        )
    )
    log(f"\nFigures written to {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
