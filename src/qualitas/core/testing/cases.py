"""Test mixins in the NetBox manner: a model's CRUD pages and endpoints, tenancy, roles, audit
events, optimistic locking and query counts are tested by a few lines of configuration.

    class ActionTests(CrudTestCases.Crud):  # = ViewTestCases.Crud + APITestCases.Crud
        model = Action
        list_query_count = 6          # pinned; must not grow with rows
        api_list_query_count = 3

        def form_data(self):          # a valid create form
            return {"title": "Check torque wrench", "owner": self.owner.pk, "priority": "normal"}

What is derived (override any of it):

- URL names from the model: ``<app_label>:<model_name>_list``, ``_add``, ``_edit``, ``_delete``
  (``url_prefix``); the record's page is ``get_absolute_url()``.
- the API basename: ``<model_name>`` (``<basename>-list``, ``<basename>-detail``).
- ``make(org, actor)``: the model's factory in ``<area>/tests/factories.py`` (``@factory(Model)``).
- ``update_data(obj)``: ``form_data()`` (the version read and a reason are added);
  ``api_data()``: ``form_data()``; ``api_update_data(obj)``: ``api_data()``.
- ``writer = "manager"``, ``reader = "viewer"``: roles that may / may not write;
  ``deleter``: the role that deletes (default: the writer).

``ViewTestCases.Crud`` is List + Detail + Create + Update + Delete; ``APITestCases.Crud`` is List +
Detail + Create + Update (add ``APITestCases.Delete`` where the API deletes). ``CrudTestCases.Crud``
is both; ``CrudTestCases.CrudDelete`` adds the API delete.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.models import AuditEvent
from qualitas.core.testing import factories
from qualitas.core.testing.schema import assert_response_matches_schema
from qualitas.core.testing.world import QualitasTestCase


class _Base(QualitasTestCase):
    model: ClassVar[Any]
    url_prefix: ClassVar[str] = ""  # default "<app_label>:<model_name>"
    writer: ClassVar[str] = "manager"
    reader: ClassVar[str] = "viewer"

    def make(self, org: Any, actor: Any) -> Any:
        """One record in ``org``: by default the model's registered factory."""
        factories.load_all()
        if self.model not in factories.FACTORIES:
            name = self.model.__name__
            raise AssertionError(
                f"register @factory({name}) in the area's tests/factories.py or configure make()"
            )
        return factories.FACTORIES[self.model](org, actor)

    def make_a(self) -> Any:
        with audit.context("cli"):
            return self.make(self.org_a, self.manager)

    def make_b(self) -> Any:
        with audit.context("cli"):
            return self.make(self.org_b, self.outsider)

    def get_url_prefix(self) -> str:
        meta = self.model._meta
        return self.url_prefix or f"{meta.app_label}:{meta.model_name}"

    def url(self, suffix: str, *args: Any) -> str:
        prefix = self.get_url_prefix()
        name = f"{prefix}_{suffix}" if suffix else prefix
        return reverse(name, args=args)

    def form_data(self) -> dict[str, Any]:
        raise AssertionError("configure form_data()")

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
            """A valid edit form for ``obj`` (the version and a reason are added by the tests)."""
            return self.form_data()

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

    class Crud(List, Detail, Create, Update, Delete):
        """List, detail, create, update and delete pages."""


class APITestCases:
    class Base(_Base):
        api_basename: ClassVar[str] = ""  # default "<model_name>" -> "<model_name>-list", "-detail"

        def api_url(self, obj: Any = None) -> str:
            basename = self.api_basename or self.model._meta.model_name
            if obj is None:
                return reverse(f"{basename}-list")
            return reverse(f"{basename}-detail", args=[obj.pk])

        def api_data(self) -> dict[str, Any]:
            """A valid create body: by default the create form's data."""
            return self.form_data()

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
            """A valid PATCH body for ``obj``: by default the create body."""
            return self.api_data()

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

    class Delete(Base):
        deleter: ClassVar[str | None] = None  # role attribute allowed to delete; defaults to the writer

        def test_api_delete_audited_with_reason(self) -> None:
            obj = self.make_a()
            pk = obj.pk
            client = self.api_client(getattr(self, self.deleter or self.writer))
            response = client.delete(self.api_url(obj) + "?reason=Entered%20twice")
            self.assertEqual(response.status_code, 204, response.content)
            self.assertFalse(self.model.objects.filter(pk=pk).exists())
            event = self.last_event()
            self.assertTrue(event.action.endswith(".delete"))
            self.assertEqual((event.reason, event.source), ("Entered twice", "api"))

        def test_api_delete_refused_for_reader_and_404_for_another_organization(self) -> None:
            mine, theirs = self.make_a(), self.make_b()
            self.assertEqual(self.api_client(self.reader_user).delete(self.api_url(mine)).status_code, 403)
            self.assertEqual(self.api_client(self.admin).delete(self.api_url(theirs)).status_code, 404)
            self.assertTrue(self.model.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2)

    class Crud(List, Detail, Create, Update):
        """List, detail, create and update through the API."""


class CrudTestCases:
    """A model's pages and API together: the one base most registers need.

    ``CrudTestCases.Crud`` = ``ViewTestCases.Crud`` + ``APITestCases.Crud``;
    ``CrudTestCases.CrudDelete`` adds ``APITestCases.Delete`` (the API deletes too).
    """

    class Crud(ViewTestCases.Crud, APITestCases.Crud):
        """Pages: list, detail, create, update, delete; API: list, detail, create, update."""

    class CrudDelete(ViewTestCases.Crud, APITestCases.Crud, APITestCases.Delete):
        """Everything in ``Crud`` and a delete through the API."""
