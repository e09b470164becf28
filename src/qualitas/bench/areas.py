"""Bench targets for every QMS area, found from the URL configuration (the areas need not know the
bench tools).

Every routed ``ObjectListView`` page and every list route of a ``TenantViewSetMixin`` viewset becomes
a ``ListTarget`` (first page, deep page, text search when its filter set has ``q``, detail page and
detail endpoint when routed), paired by model. Registers that ``builtin`` describes in more detail
(actions, the audit trail) keep that description. An area that is not installed has no routes and
contributes nothing; an area can register a richer target or a generator with ``bench_registry.add``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from qualitas.bench.registry import BenchRegistry, ListTarget, PageTarget


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _walk(p.url_patterns, ns or "")
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def discover() -> dict[Any, dict[str, Any]]:
    """model -> {"page_url", "detail_url", "api_url", "api_detail_url", "filterset"} from the URL conf."""
    from qualitas.core.api.viewsets import TenantViewSetMixin
    from qualitas.core.views import ObjectListView, ObjectView

    found: dict[Any, dict[str, Any]] = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        callback = pattern.callback
        view_class = getattr(callback, "view_class", None)
        viewset = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None) or {}
        if (
            view_class is not None
            and issubclass(view_class, ObjectListView)
            and not pattern.pattern.converters
        ):
            entry = found.setdefault(view_class.model, {})
            # The register's own list ("…_list") wins over other list-shaped views (exports).
            if name.endswith("_list") and not entry.get("page_url", "").endswith("_list"):
                entry.pop("page_url", None)
                entry.pop("filterset", None)
            entry.setdefault("page_url", name)
            entry.setdefault("filterset", view_class.filterset_class)
            entry.setdefault("columns", view_class.columns)
        elif (
            view_class is not None
            and issubclass(view_class, ObjectView)
            and list(pattern.pattern.converters) == ["pk"]
        ):
            found.setdefault(view_class.model, {}).setdefault("detail_url", name)
        elif (
            viewset is not None
            and issubclass(viewset, TenantViewSetMixin)
            and getattr(viewset, "model", None)
        ):
            entry = found.setdefault(viewset.model, {})
            if actions.get("get") == "list":
                entry.setdefault("api_url", name)
                entry.setdefault("filterset", getattr(viewset, "filterset_class", None))
                entry.setdefault("ordering_fields", getattr(viewset, "ordering_fields", None) or [])
            elif actions.get("get") == "retrieve":
                entry.setdefault("api_detail_url", name)
                entry.setdefault("api_lookup", getattr(viewset, "lookup_field", "pk") or "pk")
    return found


# Registers without a list page of their own whose API lists grow large (KPI measurements).
LARGE_API_ONLY = {"planning.measurement"}


def register(reg: BenchRegistry) -> None:
    register_generators(reg)
    known = {t.model for t in reg.lists}
    for model, entry in discover().items():
        page_url = entry.get("page_url")
        if page_url and not page_url.endswith("_list"):
            page_url = None  # a list-shaped export, not the register's page (measured as an operation)
        if model in known or not (page_url or model._meta.label_lower in LARGE_API_ONLY):
            continue  # registers with a list page (API-only sub-resources are measured through their parents)
        if not any(f.name == "organization" for f in model._meta.fields):
            continue
        filterset = entry.get("filterset")
        base_filters = getattr(filterset, "base_filters", {}) if filterset is not None else {}
        has_q = "q" in base_filters
        # A typical filter and a sort other than the default, for every register that offers them:
        # the most common status (picked from the data when the run starts), the first sortable
        # column, newest/largest first.
        fields = {f.name for f in model._meta.fields}
        filters = {"status": "*"} if "status" in base_filters and "status" in fields else {}
        page_keys = [key for _h, _a, key in entry.get("columns", []) if key and "__" not in key]
        api_keys = [k for k in entry.get("ordering_fields", []) if k in fields]
        reg.add(
            ListTarget(
                model._meta.label_lower.replace(".", "_"),
                str(model._meta.verbose_name_plural).capitalize(),
                model,
                page_url=page_url,
                api_url=entry.get("api_url"),
                detail_url=entry.get("detail_url"),
                api_detail_url=entry.get("api_detail_url"),
                api_lookup=entry.get("api_lookup", "pk"),
                # A word that matches some rows is picked from the data when the run starts.
                search="*" if has_q else "",
                filters=filters,
                page_sort=f"-{page_keys[0]}" if page_keys and page_url else "",
                api_sort=f"-{api_keys[0]}" if api_keys else "",
            )
        )
    # Every sidebar page that is not a register list: dashboards, maps, analyses, readiness.
    from django.urls import NoReverseMatch, reverse

    from qualitas.core.registry import registry

    list_pages = {t.page_url for t in reg.lists} | {p.url_name for p in reg.pages}
    for nav in registry.navigation:
        if nav.url_name in list_pages:
            continue
        try:
            reverse(nav.url_name)
        except NoReverseMatch:
            continue
        reg.add(
            PageTarget(f"page:{nav.url_name}", f"{nav.section}: {nav.label}", nav.url_name, kind="dashboard")
        )


# --- generators for the areas ----------------------------------------------------------------------

NC_TITLES = [
    "Bore diameter out of tolerance",
    "Burr on sealing face",
    "Wrong surface finish",
    "Missing chamfer",
    "Thread gauge no-go passes",
    "Scratches after packing",
    "Wrong material certificate",
    "Hardness low",
    "Coating thickness under spec",
    "Label shows wrong part number",
    "Late delivery of bar stock",
    "Customer reports rattling noise",
    "Calibration overdue on micrometer",
    "Drawing revision mismatch",
]
NC_PRODUCTS = ["Shaft S-120", "Flange F-88", "Bushing B-12", "Housing H-400", "Pin P-7", "Gear G-36"]
NC_CAUSES = [
    ("Method", "method"),
    ("Machine", "machine"),
    ("Material", "material"),
    ("Man", "man"),
    ("Measurement", "measurement"),
    ("Environment", "environment"),
]
NC_PATH = ["reported", "containment", "analysis", "action_plan", "implementation", "verification", "closed"]
NC_STEPS = {
    "containment": "contain",
    "analysis": "analyse",
    "action_plan": "plan",
    "implementation": "implement",
    "verification": "verify",
    "closed": "close",
}


def generate_nonconformities(ctx: Any) -> int:
    """As many nonconformities as actions (``scale.records``), walked through the corrective-action loop."""
    import datetime as dt
    from collections import Counter

    from qualitas.accounts.choices import Role
    from qualitas.accounts.models import Site
    from qualitas.core import audit
    from qualitas.improvement.models import CauseCategory, Nonconformity

    rng = ctx.rng("nonconformities")
    n = ctx.scale.records
    org = ctx.organization
    owner = ctx.owner_picker(rng, ctx.with_role(Role.QUALITY_MANAGER, Role.PROCESS_OWNER, Role.AUDITOR))
    verifiers = ctx.with_role(Role.QUALITY_MANAGER, Role.AUDITOR) or [ctx.admin]
    sites = list(Site.objects.filter(organization=org))
    categories = [
        CauseCategory(
            organization_id=org.pk,
            name=name,
            six_m=six,
            created_at=ctx.start,
            updated_at=ctx.start,
            created_by_id=ctx.admin.pk,
        )
        for name, six in NC_CAUSES
    ]
    ctx.bulk_insert(CauseCategory, categories, desc="root-cause categories")
    for cat in categories:
        ctx.event(
            ctx.start,
            actor=ctx.admin,
            action="causecategory.create",
            obj=cat,
            changes=audit.diff({}, audit.snapshot(cat, with_m2m=False)),
        )
    span = (ctx.end - ctx.start).total_seconds()
    times = sorted(ctx.start + dt.timedelta(seconds=rng.random() * span) for _ in range(n))
    per_year: Counter[int] = Counter()
    rows, plans = [], []
    for created in times:
        per_year[created.year] += 1
        age = (ctx.until - created.date()).days
        reporter, lead = rng.choice(ctx.people), owner()
        # How far along the loop: old ones are closed (a few cancelled), recent ones are on the way.
        if age > 120:
            final = "cancelled" if rng.random() < 0.04 else "closed"
        else:
            final = NC_PATH[min(len(NC_PATH) - 2, int(rng.random() * (age / 20 + 1)))]
        steps, t = [], created
        for status in NC_PATH[1 : (NC_PATH.index(final) + 1) if final != "cancelled" else 2]:
            t += dt.timedelta(days=rng.uniform(0.2, 12))
            steps.append((status, t))
        closed_at = steps[-1][1].replace(microsecond=0) if final in ("closed", "cancelled") else None
        verifier = rng.choice(verifiers) if final == "closed" else None
        category = (
            rng.choice(categories)
            if NC_PATH.index(final if final != "cancelled" else "reported") >= 3
            else None
        )
        nc = Nonconformity(
            organization_id=org.pk,
            created_at=created,
            updated_at=steps[-1][1] if steps else created,
            created_by_id=reporter.pk,
            version=1 + len(steps) + (1 if category else 0),
            reference=f"NC-{created.year}-{per_year[created.year]:04d}",
            title=rng.choice(NC_TITLES),
            description="Found during the shift; parts quarantined.",
            source=rng.choice(["process", "inspection", "customer_complaint", "supplier", "internal_audit"]),
            severity=rng.choices(["minor", "major", "critical"], [70, 25, 5])[0],
            site_id=rng.choice(sites).pk if sites else None,
            product=rng.choice(NC_PRODUCTS),
            lot=f"L{created.year % 100:02d}-{rng.randint(1000, 9999)}",
            detected_on=created.date(),
            detected_by_id=reporter.pk,
            owner_id=lead.pk,
            due_date=(created + dt.timedelta(days=rng.choice((14, 30, 30, 60)))).date(),
            containment="Parts quarantined and sorted." if steps and final != "cancelled" else "",
            cause_category_id=category.pk if category else None,
            root_cause="Worn tool not replaced at the planned interval." if category else "",
            verdict="effective" if final == "closed" else "",
            verified_by_id=verifier.pk if verifier else None,
            verified_at=closed_at if final == "closed" else None,
            closed_at=closed_at,
            cancel_reason="Duplicate report." if final == "cancelled" else "",
            status=final,
        )
        rows.append(nc)
        plans.append((reporter, lead, verifier, steps, final))
    ctx.bulk_insert(Nonconformity, rows, desc="nonconformities")
    ctx.set_counters("NC", dict(per_year))
    for nc, (reporter, lead, verifier, steps, final) in zip(rows, plans, strict=True):
        initial = audit.snapshot(nc, with_m2m=False)
        initial.update(
            status="reported",
            containment="",
            cause_category_id=None,
            root_cause="",
            verdict="",
            verified_by_id=None,
            verified_at=None,
            closed_at=None,
            cancel_reason="",
        )
        ctx.event(
            nc.created_at,
            actor=reporter,
            action="nonconformity.create",
            obj=nc,
            changes=audit.diff({}, initial),
        )
        status = "reported"
        for target, when in steps:
            name = "cancel" if final == "cancelled" else NC_STEPS[target]
            target = "cancelled" if final == "cancelled" else target
            changes: dict[str, list[Any]] = {"status": [status, target]}
            if name == "contain":
                changes["containment"] = ["", nc.containment]
            elif name == "plan" and nc.cause_category_id:
                # The root cause is its own service call (set_root_cause) during the analysis.
                ctx.event(
                    when - dt.timedelta(hours=1),
                    actor=lead,
                    action="nonconformity.root_cause",
                    obj=nc,
                    changes={
                        "cause_category_id": [None, nc.cause_category_id],
                        "root_cause": ["", nc.root_cause],
                    },
                )
            elif name == "close":
                stamp = audit.to_jsonable(nc.closed_at)
                changes.update(
                    verdict=["", "effective"],
                    verified_by_id=[None, nc.verified_by_id],
                    verified_at=[None, stamp],
                    closed_at=[None, stamp],
                )
            elif name == "cancel":
                changes.update(
                    cancel_reason=["", nc.cancel_reason], closed_at=[None, audit.to_jsonable(nc.closed_at)]
                )
            actor = verifier if name == "close" else lead
            ctx.event(
                when,
                actor=actor,
                action=f"nonconformity.{name}",
                obj=nc,
                changes=changes,
                reason=nc.cancel_reason if name == "cancel" else "",
            )
            status = target
    return len(rows)


def register_generators(reg: BenchRegistry) -> None:
    from django.apps import apps

    from qualitas.bench.registry import BenchGenerator

    if apps.is_installed("qualitas.improvement"):
        reg.add(
            BenchGenerator(
                "nonconformities", "Nonconformities (improvement)", generate_nonconformities, order=50
            )
        )
    from qualitas.bench import generators

    # After actions (90): KPI alerts are actions numbered on from theirs; documents name processes;
    # evidence links point at records of every area.
    if apps.is_installed("qualitas.planning"):
        reg.add(
            BenchGenerator(
                "risks",
                "Processes, risks, objectives, KPIs and measurements (planning)",
                generators.generate_planning,
                order=92,
            )
        )
    if apps.is_installed("qualitas.documents"):
        reg.add(
            BenchGenerator(
                "documents", "Documents, revisions and signatures", generators.generate_documents, order=94
            )
        )
    if apps.is_installed("qualitas.standards"):
        reg.add(
            BenchGenerator(
                "requirements", "Requirements and evidence links", generators.generate_requirements, order=96
            )
        )
