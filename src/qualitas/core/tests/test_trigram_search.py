"""Register search through the trigram index gives the rows icontains gives, and stays in sync."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitas.actions import services
from qualitas.actions.models import Action
from qualitas.actions.tests.factories import make_action
from qualitas.core import audit, search
from qualitas.core.services import delete_record
from qualitas.core.testing import QualitasTestCase


def titles(qs) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(qs.values_list("title", flat=True))


class TrigramSearchTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.a = make_action(self.org_a, self.manager, title="Torque wrench recalibration")
            self.b = make_action(self.org_a, self.manager, title="Check TORQUE values on line 3")
            self.c = make_action(self.org_a, self.manager, title="Prüfmittel kalibrieren")
            self.other = make_action(self.org_b, self.outsider, title="Torque (other organization)")

    def org_actions(self):  # type: ignore[no-untyped-def]
        return Action.objects.filter(organization=self.org_a)

    def test_the_index_exists_on_sqlite_and_answers_like_icontains(self) -> None:
        if connection.vendor == "sqlite":
            self.assertTrue(search.sqlite_index_ready(connection, "actions_action"))
        for word in ("torque", "TORQUE", "rque wre", "line 3", "ACT-", "zzz-nothing", 'quote"d'):
            with self.subTest(word=word):
                plain = self.org_actions().filter(title__icontains=word) | self.org_actions().filter(
                    reference__icontains=word
                )
                self.assertEqual(
                    titles(search.contains(self.org_actions(), Action.trigram_search, word)), titles(plain)
                )
        self.assertEqual(
            titles(search.contains(self.org_actions(), Action.trigram_search, "torque")),
            ["Check TORQUE values on line 3", "Torque wrench recalibration"],
        )

    def test_the_index_follows_updates_and_deletes_by_any_writer(self) -> None:
        with audit.context("cli"):
            services.update_action(
                self.a,
                actor=self.manager,
                data={"title": "Gauge block check"},
                expected_version=self.a.version,
            )
        found = titles(search.contains(self.org_actions(), Action.trigram_search, "torque"))
        self.assertEqual(found, ["Check TORQUE values on line 3"])
        self.assertEqual(
            titles(search.contains(self.org_actions(), Action.trigram_search, "gauge block")),
            ["Gauge block check"],
        )
        with audit.context("cli"):
            delete_record(self.b, actor=self.manager, reason="duplicate")
        self.assertEqual(titles(search.contains(self.org_actions(), Action.trigram_search, "torque")), [])

    def test_short_words_and_other_field_sets_fall_back_to_icontains(self) -> None:
        with CaptureQueriesContext(connection) as q:
            list(search.contains(self.org_actions(), Action.trigram_search, "li"))
            list(search.contains(self.org_actions(), ("title",), "torque"))
        self.assertFalse(any("_search" in x["sql"] for x in q.captured_queries))

    def test_the_sqlite_query_uses_the_index(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL answers icontains from pg_trgm indexes")
        with CaptureQueriesContext(connection) as q:
            list(search.contains(self.org_actions(), Action.trigram_search, "torque"))
        self.assertIn("actions_action_search MATCH", q.captured_queries[-1]["sql"])

    def test_the_list_page_and_api_search_through_it(self) -> None:
        self.login(self.viewer)
        page = self.client.get(reverse("actions:action_list"), {"q": "torque"})
        self.assertEqual(
            sorted(a.title for a in page.context["rows"]),
            titles(self.org_actions().filter(title__icontains="torque")),
        )
        body = self.api_client(self.viewer).get(reverse("action-list"), {"q": "torque"}).json()
        self.assertEqual(body["count"], 2)

    def test_a_table_rebuild_gets_its_triggers_back(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only")
        with connection.cursor() as cursor:
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER actions_action_search_{suffix}")
        search._available.clear()
        self.assertFalse(search.sqlite_index_ready(connection, "actions_action"))
        with audit.context("cli"):
            make_action(self.org_a, self.manager, title="Torque added while no trigger watched")
        search.ensure_sqlite_triggers(connection)
        self.assertTrue(search.sqlite_index_ready(connection, "actions_action"))
        self.assertIn(
            "Torque added while no trigger watched",
            titles(search.contains(self.org_actions(), Action.trigram_search, "torque")),
        )
