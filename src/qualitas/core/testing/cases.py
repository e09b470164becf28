"""Test mixins in the NetBox manner: a module's CRUD pages and endpoints, tenancy, roles, audit
events and query counts are tested by a few lines of configuration.

    class ActionViewTests(ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create,
                          ViewTestCases.Update, ViewTestCases.Delete):
        model = Action
        url_prefix = "actions:action"             # -> actions:action_list, actions:action, ...
        list_query_count = 9                      # pinned; must not grow with rows
        def make(self, org, actor): ...           # one record through services
        def form_data(self): ...                  # a valid create form
        def update_data(self, obj): ...           # a valid edit form (version is added)
        writer = "manager"; reader = "viewer"     # roles that may / may not write
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.models import AuditEvent
from qualitas.core.testing.schema import assert_response_matches_schema
from qualitas.core.testing.world import QualitasTestCase


class _Base(QualitasTestCase):
    model: ClassVar[Any]
    url_prefix: ClassVar[str]
    writer: ClassVar[str] = "manager"
    reader: ClassVar[str] = "viewer"

    def make(self, org: Any, actor: Any) -> Any:
        raise AssertionError("configure make(org, actor) on the test case")

    def make_a(self) -> Any:
        with audit.context("cli"):
            return self.make(self.org_a, self.manager)

    def make_b(self) -> Any:
        with audit.context("cli"):
            return self.make(self.org_b, self.outsider)

    def url(self, suffix: str, *args: Any) -> str:
        name = f"{self.url_prefix}_{suffix}" if suffix else self.url_prefix
        return reverse(name, args=args)

    @property
    def writer_user(self) -> Any:
        return getattr(self, self.writer)

    @property
    def reader_user(self) -> Any:
        return getattr(self, self.reader)


class ViewTestCases:
    class List(_Base):
        list_query_count: ClassVar[int | None] = None

        def test_list_shows_own_records_and_hides_other_organizations(self) -> None:
            mine, theirs = self.make_a(), self.make_b()
            self.login(self.reader_user)
            response = self.client.get(self.url("list"))
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, mine.get_absolute_url())
            self.assertNotContains(response, theirs.get_absolute_url())

        def test_list_htmx_returns_only_the_table(self) -> None:
            self.make_a()
            self.login(self.reader_user)
            response = self.client.get(self.url("list"), headers={"HX-Request": "true"})
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, "<html")

        def test_list_query_count_does_not_grow_with_rows(self) -> None:
            self.make_a()
            self.login(self.reader_user)
            self.client.get(self.url("list"))  # warm caches (content types, sessions)
            with CaptureQueriesContext(connection) as one:
                self.client.get(self.url("list"))
            for _ in range(5):
                self.make_a()
            with CaptureQueriesContext(connection) as six:
                self.client.get(self.url("list"))
            self.assertEqual(len(one), len(six), "the list's query count grows with rows")
            if self.list_query_count is not None:
                self.assertEqual(
                    len(six),
                    self.list_query_count,
                    f"pinned query count changed: {len(six)} != {self.list_query_count}",
                )

    class Detail(_Base):
        def test_detail_visible_to_every_role_of_the_organization(self) -> None:
            obj = self.make_a()
            for user in (self.viewer, self.member, self.manager):
                self.login(user)
                response = self.client.get(obj.get_absolute_url())
                self.assertEqual(response.status_code, 200, user)
                self.assertContains(response, "History")

        def test_detail_of_another_organization_is_404(self) -> None:
            theirs = self.make_b()
            for user in (self.viewer, self.manager, self.admin):
                self.login(user)
                self.assertEqual(self.client.get(theirs.get_absolute_url()).status_code, 404)

    class Create(_Base):
        def form_data(self) -> dict[str, Any]:
            raise AssertionError("configure form_data()")

        def test_create_by_writer_saves_and_audits(self) -> None:
            self.login(self.writer_user)
            before = self.model.objects.filter(organization=self.org_a).count()
            response = self.client.post(self.url("add"), self.form_data())
            self.assertEqual(
                response.status_code,
                302,
                getattr(response, "context", None)
                and response.context.get("form")
                and response.context["form"].errors,
            )
            self.assertEqual(self.model.objects.filter(organization=self.org_a).count(), before + 1)
            obj = self.model.objects.filter(organization=self.org_a).order_by("-pk").first()
            event = self.last_event()
            self.assertEqual(event.object_id, str(obj.pk))
            self.assertTrue(event.action.endswith(".create"))
            self.assertEqual(event.actor_id, self.writer_user.pk)
            self.assertEqual(event.source, "web")

        def test_create_refused_for_read_only_role(self) -> None:
            self.login(self.reader_user)
            before = AuditEvent.objects.count()
            response = self.client.post(self.url("add"), self.form_data())
            self.assertEqual(response.status_code, 403)
            self.assertEqual(AuditEvent.objects.count(), before)

        def test_invalid_form_is_a_400_with_messages_not_a_500(self) -> None:
            self.login(self.writer_user)
            response = self.client.post(self.url("add"), {})
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, "error", status_code=400)

    class Update(_Base):
        def update_data(self, obj: Any) -> dict[str, Any]:
            raise AssertionError("configure update_data(obj)")

        def test_update_records_before_and_after(self) -> None:
            obj = self.make_a()
            self.login(self.writer_user)
            data = {**self.update_data(obj), "version": obj.version, "reason": "Typo"}
            response = self.client.post(self.url("edit", obj.pk), data)
            self.assertEqual(response.status_code, 302, response.content[:2000])
            event = self.last_event()
            self.assertEqual(event.object_id, str(obj.pk))
            self.assertEqual(event.reason, "Typo")
            self.assertTrue(event.changes, "an update event carries the changed fields")

        def test_stale_version_is_a_conflict_not_a_lost_update(self) -> None:
            obj = self.make_a()
            self.login(self.writer_user)
            data = {**self.update_data(obj), "version": obj.version - 1 if obj.version > 1 else 999}
            response = self.client.post(self.url("edit", obj.pk), data)
            self.assertEqual(response.status_code, 409)
            self.assertContains(response, "changed by someone else", status_code=409)

        def test_update_refused_for_read_only_role_and_404_for_outsider(self) -> None:
            obj = self.make_a()
            self.login(self.reader_user)
            self.assertEqual(
                self.client.post(self.url("edit", obj.pk), self.update_data(obj)).status_code, 403
            )
            self.login(self.outsider)
            self.assertEqual(
                self.client.post(self.url("edit", obj.pk), self.update_data(obj)).status_code, 404
            )

    class Delete(_Base):
        deleter: ClassVar[str | None] = None  # role attribute allowed to delete; defaults to the writer

        def test_delete_audited_with_reason(self) -> None:
            obj = self.make_a()
            pk = obj.pk
            self.login(getattr(self, self.deleter or self.writer))
            response = self.client.post(self.url("delete", pk), {"reason": "Entered twice"})
            self.assertEqual(response.status_code, 302)
            self.assertFalse(self.model.objects.filter(pk=pk).exists())
            event = self.last_event()
            self.assertTrue(event.action.endswith(".delete"))
            self.assertEqual(event.reason, "Entered twice")

        def test_delete_of_another_organization_is_404(self) -> None:
            theirs = self.make_b()
            self.login(self.admin)
            self.assertEqual(
                self.client.post(self.url("delete", theirs.pk), {"reason": "x"}).status_code, 404
            )
            self.assertTrue(self.model.objects.filter(pk=theirs.pk).exists())


class APITestCases:
    class Base(_Base):
        api_basename: ClassVar[str]  # e.g. "action" -> "action-list", "action-detail"

        def api_url(self, obj: Any = None) -> str:
            if obj is None:
                return reverse(f"{self.api_basename}-list")
            return reverse(f"{self.api_basename}-detail", args=[obj.pk])

    class List(Base):
        api_list_query_count: ClassVar[int | None] = None

        def test_api_list_is_scoped_to_the_token_organization(self) -> None:
            mine, theirs = self.make_a(), self.make_b()
            client = self.api_client(self.viewer)
            response = client.get(self.api_url())
            self.assertEqual(response.status_code, 200)
            assert_response_matches_schema(self.api_url(), "get", 200, response.json())
            ids = {row["id"] for row in response.json()["results"]}
            self.assertIn(mine.pk, ids)
            self.assertNotIn(theirs.pk, ids)

        def test_api_list_query_count_does_not_grow_with_rows(self) -> None:
            self.make_a()
            client = self.api_client(self.viewer)
            client.get(self.api_url())
            with CaptureQueriesContext(connection) as one:
                client.get(self.api_url())
            for _ in range(5):
                self.make_a()
            with CaptureQueriesContext(connection) as six:
                client.get(self.api_url())
            self.assertEqual(len(one), len(six), "the API list's query count grows with rows")
            if self.api_list_query_count is not None:
                self.assertEqual(len(six), self.api_list_query_count)

    class Detail(Base):
        def test_api_detail_of_another_organization_is_404(self) -> None:
            theirs = self.make_b()
            for user in (self.viewer, self.manager, self.admin):
                response = self.api_client(user).get(self.api_url(theirs))
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json()["code"], "not_found")

        def test_api_detail_matches_the_schema(self) -> None:
            obj = self.make_a()
            response = self.api_client(self.viewer).get(self.api_url(obj))
            self.assertEqual(response.status_code, 200)
            assert_response_matches_schema(self.api_url(obj), "get", 200, response.json())

        def test_api_history_lists_the_record_events(self) -> None:
            obj = self.make_a()
            response = self.api_client(self.viewer).get(self.api_url(obj) + "history/")
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.json())
            assert_response_matches_schema(self.api_url(obj) + "history/", "get", 200, response.json())

    class Create(Base):
        def api_data(self) -> dict[str, Any]:
            raise AssertionError("configure api_data()")

        def test_api_create_by_writer(self) -> None:
            response = self.api_client(self.writer_user).post(self.api_url(), self.api_data(), format="json")
            self.assertEqual(response.status_code, 201, response.content)
            assert_response_matches_schema(self.api_url(), "post", 201, response.json())
            event = self.last_event()
            self.assertEqual(event.source, "api")
            self.assertEqual(event.object_id, str(response.json()["id"]))

        def test_api_create_refused_for_reader(self) -> None:
            response = self.api_client(self.reader_user).post(self.api_url(), self.api_data(), format="json")
            self.assertEqual(response.status_code, 403)

        def test_api_bad_input_is_400_with_field_errors(self) -> None:
            response = self.api_client(self.writer_user).post(self.api_url(), {}, format="json")
            self.assertEqual(response.status_code, 400)
            body = response.json()
            self.assertEqual(body["code"], "invalid")
            self.assertTrue(body["fields"])

    class Update(Base):
        def api_update_data(self, obj: Any) -> dict[str, Any]:
            raise AssertionError("configure api_update_data(obj)")

        def test_api_patch_with_stale_version_is_409(self) -> None:
            obj = self.make_a()
            client = self.api_client(self.writer_user)
            ok = client.patch(
                self.api_url(obj), {**self.api_update_data(obj), "version": obj.version}, format="json"
            )
            self.assertEqual(ok.status_code, 200, ok.content)
            stale = client.patch(
                self.api_url(obj), {**self.api_update_data(obj), "version": obj.version}, format="json"
            )
            self.assertEqual(stale.status_code, 409)
            self.assertEqual(stale.json()["code"], "conflict")

        def test_api_patch_of_another_organization_is_404(self) -> None:
            theirs = self.make_b()
            response = self.api_client(self.manager).patch(
                self.api_url(theirs), self.api_update_data(theirs), format="json"
            )
            self.assertEqual(response.status_code, 404)
