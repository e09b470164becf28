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
            entry.setdefault("page_url", name)
            entry.setdefault("filterset", view_class.filterset_class)
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
            elif actions.get("get") == "retrieve":
                entry.setdefault("api_detail_url", name)
                entry.setdefault("api_lookup", getattr(viewset, "lookup_field", "pk") or "pk")
    return found


def register(reg: BenchRegistry) -> None:
    known = {t.model for t in reg.lists}
    for model, entry in discover().items():
        if model in known or not entry.get("page_url"):
            continue  # registers with a list page (API-only sub-resources are measured through their parents)
        if not any(f.name == "organization" for f in model._meta.fields):
            continue
        filterset = entry.get("filterset")
        has_q = filterset is not None and "q" in getattr(filterset, "base_filters", {})
        reg.add(
            ListTarget(
                model._meta.label_lower.replace(".", "_"),
                str(model._meta.verbose_name_plural).capitalize(),
                model,
                page_url=entry.get("page_url"),
                api_url=entry.get("api_url"),
                detail_url=entry.get("detail_url"),
                api_detail_url=entry.get("api_detail_url"),
                api_lookup=entry.get("api_lookup", "pk"),
                # A word that matches some rows is picked from the data when the run starts.
                search="*" if has_q else "",
            )
        )
    # Every sidebar page that is not a register list: dashboards, maps, analyses, readiness.
    from django.urls import NoReverseMatch, reverse

    from qualitas.core.registry import registry

    list_pages = {t.page_url for t in reg.lists} | {p.url_name for p in reg.pages}
    for entry in registry.navigation:
        if entry.url_name in list_pages:
            continue
        try:
            reverse(entry.url_name)
        except NoReverseMatch:
            continue
        reg.add(
            PageTarget(
                f"page:{entry.url_name}", f"{entry.section}: {entry.label}", entry.url_name, kind="dashboard"
            )
        )
