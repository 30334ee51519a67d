"""Load: many people at once against gunicorn as the README's production section runs it.

    .venv/bin/python benchmarks/load.py [--clients 30] [--seconds 60] [--database both]

For each database (SQLite in a scratch data directory; PostgreSQL at ``--postgres-url``,
default ``MAMORI_DATABASE_URL``, when it answers — its tables are dropped first, so give it
a scratch database) it migrates, loads the demo company, collects the static files and
starts ``gunicorn mamori.wsgi --workers 3`` in production mode (plain HTTP on 127.0.0.1, so
no TLS redirect). Then ``--clients`` threads, each signed in as a demo user (the officer,
an executive, the editor, the auditor), run for ``--seconds`` a mix of page reads, API
reads with tokens, checklist comments posted through the form with its CSRF token, and
people added through the API. Afterwards it checks that every write the server
acknowledged is in the database and that nothing else is (no lost, no phantom writes),
runs ``mamori audit verify``, and prints requests, errors and p50/p95/max per kind.
Exit status 1 when a check fails or a response was a server error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "mamori-demo-2026"  # noqa: S105 - the demo users' published password
# Who the clients are: the officer, an executive, the editor and the auditor of the demo.
USERS = ("sato", "tanaka", "suzuki", "ito")
WRITERS = ("sato", "tanaka", "suzuki")
ROW = "urn:mamori:row:common:organisation"
PAGES = (
    "/",
    "/checklist/",
    "/findings/",
    "/assets/",
    "/people/",
    "/partners/",
    "/contracts/",
    "/disclosures/",
    f"/checklist/rows/{urllib.parse.quote(ROW, safe='')}/",
    "/approvals/",
)
API_READS = (
    "/api/people/?limit=20",
    "/api/assets/?limit=20",
    "/api/findings/?limit=20",
    "/api/grants/?limit=20",
    "/api/checklist/",
)
# Share of each kind of request.
MIX = (("page", 0.50), ("api_read", 0.25), ("form_write", 0.13), ("api_write", 0.12))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("MAMORI_DATABASE_URL", ""))
    parser.add_argument("--port", type=int, default=8132)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (README: 3)")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


# --- the installation ----------------------------------------------------------------------


def _env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MAMORI_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mamori.settings.production",
        MAMORI_SECRET_KEY="load-" + secrets.token_hex(24),
        MAMORI_DATA_DIR=str(data_dir),
        MAMORI_ALLOWED_HOSTS="127.0.0.1,localhost",
        MAMORI_SSL_REDIRECT="0",
        MAMORI_MFA_REQUIRED="none",
        MAMORI_LOG_LEVEL="WARNING",
    )
    if database_url:
        env["MAMORI_DATABASE_URL"] = database_url
    return env


def _mamori(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command, our own arguments
        [str(BIN / "mamori"), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"mamori {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _drop_postgres_tables(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def postgres_answers(url: str) -> bool:
    if not url.startswith(("postgres://", "postgresql://")):
        return False
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=3).close()
    except Exception:
        return False
    return True


SHELL_SETUP = """
import json
from mamori.accounts.models import User
from mamori.api.services import token_create
from mamori.core.actor import acting_as
keys = {}
for name in %r:
    user = User.objects.get(username=name)
    with acting_as(user):
        keys[name] = token_create(user=user, name="load").key
print(json.dumps(keys))
"""

SHELL_WRITES = """
import json
from mamori.assessment.models import Comment
from mamori.people.models import Person
comments = Comment.objects.filter(body__startswith="load-").values_list("body", flat=True)
people = Person.objects.filter(name__startswith="load-").values_list("name", flat=True)
print(json.dumps({"comments": sorted(comments), "people": sorted(people)}))
"""


def prepare(env: dict[str, str], database_url: str) -> dict[str, str]:
    """Build a fresh installation with the demo company; return API tokens by user."""
    if database_url:
        _drop_postgres_tables(database_url)
    _mamori(env, "migrate", "--noinput")
    _mamori(env, "demo")
    _mamori(env, "collectstatic", "--noinput")
    out = _mamori(env, "shell", "-c", SHELL_SETUP % ((*WRITERS, "ito"),))
    return json.loads(out.strip().splitlines()[-1])


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    handle = log.open("w")
    process = subprocess.Popen(  # noqa: S603 - gunicorn from our own environment
        [
            str(BIN / "gunicorn"),
            "mamori.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise SystemExit("gunicorn did not answer within 120 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- the clients ---------------------------------------------------------------------------


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    acknowledged: dict[str, set[str]] = field(
        default_factory=lambda: {"comments": set(), "people": set()}
    )

    def record(self, kind: str, seconds: float, status: int, problem: str = "") -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[status] += 1
            if problem:
                self.errors.append(problem)


class Client:
    """One person's browser or script: a kept-alive connection, cookies, a CSRF token."""

    def __init__(self, port: int, username: str, token: str | None) -> None:
        self.port, self.username, self.token = port, username, token
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data, response

    def csrf_from(self, page: bytes) -> str:
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return found.group(1).decode() if found else ""

    def form_post(self, path: str, fields: dict[str, str]) -> tuple[int, bytes]:
        status, page, _ = self.request("GET", path)
        if status != 200:
            return status, page
        fields = {"csrfmiddlewaretoken": self.csrf_from(page), **fields}
        status, data, _ = self.request(
            "POST",
            path,
            body=urllib.parse.urlencode(fields).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}{path}",
            },
        )
        return status, data

    def sign_in(self) -> None:
        status, _ = self.form_post(
            "/accounts/login/", {"username": self.username, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"{self.username} could not sign in ({status})")


def _wait(ready: threading.Barrier) -> bool:
    try:
        ready.wait(timeout=600)
    except threading.BrokenBarrierError:
        return False
    return True


def _kind(rng: random.Random) -> str:
    point, total = rng.random(), 0.0
    for kind, share in MIX:
        total += share
        if point < total:
            return kind
    return MIX[-1][0]


def run_client(
    number: int,
    port: int,
    tokens: dict,
    seconds: float,
    results: Results,
    seed: int,
    ready: threading.Barrier,
):
    rng = random.Random(seed + number)
    username = USERS[number % len(USERS)]
    client = Client(port, username, tokens.get(username))
    started = time.perf_counter()
    try:
        client.sign_in()
    except (RuntimeError, OSError) as exc:
        results.record("sign_in", time.perf_counter() - started, 0, f"{username}: {exc}")
        _wait(ready)
        return
    with results.lock:  # timed apart: not a request of the mix
        results.latencies["sign_in"].append(time.perf_counter() - started)
    # Everyone signs in first (each a password hash: Argon2, deliberately slow), then
    # the timed mix starts for all at once: it measures the steady work, not the morning.
    if not _wait(ready):
        return
    writer = username in WRITERS
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kind = _kind(rng)
        if kind in ("form_write", "api_write") and not writer:
            kind = "page"
        marker = f"load-{number}-{secrets.token_hex(6)}"
        started = time.perf_counter()
        try:
            if kind == "page":
                status, _, _ = client.request("GET", rng.choice(PAGES))
                ok = status == 200
            elif kind == "api_read":
                status, _, _ = client.request(
                    "GET", rng.choice(API_READS), headers={"Authorization": f"Token {client.token}"}
                )
                ok = status == 200
            elif kind == "form_write":
                status, _ = client.form_post(
                    f"/checklist/rows/{urllib.parse.quote(ROW, safe='')}/",
                    {"action": "comment", "body": marker},
                )
                ok = status == 302
                if ok:
                    with results.lock:
                        results.acknowledged["comments"].add(marker)
            else:
                status, _, _ = client.request(
                    "POST",
                    "/api/people/",
                    body=json.dumps({"name": marker, "kind": "employee"}).encode(),
                    headers={
                        "Authorization": f"Token {client.token}",
                        "Content-Type": "application/json",
                    },
                )
                ok = status == 201
                if ok:
                    with results.lock:
                        results.acknowledged["people"].add(marker)
        except (OSError, http.client.HTTPException) as exc:
            results.record(kind, time.perf_counter() - started, 0, f"{kind}: {exc}")
            continue
        problem = "" if ok else f"{kind} {username}: {status}"
        results.record(kind, time.perf_counter() - started, status, problem)


# --- one run -------------------------------------------------------------------------------


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def run(label: str, database_url: str, args: argparse.Namespace) -> bool:
    data_dir = Path(tempfile.mkdtemp(prefix=f"mamori-load-{label}-"))
    env = _env(data_dir, database_url)
    print(f"== {label}: preparing the demo installation in {data_dir}", flush=True)
    tokens = prepare(env, database_url)
    process = start_gunicorn(env, args.port, args.workers, data_dir / "gunicorn.log")
    results = Results()
    try:
        print(
            f"== {label}: {args.clients} clients for {args.seconds:.0f} s against gunicorn "
            f"--workers {args.workers}",
            flush=True,
        )
        load_before = os.getloadavg()
        timing: dict[str, float] = {}
        ready = threading.Barrier(
            args.clients, action=lambda: timing.setdefault("start", time.monotonic())
        )
        threads = [
            threading.Thread(
                target=run_client,
                args=(n, args.port, tokens, args.seconds, results, args.seed, ready),
                daemon=True,
            )
            for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - timing.get("start", time.monotonic())
        load_after = os.getloadavg()
    finally:
        stop(process)
    stored = json.loads(_mamori(env, "shell", "-c", SHELL_WRITES).strip().splitlines()[-1])
    lost = phantom = 0
    for key in ("comments", "people"):
        acknowledged, found = results.acknowledged[key], set(stored[key])
        lost += len(acknowledged - found)
        phantom += len(found - acknowledged)
    verify = subprocess.run(  # noqa: S603 - our own command
        [str(BIN / "mamori"), "audit", "verify", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    server_errors = sum(count for status, count in results.statuses.items() if status >= 500)
    signed_in = results.latencies.pop("sign_in", [])
    total = sum(results.statuses.values())
    locked = (data_dir / "gunicorn.log").read_text(errors="replace").count("database is locked")
    statuses = dict(sorted(results.statuses.items()))
    print(
        f"   load average {load_before[0]:.1f} before, {load_after[0]:.1f} after "
        f"({os.cpu_count()} cores)"
    )
    print(
        f"   sign-ins first: n={len(signed_in)} p50={_quantile(signed_in, 0.5):.3f} s "
        f"max={max(signed_in, default=0):.3f} s"
    )
    print(f"   requests {total} in {elapsed:.1f} s ({total / elapsed:.1f}/s); statuses {statuses}")
    reads = results.latencies["page"] + results.latencies["api_read"]
    writes = results.latencies["form_write"] + results.latencies["api_write"]
    for name, values in (
        ("reads", reads),
        ("  pages", results.latencies["page"]),
        ("  API reads", results.latencies["api_read"]),
        ("writes", writes),
        ("  form comments", results.latencies["form_write"]),
        ("  API people", results.latencies["api_write"]),
    ):
        print(
            f"   {name:<16} n={len(values):<6} p50={_quantile(values, 0.5):.3f} s "
            f"p95={_quantile(values, 0.95):.3f} s max={max(values, default=0):.3f} s"
        )
    acknowledged = sum(len(v) for v in results.acknowledged.values())
    print(f"   writes acknowledged {acknowledged}; lost {lost}; phantom {phantom}")
    others = len(results.errors) - server_errors
    print(f"   server errors (5xx) {server_errors}; other failures {others}")
    print(f"   'database is locked' in the server log: {locked}")
    for problem in results.errors[:10]:
        print(f"     {problem}")
    print(f"   audit verify: {(verify.stdout or verify.stderr).strip()}")
    ok = server_errors == 0 and lost == 0 and phantom == 0 and verify.returncode == 0
    if not ok:
        print(f"   FAILED (logs in {data_dir})")
    else:
        shutil.rmtree(data_dir, ignore_errors=True)
    return ok


def main() -> int:
    args = parse_args()
    os.chdir(ROOT)
    runs = []
    if args.database in ("sqlite", "both"):
        runs.append(("sqlite", ""))
    if args.database in ("postgresql", "both"):
        if postgres_answers(args.postgres_url):
            runs.append(("postgresql", args.postgres_url))
        else:
            print("== PostgreSQL does not answer at --postgres-url / MAMORI_DATABASE_URL: skipped")
    ok = True
    for label, url in runs:
        ok = run(label, url, args) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
