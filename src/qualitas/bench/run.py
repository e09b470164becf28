"""`qualitas bench run`: p50/p95/max of every registered page, endpoint and operation.

In-process by default (``django.test.Client`` with a logged-in session: the whole middleware stack,
no network), or against a running server with ``--url`` (the login form, then the same requests).
For every request target the SQL that one request ran is captured and re-run bare through the
database cursor: that is the *floor* (the time the database alone needs for the page), and the
ratio p50/floor says how much the Python side adds.
"""

from __future__ import annotations

import http.cookiejar
import random
import re
import statistics
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse

from qualitas.bench.registry import ListTarget, load_all

# Budgets at scale M (docs/performance.md).
LATENCY_BUDGETS: dict[str, dict[str, float]] = {
    "page": {"p50": 20.0, "p95": 50.0},
    "api": {"p50": 20.0, "p95": 50.0},
    "dashboard": {"p50": 150.0, "p95": 150.0},
}
FLOOR_RATIO = 2.0
RATE_BUDGETS: dict[str, float] = {
    "audit_verify": 200_000.0,
    "import_readings_csv": 50_000.0,
    "import_readings_xlsx": 50_000.0,
    "import_measurements_csv": 50_000.0,
    "export": 20_000.0,
}
BUDGETS = {**LATENCY_BUDGETS, "floor_ratio": FLOOR_RATIO, **RATE_BUDGETS}


@dataclass
class Case:
    target: str
    case: str
    kind: str  # "page", "api" or "dashboard"
    path: str  # path with query string; "{id}" is replaced by a sampled id for detail cases
    ids: list[Any] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarize(samples_ms: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(samples_ms, 0.5), 2),
        "p95": round(percentile(samples_ms, 0.95), 2),
        "max": round(max(samples_ms), 2),
        "mean": round(statistics.fmean(samples_ms), 2),
        "n": len(samples_ms),
    }


def bench_user(org: Any) -> Any:
    """A quality manager who owns many actions (so "My tasks" has rows), else an administrator."""

    from qualitas.accounts.choices import Role
    from qualitas.accounts.models import Membership
    from qualitas.actions.queries import busiest_owner

    managers = Membership.objects.filter(organization=org, role=Role.QUALITY_MANAGER, is_active=True)
    busiest = busiest_owner(org, managers.values("user"))
    if busiest is not None:
        return managers.get(user_id=busiest).user
    admin = (
        Membership.objects.filter(organization=org, role=Role.ADMIN, is_active=True).order_by("pk").first()
    )
    if admin is None:
        raise ValueError(f"{org.slug} has no quality manager or administrator to benchmark as")
    return admin.user


def _query(params: dict[str, Any]) -> str:
    return ("?" + urllib.parse.urlencode(params)) if params else ""


def list_cases(target: ListTarget, org: Any, rng: random.Random) -> list[Case]:
    total = target.model.objects.filter(organization=org).count()
    deep = max(1, total // target.page_size)  # the last full page: the worst offset
    search = target.search
    if search == "*":  # a word of a real record, so the search has rows to find
        sample = target.model.objects.filter(organization=org).order_by("pk").first()
        words = [
            w for w in re.findall(r"[A-Za-z]{4,}", str(sample or "")) if w.lower() not in ("with", "from")
        ]
        search = words[-1] if words else ""
    filters = dict(target.filters)
    for name, value in list(filters.items()):
        if value == "*":  # the most common value in the data, so the filter has rows to find
            from django.db.models import Count

            top = (
                target.model.objects.filter(organization=org)
                .values(name)
                .annotate(n=Count("pk"))
                .order_by("-n")
                .first()
            )
            if top is None:
                del filters[name]
            else:
                filters[name] = top[name]
    cases: list[Case] = []
    for kind, url_name, sort_param, sort in (
        ("page", target.page_url, "sort", target.page_sort),
        ("api", target.api_url, "ordering", target.api_sort),
    ):
        if not url_name:
            continue
        base = reverse(url_name)
        cases.append(Case(target.key, "first page", kind, base))
        if filters:
            cases.append(Case(target.key, "filtered", kind, base + _query(filters)))
        if sort:
            cases.append(Case(target.key, f"sorted {sort}", kind, base + _query({sort_param: sort})))
        if total > target.page_size:
            cases.append(Case(target.key, f"deep page {deep}", kind, base + _query({"page": deep})))
        if search:
            cases.append(
                Case(target.key, f"search '{search}'", kind, base + _query({target.search_param: search}))
            )
    lookups = list(target.model.objects.filter(organization=org).values_list(target.api_lookup, flat=True))
    sample = rng.sample(lookups, min(len(lookups), 200)) if lookups else []
    if sample and target.detail_url:
        cases.append(
            Case(target.key, "detail", "page", reverse(target.detail_url, args=[0])[:-2] + "{id}/", sample)
        )
    if sample and target.api_detail_url:
        cases.append(
            Case(target.key, "detail", "api", reverse(target.api_detail_url, args=[0])[:-2] + "{id}/", sample)
        )
    return cases


class InProcessClient:
    def __init__(self, user: Any) -> None:
        from django.test import Client

        host = (settings.ALLOWED_HOSTS or ["127.0.0.1"])[0].lstrip(".")
        self.client = Client(HTTP_HOST="127.0.0.1" if host == "*" else host)
        self.client.force_login(user)

    def get(self, path: str) -> tuple[int, int]:
        response = self.client.get(path, secure=True, follow=False)
        if isinstance(response, StreamingHttpResponse):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        return response.status_code, len(body)


class HttpClient:
    """A logged-in browser session against a running server (127.0.0.1 only)."""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        host = urllib.parse.urlsplit(base_url).hostname or ""
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the benchmark only targets a server on this machine (127.0.0.1)")
        self.base = base_url.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        login = self.base + reverse("accounts:login")
        page = self.opener.open(login, timeout=30).read().decode()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": match.group(1) if match else "",
            }
        ).encode()
        request = urllib.request.Request(login, data=data, headers={"Referer": login})
        self.opener.open(request, timeout=30).read()
        if not any(c.name == "sessionid" for c in self.jar):
            raise ValueError(f"could not log in to {self.base} as {username}")

    def get(self, path: str) -> tuple[int, int]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, len(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, 0


def capture_sql(client: InProcessClient, path: str) -> list[tuple[str, Any, bool]]:
    captured: list[tuple[str, Any, bool]] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        client.get(path)
    return captured


def time_floor(queries: list[tuple[str, Any, bool]], repeat: int) -> tuple[float, int]:
    """p50 (ms) of running the request's SELECTs bare, and how many SELECTs that is."""
    selects = [
        (sql, params)
        for sql, params, many in queries
        if not many and sql.lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    samples = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            started = time.perf_counter()
            for sql, params in selects:
                cursor.execute(sql, params)
                cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 0.5), len(selects)


def verdict(kind: str, stats: dict[str, float], ratio: float | None) -> str:
    budget = LATENCY_BUDGETS[kind]
    missed = [f"{k} {stats[k]:.0f}>{v:.0f}" for k, v in budget.items() if stats[k] > v]
    if ratio is not None and kind != "dashboard" and ratio > FLOOR_RATIO:
        missed.append(f"floor x{ratio:.1f}")
    return "ok" if not missed else "MISS " + ", ".join(missed)


def run_benchmarks(
    org: Any,
    *,
    url: str = "",
    repeat: int = 20,
    only: list[str] | None = None,
    operations: bool = True,
    export: bool = False,
    stdout: Any = None,
    password: str = "",
) -> dict[str, Any]:
    from qualitas.bench.generate import BENCH_PASSWORD

    registry = load_all()
    rng = random.Random(7)
    user = bench_user(org)
    local = InProcessClient(user)
    client: Any = HttpClient(url, user.username, password or BENCH_PASSWORD) if url else local
    cases: list[Case] = []
    for target in registry.lists:
        if not only or target.key in only:
            cases += list_cases(target, org, rng)
    for page in registry.pages:
        if not only or page.key in only:
            cases.append(Case(page.key, "page", page.kind, reverse(page.url_name) + _query(page.params)))
    results: list[dict[str, Any]] = []
    for case in cases:
        if stdout is not None:
            stdout.write(f"  {case.target} {case.kind} {case.case}…")
        path = case.path.replace("{id}", str(case.ids[0])) if case.ids else case.path
        status, _size = client.get(path)  # warm-up (and a check that it answers)
        queries = capture_sql(local, path)
        floor, n_selects = time_floor(queries, repeat)
        samples, cpu = [], []
        for i in range(repeat):
            path = case.path.replace("{id}", str(case.ids[i % len(case.ids)])) if case.ids else case.path
            started, started_cpu = time.perf_counter(), time.process_time()
            status, _size = client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        stats = summarize(samples)
        if not url:  # in-process: the CPU time of this process (Django, and SQLite, which runs inside it)
            stats["cpu_p50"] = round(percentile(cpu, 0.5), 2)
        ratio = round(stats["p50"] / floor, 1) if floor > 0 else None
        results.append(
            {
                "target": case.target,
                "case": case.case,
                "kind": case.kind,
                "path": path,
                "status": status,
                **stats,
                "queries": len(queries),
                "floor_ms": round(floor, 2),
                "floor_selects": n_selects,
                "floor_ratio": ratio,
                "verdict": verdict(case.kind, stats, ratio) if status == 200 else f"HTTP {status}",
            }
        )
    if operations:
        for op in registry.operations:
            if (only and op.key not in only) or (op.key == "export" and not export):
                continue
            if stdout is not None:
                stdout.write(f"  {op.key}…")
            rates, units, unit = [], 0, ""
            for _ in range(op.repeat):
                started = time.perf_counter()
                units, unit = op.run(org)
                rates.append(units / max(time.perf_counter() - started, 1e-9))
            rate = statistics.median(rates)
            budget = RATE_BUDGETS.get(op.key)
            results.append(
                {
                    "target": op.key,
                    "case": "rate",
                    "kind": "operation",
                    "units": units,
                    "unit": unit,
                    "rate_per_s": round(rate),
                    "seconds": round(units / rate, 2),
                    "verdict": "ok"
                    if budget is None or rate >= budget
                    else f"MISS {rate:,.0f}<{budget:,.0f} {unit}/s",
                }
            )
    return {
        "organization": org.slug,
        "database": connection.vendor,
        "mode": url or "in-process",
        "repeat": repeat,
        "user": user.username,
        "rows": {t.key: t.model.objects.filter(organization=org).count() for t in registry.lists},
        "budgets": BUDGETS,
        "results": results,
    }


def print_table(report: dict[str, Any], stdout: Any) -> None:
    stdout.write(
        f"\n{report['organization']} on {report['database']} ({report['mode']}, {report['repeat']} "
        f"requests each, as {report['user']}); rows: "
        + ", ".join(f"{k} {v:,}" for k, v in report["rows"].items())
    )
    header = (
        f"{'target':<14} {'kind':<9} {'case':<26} {'p50':>7} {'p95':>7} {'max':>7} {'cpu50':>6} {'q':>3} "
        f"{'floor':>7} {'ratio':>6}  verdict (ms)"
    )
    stdout.write(header)
    stdout.write("-" * len(header))
    for r in report["results"]:
        if r["kind"] == "operation":
            stdout.write(
                f"{r['target']:<14} {'op':<9} {r['units']:,} {r['unit']} in {r['seconds']} s = "
                f"{r['rate_per_s']:,} {r['unit']}/s  {r['verdict']}"
            )
            continue
        ratio = f"x{r['floor_ratio']}" if r["floor_ratio"] is not None else "-"
        cpu = f"{r['cpu_p50']:.1f}" if "cpu_p50" in r else "-"
        stdout.write(
            f"{r['target']:<14} {r['kind']:<9} {r['case'][:26]:<26} {r['p50']:>7.1f} {r['p95']:>7.1f} "
            f"{r['max']:>7.1f} {cpu:>6} {r['queries']:>3} {r['floor_ms']:>7.2f} "
            f"{ratio:>6}  {r['verdict']}"
        )
