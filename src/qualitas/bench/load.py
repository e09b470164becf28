"""`qualitas bench load`: simulated users reading and writing through the API of a real server.

By default it starts ``gunicorn qualitas.wsgi -w 2`` on a free port of 127.0.0.1 with the current
settings and database, gives every simulated user an API token of their own, and runs them for a
bounded time: each user loops over a mix of reads (list, filtered list, search, detail, "me") and
writes (create an action, complete one of the actions they created). Afterwards it checks that every
write the server acknowledged is in the database with its audit event, that nothing else was
written, and that the organization's audit chain verifies. Only 127.0.0.1 is ever a target.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from typing import Any

from qualitas.bench.run import percentile

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(port: int, workers: int = 2) -> subprocess.Popen[bytes]:
    from django.conf import settings

    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", "qualitas.settings"))
    env.setdefault("QUALITAS_SECRET_KEY", settings.SECRET_KEY)
    env["QUALITAS_HTTPS"] = "0"  # plain HTTP on the loopback interface
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "qualitas.wsgi",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180  # a loaded or niced machine starts slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "gunicorn exited: " + (process.stderr.read().decode()[-2000:] if process.stderr else "")
            )
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not answer /health/ within 180 s")


class SimulatedUser(threading.Thread):
    def __init__(
        self, runner: LoadRunner, token: str, user_id: int, action_ids: list[int], seed: int
    ) -> None:
        super().__init__(daemon=True)
        self.runner, self.token, self.user_id = runner, token, user_id
        self.action_ids = action_ids or [0]
        self.rng = random.Random(seed)
        self.mine_open: list[int] = []

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        conn = http.client.HTTPConnection(self.runner.host, self.runner.port, timeout=60)
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            return response.status, (json.loads(raw) if raw and response.status < 500 else None)
        finally:
            conn.close()

    def one(self) -> None:
        rng = self.rng
        if rng.random() < self.runner.write_share:
            if self.mine_open and rng.random() < 0.35:
                pk = self.mine_open.pop(rng.randrange(len(self.mine_open)))
                self.timed(
                    "complete",
                    "POST",
                    f"/api/actions/{pk}/transition/complete/",
                    {"note": "Done during the load test."},
                    200,
                    completed=pk,
                )
            else:
                body = {
                    "title": f"{self.runner.tag} check fixture {rng.randint(1, 999)}",
                    "owner": self.user_id,
                    "due_date": f"2030-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "priority": rng.choice(["low", "normal", "high"]),
                }
                self.timed("create", "POST", "/api/actions/", body, 201)
        else:
            roll = rng.random()
            if roll < 0.3:
                self.timed("list", "GET", "/api/actions/", None, 200)
            elif roll < 0.45:
                self.timed("list filtered", "GET", "/api/actions/?status=open&priority=high", None, 200)
            elif roll < 0.55:
                self.timed(
                    "search",
                    "GET",
                    "/api/actions/?q=" + urllib.parse.quote(rng.choice(["torque", "CMM"])),
                    None,
                    200,
                )
            elif roll < 0.9:
                self.timed("detail", "GET", f"/api/actions/{rng.choice(self.action_ids)}/", None, 200)
            else:
                self.timed("me", "GET", "/api/me/", None, 200)

    def timed(
        self,
        op: str,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        expect: int,
        completed: int | None = None,
    ) -> None:
        started = time.perf_counter()
        try:
            status, data = self.request(method, path, body)
        except (OSError, http.client.HTTPException) as exc:
            status, data = 0, {"detail": repr(exc)}
        elapsed = (time.perf_counter() - started) * 1000
        self.runner.record(op, elapsed, status, expect, data)
        if status == expect and op == "create" and isinstance(data, dict):
            self.runner.created(data["id"])
            self.mine_open.append(data["id"])
        if status == expect and completed is not None:
            self.runner.completed(completed)

    def run(self) -> None:
        while time.monotonic() < self.runner.deadline:
            self.one()


class LoadRunner:
    def __init__(self, host: str, port: int, seconds: float, write_share: float) -> None:
        self.host, self.port = host, port
        self.deadline = time.monotonic() + seconds
        self.write_share = write_share
        self.tag = f"[load {uuid.uuid4().hex[:8]}]"
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.error_samples: list[str] = []
        self.created_ids: list[int] = []
        self.completed_ids: list[int] = []

    def record(self, op: str, ms: float, status: int, expect: int, data: Any) -> None:
        with self.lock:
            self.latencies[op].append(ms)
            if status != expect:
                self.errors[op] += 1
                if len(self.error_samples) < 10:
                    self.error_samples.append(f"{op}: HTTP {status} {str(data)[:200]}")

    def created(self, pk: int) -> None:
        with self.lock:
            self.created_ids.append(pk)

    def completed(self, pk: int) -> None:
        with self.lock:
            self.completed_ids.append(pk)


def prepare_users(org: Any, users: int) -> list[tuple[Any, Any, str]]:
    """(membership, token, key) for ``users`` members who may write actions."""
    from qualitas.accounts import services as accounts
    from qualitas.accounts.choices import Role
    from qualitas.accounts.models import Membership
    from qualitas.core import audit

    members = list(
        Membership.objects.filter(organization=org, is_active=True)
        .exclude(role=Role.VIEWER)
        .select_related("user", "organization")
        .order_by("pk")[:users]
    )
    out = []
    with audit.context("cli"):
        for m in members:
            token, key = accounts.create_token(m, actor=None, name="load test")
            out.append((m, token, key))
    return out


def run_load_test(
    org: Any,
    *,
    url: str = "",
    users: int = 50,
    seconds: float = 120.0,
    write_share: float = 0.25,
    stdout: Any = None,
) -> dict[str, Any]:
    from qualitas.accounts import services as accounts
    from qualitas.actions.models import Action
    from qualitas.core import audit
    from qualitas.core.audit import verify_chain
    from qualitas.core.models import AuditEvent

    say = stdout.write if stdout is not None else print
    process = None
    if url:
        parts = urllib.parse.urlsplit(url)
        host, port = parts.hostname or "", parts.port or 80
        if host not in LOCAL_HOSTS:
            raise ValueError("the load test only targets a server on this machine (127.0.0.1)")
    else:
        host, port = "127.0.0.1", _free_port()
        say(f"Starting gunicorn -w 2 on 127.0.0.1:{port}…")
        process = start_gunicorn(port)
    prepared = prepare_users(org, users)
    try:
        sample_ids = list(
            Action.objects.filter(organization=org).order_by("?").values_list("pk", flat=True)[:500]
        )
        runner = LoadRunner(host, port, seconds, write_share)
        threads = [
            SimulatedUser(runner, key, m.user_id, sample_ids, seed=i)
            for i, (m, _t, key) in enumerate(prepared)
        ]
        say(
            f"{len(threads)} simulated users for {seconds:.0f} s against http://{host}:{port} "
            f"({write_share:.0%} writes)…"
        )
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=seconds + 120)
        elapsed = time.perf_counter() - started
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        with audit.context("cli"):
            for _m, token, _key in prepared:
                accounts.revoke_token(token, actor=None)

    # Every acknowledged write landed, with its audit event; nothing else was written.
    created = set(runner.created_ids)
    in_db = set(
        Action.objects.filter(organization=org, title__startswith=runner.tag).values_list("pk", flat=True)
    )
    create_events = AuditEvent.objects.filter(
        organization=org, action="action.create", object_id__in=[str(pk) for pk in created]
    ).count()
    done = Action.objects.filter(pk__in=runner.completed_ids, status="done").count()
    chain = verify_chain(org)
    all_ms = [ms for values in runner.latencies.values() for ms in values]
    total = len(all_ms)
    errors = sum(runner.errors.values())
    result: dict[str, Any] = {
        "users": len(prepared),
        "seconds": round(elapsed, 1),
        "requests": total,
        "throughput_rps": round(total / elapsed, 1) if elapsed else 0.0,
        "errors": errors,
        "latency_ms": {
            "p50": round(percentile(all_ms, 0.5), 1),
            "p95": round(percentile(all_ms, 0.95), 1),
            "p99": round(percentile(all_ms, 0.99), 1),
            "max": round(max(all_ms, default=0), 1),
        },
        "by_operation": {
            op: {
                "n": len(v),
                "errors": runner.errors.get(op, 0),
                "p50": round(percentile(v, 0.5), 1),
                "p95": round(percentile(v, 0.95), 1),
                "max": round(max(v), 1),
            }
            for op, v in sorted(runner.latencies.items())
        },
        "writes": {
            "created_acknowledged": len(created),
            "created_in_db": len(in_db),
            "create_events": create_events,
            "completed_acknowledged": len(runner.completed_ids),
            "completed_in_db": done,
        },
        "lost_writes": len(created - in_db)
        + (len(runner.completed_ids) - done)
        + (len(created) - create_events),
        "unexpected_writes": len(in_db - created),
        "audit_chain_ok": chain.ok,
        "audit_events_verified": chain.checked,
        "error_samples": runner.error_samples,
    }
    result["ok"] = (
        errors == 0 and result["lost_writes"] == 0 and result["unexpected_writes"] == 0 and chain.ok
    )
    say(
        f"\n{total:,} requests in {elapsed:.1f} s = {result['throughput_rps']:,} req/s, {errors} errors; "
        "latency "
        f"p50 {result['latency_ms']['p50']} ms, p95 {result['latency_ms']['p95']} ms, "
        f"p99 {result['latency_ms']['p99']} ms, max {result['latency_ms']['max']} ms"
    )
    for op, s in result["by_operation"].items():
        say(
            f"  {op:<14} n={s['n']:>6}  p50 {s['p50']:>7.1f}  p95 {s['p95']:>7.1f}  max {s['max']:>7.1f}  "
            f"errors {s['errors']}"
        )
    w = result["writes"]
    say(
        f"Writes: {w['created_acknowledged']} creates acknowledged, {w['created_in_db']} in the database, "
        f"{w['create_events']} with their audit event; "
        f"{w['completed_acknowledged']} completions acknowledged, "
        f"{w['completed_in_db']} done in the database. Lost: {result['lost_writes']}, "
        f"unexpected: {result['unexpected_writes']}."
    )
    say(
        f"Audit chain: {'OK' if chain.ok else 'BROKEN at #' + str(chain.broken_seq)}, "
        f"{chain.checked:,} events."
    )
    for line in runner.error_samples:
        say(f"  error: {line}")
    say("Load test " + ("passed." if result["ok"] else "FAILED."))
    return result
