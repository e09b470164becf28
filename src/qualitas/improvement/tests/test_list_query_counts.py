"""The nonconformity register runs the same number of queries for few and many rows, searched or
not, with owners, processes and recurrences shown (no per-row query for a deferred column)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.improvement.tests.factories import make_nc
from qualitas.planning.tests.factories import make_process


class NonconformityListQueryCountTests(QualitasTestCase):
    def queries_for(self, url: str) -> tuple[int, Any]:
        self.client.get(url)  # warm caches (content types, session)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(captured), response

    def make(self, n: int, start: int) -> None:
        process = make_process(self.org_a, self.manager)
        for i in range(start, start + n):
            make_nc(
                self.org_a,
                self.manager,
                title=f"Certificate missing for lot {i}",
                product="Shaft S-120",
                lot=f"L-{i}",
                owner=self.owner if i % 2 else None,
                process=process if i % 3 else None,
            )

    def test_list_search_and_sort_keep_their_query_count(self) -> None:
        self.login(self.viewer)
        base = reverse("improvement:nonconformity_list")
        urls = [
            base,
            base + "?q=certificate",
            base + "?q=certificate&severity=major",
            base + "?sort=-reference",
        ]
        self.make(2, 0)
        few = [self.queries_for(url)[0] for url in urls]

        self.make(10, 2)
        many = []
        for url in urls:
            count, response = self.queries_for(url)
            many.append(count)
            self.assertContains(response, "Certificate missing for lot 11")
            self.assertContains(response, "Shaft S-120</span>".replace("</span>", " / L-11</span>"))
        self.assertEqual(many, few)
        self.assertContains(response, self.owner.display_name)
