"""The audit trail page and API: newest first, exact counts and deep pages without an OFFSET walk,
the action filter, tenancy."""

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitas.actions import services as actions
from qualitas.actions.tests.factories import make_action
from qualitas.core import audit
from qualitas.core.api.pagination import BoundedPaginator, GapFreeSeqPaginator, TrailPaginator
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase


class AuditTrailTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with audit.context("cli"):
            cls.actions = [make_action(cls.org_a, cls.manager, title=f"Task {i:02d}") for i in range(60)]
            for action in cls.actions[:5]:
                actions.update_action(
                    action, actor=cls.manager, reason="Reworded", data={"title": action.title + "!"}
                )
            make_action(cls.org_b, cls.outsider, title="Elsewhere")

    def trail(self) -> list[int]:
        return list(
            AuditEvent.objects.filter(organization=self.org_a).order_by("-seq").values_list("seq", flat=True)
        )

    def test_every_page_of_the_gap_free_paginator_equals_the_offset_pages(self) -> None:
        qs = AuditEvent.objects.filter(organization=self.org_a).order_by("-seq")
        n = len(self.trail())
        self.assertGreater(n, 60)
        gap_free = GapFreeSeqPaginator(qs, 7, last_seq=n)
        offset = BoundedPaginator(qs, 7)
        self.assertEqual(gap_free.count, n)
        self.assertTrue(gap_free.count.exact)
        self.assertEqual(gap_free.num_pages, offset.num_pages)
        for number in gap_free.page_range:
            with self.subTest(page=number):
                self.assertEqual([e.seq for e in gap_free.page(number)], [e.seq for e in offset.page(number)])

    def test_page_lists_newest_first_and_deep_pages_cost_the_same_queries(self) -> None:
        self.login(self.auditor)
        url = reverse("core:audit_trail")
        trail = self.trail()
        first = self.client.get(url)
        self.assertEqual([e.seq for e in first.context["page"]], trail[:50])
        self.assertEqual(first.context["page"].paginator.count, len(trail))
        with CaptureQueriesContext(connection) as shallow:
            self.client.get(url)
        with CaptureQueriesContext(connection) as deep:
            second = self.client.get(url, {"page": 2})
        self.assertEqual([e.seq for e in second.context["page"]], trail[50:100])
        self.assertEqual(len(deep), len(shallow))
        sql = " ".join(q["sql"].upper() for q in deep.captured_queries)
        self.assertNotIn("OFFSET", sql, "a deep page is a range read, not an OFFSET walk")
        self.assertNotIn("COUNT(", sql, "the count is the chain head's sequence number")

    def test_api_pages_and_counts_the_whole_trail_exactly(self) -> None:
        client = self.api_client(self.auditor)
        trail = self.trail()
        body = client.get(reverse("auditevent-list"), {"page_size": 20, "page": 3}).json()
        # The token created for the client is itself an event of the trail.
        trail = self.trail()
        self.assertEqual(body["count"], len(trail))
        self.assertTrue(body["count_exact"])
        self.assertEqual([e["seq"] for e in body["results"]], trail[40:60])

    def test_action_filter_exact_name_and_prefix(self) -> None:
        self.login(self.auditor)
        url = reverse("core:audit_trail")
        create = "action.create"
        expected = list(
            AuditEvent.objects.filter(organization=self.org_a, action=create)
            .order_by("-seq")
            .values_list("seq", flat=True)
        )
        self.assertEqual(len(expected), 60)
        page = self.client.get(url, {"action": create}).context["page"]
        self.assertEqual([e.seq for e in page], expected[:50])
        self.assertEqual(page.paginator.count, 60)
        # A prefix of several names keeps prefix semantics.
        prefix = self.client.get(url, {"action": "action."}).context["page"]
        self.assertEqual({e.action for e in prefix}, {"action.create", "action.update"})
        self.assertEqual(
            prefix.paginator.count,
            AuditEvent.objects.filter(organization=self.org_a, action__startswith="action.").count(),
        )
        # Nothing matches: an empty page, not an error.
        self.assertEqual(self.client.get(url, {"action": "zzz"}).context["page"].paginator.count, 0)
        # The API filter answers the same.
        body = self.api_client(self.auditor).get(reverse("auditevent-list"), {"action": create}).json()
        self.assertEqual(body["count"], 60)
        self.assertEqual({e["action"] for e in body["results"]}, {create})

    def test_a_prefix_of_one_action_name_reads_as_that_name(self) -> None:
        from django.db.models import Q

        self.assertEqual(audit.single_action(self.org_a.pk, "action.creat"), "action.create")
        self.assertIsNone(audit.single_action(self.org_a.pk, "action."))
        self.assertEqual(
            audit.trail_filters(self.org_a.pk, action="action.creat"), (Q(action="action.create"), Q())
        )
        walk, index = audit.trail_filters(self.org_a.pk, action="action.", object_type="actions.action")
        self.assertEqual(walk, Q(action__startswith="action.") & Q(object_type__iexact="actions.action"))
        self.assertEqual(
            index, Q(action__gte="action.", action__lt="action.\U0010ffff") & Q(object_type="actions.action")
        )

    def test_dense_and_sparse_filters_read_the_same_rows(self) -> None:
        """A filter with more matches than the count bound reads rows by the walk, one with fewer
        through the indexes: both give the newest matches first."""
        self.login(self.auditor)
        url = reverse("core:audit_trail")
        expected = list(
            AuditEvent.objects.filter(organization=self.org_a, object_type="actions.action")
            .order_by("-seq")
            .values_list("seq", flat=True)
        )
        self.assertEqual(len(expected), 65)
        sparse = self.client.get(url, {"object_type": "actions.action", "page": 2}).context["page"]
        with mock.patch.object(TrailPaginator, "count_bound", 10):
            dense = self.client.get(url, {"object_type": "actions.action", "page": 2}).context["page"]
        self.assertTrue(sparse.paginator.count.exact)
        self.assertFalse(dense.paginator.count.exact)
        self.assertEqual([e.seq for e in sparse], expected[50:100])
        self.assertEqual([e.seq for e in dense], expected[50:100])
        body = (
            self.api_client(self.auditor)
            .get(
                reverse("auditevent-list"),
                {"object_type": "actions.action", "action": "action.", "page_size": 7},
            )
            .json()
        )
        self.assertEqual(body["count"], len(expected))
        self.assertEqual([e["seq"] for e in body["results"]], expected[:7])

    def test_other_organizations_events_never_show(self) -> None:
        self.login(self.auditor)
        page = self.client.get(reverse("core:audit_trail"), {"action": "action.create"}).context["page"]
        self.assertTrue(all(e.organization_id == self.org_a.pk for e in page))
        body = self.api_client(self.auditor).get(reverse("auditevent-list"), {"page_size": 500}).json()
        self.assertEqual({e["seq"] for e in body["results"]} - set(self.trail()), set())

    def test_member_role_has_no_audit_trail_page(self) -> None:
        self.login(self.member)
        self.assertEqual(self.client.get(reverse("core:audit_trail")).status_code, 404)
