"""The document pages and the list API run the same number of queries for few rows and for more."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.world import PASSWORD
from qualitas.documents import queries, services
from qualitas.documents.tests.factories import make_document, make_effective_document
from qualitas.planning.tests.factories import make_process


class DocumentQueryCountTests(QualitasTestCase):
    def queries_for(self, client: Any, url: str) -> tuple[int, Any]:
        client.get(url)  # warm caches (content types, session, the register's counts)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(captured), response

    def in_review(self, n: int, start: int) -> None:
        """``n`` documents in review with the member as reviewer and approver, signed by nobody."""
        with audit.context("cli"):
            for i in range(start, start + n):
                document = make_document(
                    self.org_a,
                    self.manager,
                    title=f"Setup sheet {i}",
                    reviewers=[self.member],
                    approvers=[self.member, self.manager],
                )
                services.transition_revision(document.revisions.get(), "submit", actor=self.manager)

    def test_to_read_page_runs_the_same_queries_for_one_and_many_documents_to_sign(self) -> None:
        self.login(self.member)
        url = reverse("documents:to_read")
        self.in_review(1, 0)
        with audit.context("cli"):
            make_effective_document(self.org_a, self.manager, ack_roles=["member"], title="Deburring")
        few, response = self.queries_for(self.client, url)
        self.assertContains(response, "Setup sheet 0")
        self.assertContains(response, "Deburring")

        self.in_review(6, 1)
        with audit.context("cli"):
            make_effective_document(self.org_a, self.manager, ack_roles=["member"], title="Packing rules")
        many, response = self.queries_for(self.client, url)
        self.assertEqual(many, few)
        self.assertEqual(len(response.context["signing"]), 7)
        self.assertContains(response, "Setup sheet 6")
        self.assertContains(response, "Packing rules")

    def test_a_signature_of_this_round_takes_the_revision_off_the_list_for_that_meaning_only(self) -> None:
        self.in_review(2, 0)
        signing = queries.awaiting_my_signature(self.org_a, self.member)
        self.assertEqual(len(signing), 2)
        first = signing[0]
        with audit.context("cli"):
            services.sign_revision(first, actor=self.member, password=PASSWORD, meaning="reviewed")
        # Still an approver who has not approved.
        self.assertIn(first, queries.awaiting_my_signature(self.org_a, self.member))
        with audit.context("cli"):
            services.sign_revision(first, actor=self.member, password=PASSWORD, meaning="approved")
        self.assertNotIn(first, queries.awaiting_my_signature(self.org_a, self.member))
        self.assertEqual(len(queries.awaiting_my_signature(self.org_a, self.member)), 1)
        self.assertEqual(queries.awaiting_my_signature(self.org_a, self.viewer), [])

    def make_documents(self, n: int, start: int) -> None:
        process = make_process(self.org_a, self.manager)
        with audit.context("cli"):
            for i in range(start, start + n):
                make_document(
                    self.org_a,
                    self.manager,
                    title=f"Work instruction {i}",
                    process=process if i % 2 else None,
                    reviewers=[self.member],
                    approvers=[self.manager, self.member],
                )

    def test_master_list_page_and_api_run_the_same_queries_for_few_and_many_documents(self) -> None:
        self.login(self.viewer)
        api = self.api_client(self.viewer)
        page_url, api_url = reverse("documents:document_list"), reverse("document-list")
        self.make_documents(2, 0)
        page_few, _ = self.queries_for(self.client, page_url)
        search_few, _ = self.queries_for(self.client, page_url + "?q=instruction&status=draft")
        api_few, _ = self.queries_for(api, api_url)

        self.make_documents(12, 2)
        page_many, page = self.queries_for(self.client, page_url)
        search_many, _ = self.queries_for(self.client, page_url + "?q=instruction&status=draft")
        api_many, api_response = self.queries_for(api, api_url)
        self.assertEqual((page_many, search_many, api_many), (page_few, search_few, api_few))

        self.assertContains(page, "Work instruction 13")
        self.assertContains(page, "0 effective of 14 documents")
        self.assertContains(page, "Draft (never effective)")
        first = api_response.json()["results"][0]
        self.assertEqual(sorted(first["reviewers"]), [self.member.pk])
        self.assertEqual(sorted(first["approvers"]), sorted([self.manager.pk, self.member.pk]))


class DocumentRegisterSearchTests(QualitasTestCase):
    """The register's ?q= matches code, title and keywords as "contains, any case", through the
    trigram index on SQLite (qualitas.core.search)."""

    def test_search_matches_code_title_and_keywords_through_the_index(self) -> None:
        with audit.context("cli"):
            make_document(self.org_a, self.manager, title="Torque check of fixtures", code="WI-TRQ-1")
            make_document(self.org_a, self.manager, title="Packing rules", tags="carton, TORQUE label")
            make_document(self.org_a, self.manager, title="Deburring", code="WI-DEB-1")
            make_document(self.org_b, self.outsider, title="Torque audit of the other site")
        self.login(self.manager)
        url = reverse("documents:document_list")
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url, {"q": "torque"})
        sql = [q["sql"] for q in captured]  # read before the next request resets the query log
        self.assertContains(response, "Torque check of fixtures")
        self.assertContains(response, "Packing rules")
        self.assertNotContains(response, "Deburring")
        self.assertNotContains(response, "other site")
        response = self.client.get(url, {"q": "trq-"})
        self.assertContains(response, "Torque check of fixtures")
        self.assertNotContains(response, "Packing rules")
        if connection.vendor == "sqlite":
            self.assertTrue(any("documents_document_search MATCH" in q for q in sql))
