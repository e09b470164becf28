"""Load the whole demo organization and click through every page a person can reach, as the quality
manager, an operator and the external auditor: no page may answer with a server error."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlparse

from django.test import TestCase

from qualitas.accounts.models import Organization, User
from qualitas.core.audit import verify_chain
from qualitas.core.testing.databases import SharedRows
from qualitas.demo.loader import DEMO_SLUG, load_demo

HREF = re.compile(r'href="([^"#]+)"')
SKIP = ("/accounts/logout/", "/admin/", "/static/", "/media/", "/api/", "/accounts/switch/")
# Files (PDF reports, exports, downloads, evidence packs) are tested by their areas; the crawl is about pages.
FILE_LINK = re.compile(r"(pdf|xlsx|csv|zip|ics|download|export|pack)(/|\?|$)|\.(pdf|xlsx|csv|zip|ics)$")
MAX_PAGES = 250


DEMO = SharedRows("demo")


class DemoTestCase(TestCase):
    """The demo organization, built once per run and shared by every class (and worker) that needs it."""

    org: Organization

    @classmethod
    def setUpTestData(cls) -> None:
        DEMO.load(lambda: load_demo(seed=7))
        cls.org = Organization.objects.get(slug=DEMO_SLUG)


class DemoCrawl(DemoTestCase):
    """One role's crawl (a class each, so the workers share them)."""

    username = ""

    def crawl(self, username: str) -> dict[str, int]:
        self.client.force_login(User.objects.get(username=username))
        seen: dict[str, int] = {}
        queue = deque(["/"])
        while queue and len(seen) < MAX_PAGES:
            url = queue.popleft()
            if url in seen:
                continue
            response = self.client.get(url)
            seen[url] = response.status_code
            self.assertLess(response.status_code, 500, f"{username}: {url} answered {response.status_code}")
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for href in HREF.findall(response.content.decode()):
                href = urldefrag(href)[0].replace("&amp;", "&")
                parsed = urlparse(href)
                if parsed.scheme or parsed.netloc or not href.startswith("/") or href.startswith(SKIP):
                    continue
                if FILE_LINK.search(parsed.path) or "page=" in parsed.query or "sort=" in parsed.query:
                    continue
                if href not in seen:
                    queue.append(href)
        return seen

    def check_every_reachable_page_works(self) -> None:
        pages = self.crawl(self.username)
        self.assertGreater(len(pages), 10, f"{self.username} reached only {len(pages)} pages")


class QualityManagerCrawlTests(DemoCrawl):
    username = "quality"

    def test_every_reachable_page_works(self) -> None:
        self.check_every_reachable_page_works()


class OperatorCrawlTests(DemoCrawl):
    username = "operator"

    def test_every_reachable_page_works(self) -> None:
        self.check_every_reachable_page_works()


class CertifierCrawlTests(DemoCrawl):
    username = "certifier"

    def test_every_reachable_page_works(self) -> None:
        self.check_every_reachable_page_works()


class DemoChainTests(DemoTestCase):
    def test_the_demo_audit_chain_verifies(self) -> None:
        self.assertTrue(verify_chain(self.org).ok)
        self.assertEqual(self.org.slug, DEMO_SLUG)
