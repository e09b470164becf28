"""A return address (``next``) is followed only when it is a path on this site."""

from django.test import RequestFactory, SimpleTestCase
from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.core.views import safe_next

HOSTILE = (
    "https://evil.example/login",
    "http://evil.example",
    "//evil.example/path",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/ok\nSet-Cookie: x=1",
    "/tab\tpath",
    "documents/4/",
    " /documents/",
)


class SafeNextTests(SimpleTestCase):
    def request(self, method: str = "get", **data: str):  # type: ignore[no-untyped-def]
        return getattr(RequestFactory(), method)("/somewhere/", data)

    def test_a_path_on_this_site_is_followed(self) -> None:
        for good in ("/", "/documents/4/", "/documents/?q=a&page=2", "/audits/7/#item-3"):
            self.assertEqual(safe_next(self.request(next=good), "/home/"), good)
            self.assertEqual(safe_next(self.request("post", next=good), "/home/"), good)

    def test_anything_else_falls_back_to_the_default(self) -> None:
        for bad in HOSTILE:
            self.assertEqual(safe_next(self.request(next=bad), "/home/"), "/home/", bad)
            self.assertEqual(safe_next(self.request("post", next=bad), "/home/"), "/home/", bad)

    def test_no_next_is_the_default(self) -> None:
        self.assertEqual(safe_next(self.request(), "/record/1/"), "/record/1/")
        self.assertEqual(safe_next(self.request(), ""), "")


class CancelLinkTests(QualitasTestCase):
    def test_the_add_form_cancel_link_never_carries_a_hostile_next(self) -> None:
        self.login(self.manager)
        for bad in ("javascript:alert(1)", "//evil.example/", "https://evil.example/"):
            page = self.client.get(reverse("actions:action_add"), {"next": bad})
            self.assertEqual(page.status_code, 200)
            self.assertNotContains(page, "evil.example")
            self.assertNotContains(page, "javascript:")
        page = self.client.get(reverse("actions:action_add"), {"next": "/actions/?mine=1"})
        self.assertContains(page, 'href="/actions/?mine=1" class="button">Cancel')
