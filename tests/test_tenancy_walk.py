"""Walk every routed page and API endpoint that takes a record id: for a record of organization B,
every role of organization A gets 404 — the same answer as for a record that does not exist."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.test import SimpleTestCase
from django.urls import URLPattern, URLResolver, get_resolver

from qualitas.accounts.choices import Role
from qualitas.core import audit
from qualitas.core.models import Attachment, Comment
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.factories import load_all

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found.append((prefix + str(p.pattern), p))
    return found


def model_of(pattern: URLPattern) -> Any:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return getattr(view_class, "model", None)


def fill(route: str, values: dict[str, Any]) -> str:
    def repl(match: re.Match[str]) -> str:
        name = match.group(2)
        return str(values.get(name, "x"))

    path = re.sub(r"<(?:(\w+):)?(\w+)>", repl, route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values.get(m.group(1), "complete")), path)
    return "/" + path.lstrip("^").rstrip("$").replace("\\.", ".").replace("\\", "")


def record_routes() -> list[tuple[str, Any]]:
    """Every page and endpoint that takes a record id (the admin aside)."""
    return [
        (r, p)
        for r, p in walk(get_resolver().url_patterns)
        if ("<int:pk>" in r or "<pk>" in r or "(?P<pk>" in r or "(?P<seq>" in r)
        and not r.startswith("admin/")
    ]


class TenancyWalk(QualitasTestCase):
    """One test per route; the routes of one area make one class, so the workers share the walk."""

    def check_route(self, route: str, pattern: Any) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from qualitas.core.services import add_attachment

        factories = load_all()
        model = model_of(pattern)
        generic = route.startswith(("records/<int:ct_id>", "attachments/<int:pk>"))
        if model is None and not generic:
            self.fail(f"route {route} has no model on its view; the walker cannot check it")
        with audit.context("cli"):
            if route.startswith("attachments/<int:pk>"):
                target = factories[next(iter(factories))](self.org_b, self.outsider)
                obj = add_attachment(target, actor=self.outsider, upload=SimpleUploadedFile("x.pdf", PDF))
                values = {"pk": obj.pk}
            elif route.startswith("records/<int:ct_id>"):
                target_model = next(iter(factories))
                obj = factories[target_model](self.org_b, self.outsider)
                values = {"pk": obj.pk, "ct_id": ContentType.objects.get_for_model(target_model).pk}
            elif model.__name__ == "AuditEvent":
                obj = self.last_event(self.org_b)
                values = {"seq": obj.seq, "pk": obj.seq}
            elif model in factories:
                obj = factories[model](self.org_b, self.outsider)
                values = {"pk": obj.pk}
            elif model in (Comment, Attachment):
                self.skipTest("comments and attachments are reached through their record")
            else:
                self.fail(f"register a factory for {model.__name__} in <app>/tests/factories.py")
        url = fill(route, values)
        for role in Role.values:
            user = self.user_for(role)
            self.client.force_login(user)
            response = self.client.get(url)
            if response.status_code == 405:
                response = self.client.post(url, {})
            self.assertEqual(response.status_code, 404, f"{role} got {response.status_code} for {url}")
            api = self.api_client(user)
            if url.startswith("/api/"):
                r = api.get(url)
                if r.status_code == 405:
                    r = api.post(url, {}, format="json")
                self.assertEqual(r.status_code, 404, f"{role} API got {r.status_code} for {url}")


def _area_of(route: str, pattern: Any) -> str:
    model = model_of(pattern)
    return model._meta.app_label if model is not None else route.split("/")[0]


def _test_for(route: str, pattern: Any) -> Any:
    def test(self: TenancyWalk) -> None:
        self.check_route(route, pattern)

    test.__doc__ = f"{route}: every role of another organization gets 404"
    return test


def _walk_classes() -> dict[str, type[TenancyWalk]]:
    by_area: dict[str, dict[str, Any]] = {}
    for route, pattern in record_routes():
        name = "test_" + re.sub(r"\W+", "_", route).strip("_")
        methods = by_area.setdefault(_area_of(route, pattern), {})
        while name in methods:
            name += "_"
        methods[name] = _test_for(route, pattern)
    return {
        f"TenancyWalk{area.title()}Tests": type(f"TenancyWalk{area.title()}Tests", (TenancyWalk,), methods)
        for area, methods in sorted(by_area.items())
    }


globals().update(_walk_classes())


class TenancyWalkCoverageTests(SimpleTestCase):
    def test_the_walk_reaches_every_area(self) -> None:
        routes = record_routes()
        self.assertGreaterEqual(len(routes), 8)
        self.assertGreaterEqual(len(_walk_classes()), 8)
