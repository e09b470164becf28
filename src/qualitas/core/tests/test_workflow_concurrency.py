"""Every registered workflow, taken concurrently with itself and with an edit of the same record.

A step reads the record, checks its state and saves it. Two people pressing the same button, or one
editing while another takes a step, must neither both succeed nor write back what the other changed:
writes act on the locked, freshly read row (docs/adr/0010-writes-act-on-the-locked-fresh-row.md).

- ``StaleCopyTests`` replays the losing order deterministically (an instance read before someone
  else's write is then used for the next write); it runs on every database.
- ``ThreadedWorkflowTests`` races real threads, each with its own connection, on a database that
  several connections can open: PostgreSQL (row locks), or an SQLite file
  (``QUALITAS_TEST_DATABASE_NAME``; writers queue on the database lock).
"""

from __future__ import annotations

import datetime as dt
import threading
import unittest
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, models
from django.test import TransactionTestCase

from qualitas.accounts import services as accounts
from qualitas.accounts.models import User
from qualitas.core import audit, db_guards
from qualitas.core.exceptions import ConflictError, TransitionError
from qualitas.core.models import AuditEvent
from qualitas.core.registry import WorkflowBinding, registry
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.factories import make

# --- one scenario per registered workflow ----------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """How to bring a record to a state where ``step`` may be taken, and an edit of an unrelated
    field (``field``) through the area's update service."""

    prepare: Callable[[Any, Any], Any]  # (organization, actor) -> record in a source state of ``step``
    step: str
    update: Callable[..., Any]  # update_x(obj, *, actor, data, expected_version=None, reason="")
    field: str
    reason: str = ""


def _assessment(org: Any, actor: Any) -> Any:
    from qualitas.assessment import services
    from qualitas.assessment.models import Assessment

    assessment = make(Assessment, org, actor)
    services.add_assessor(assessment, actor=actor, user=actor)
    return assessment


def _audit(org: Any, actor: Any) -> Any:
    from qualitas.audits.tests.factories import make_audit, make_auditor, make_item

    audit_ = make_audit(org, actor, lead_auditor=make_auditor(org, actor))
    make_item(org, actor, audit=audit_)
    return audit_


def _revision(org: Any, actor: Any) -> Any:
    from qualitas.documents.tests.factories import make_document

    return make_document(org, actor, approvers=[actor]).revisions.get()


def _made(model: type[models.Model]) -> Callable[[Any, Any], Any]:
    """A record built by the area's factory (``<area>/tests/factories.py``), in its first state."""
    return lambda org, actor: make(model, org, actor)


def scenarios() -> dict[type[models.Model], Scenario]:
    from qualitas.actions import services as actions
    from qualitas.actions.models import Action
    from qualitas.assessment import services as assessment
    from qualitas.assessment.models import Assessment
    from qualitas.audits import services as audits
    from qualitas.audits.models import Audit
    from qualitas.documents import services as documents
    from qualitas.documents.models import Revision
    from qualitas.improvement import services as improvement
    from qualitas.improvement.models import ImprovementOpportunity, Nonconformity
    from qualitas.planning import services as planning
    from qualitas.planning.models import QualityPolicy, Risk
    from qualitas.production import services as production
    from qualitas.production.models import Lot
    from qualitas.reviews import services as reviews
    from qualitas.reviews.models import ManagementReview

    return {
        Action: Scenario(_made(Action), "start", actions.update_action, "description"),
        Risk: Scenario(_made(Risk), "close", planning.update_risk, "description", reason="Supplier replaced"),
        QualityPolicy: Scenario(_made(QualityPolicy), "approve", planning.update_policy, "text"),
        Assessment: Scenario(_assessment, "start_rating", assessment.update_assessment, "scope"),
        ManagementReview: Scenario(_made(ManagementReview), "start", reviews.update_review, "agenda"),
        Audit: Scenario(_audit, "prepare", audits.update_audit, "scope"),
        Lot: Scenario(_made(Lot), "hold", production.update_lot, "note", reason="Gauge under repair"),
        Nonconformity: Scenario(
            _made(Nonconformity), "contain", improvement.update_nonconformity, "description"
        ),
        ImprovementOpportunity: Scenario(
            _made(ImprovementOpportunity), "accept", improvement.update_opportunity, "description"
        ),
        Revision: Scenario(_revision, "submit", documents.update_revision, "change_reason"),
    }


def _fresh(obj: Any) -> Any:
    return type(obj)._base_manager.get(pk=obj.pk)


def _events(obj: Any, verb: str) -> list[AuditEvent]:
    """The record's events ``<model>.<verb>`` (a step's name, or ``update`` for an edit)."""
    return list(
        AuditEvent.objects.filter(
            organization_id=obj.organization_id,
            object_type=audit.object_type_of(obj),
            object_id=str(obj.pk),
            action=f"{obj._meta.model_name}.{verb}",
        )
    )


class ScenarioTableTests(QualitasTestCase):
    def test_every_registered_workflow_has_a_concurrency_scenario(self) -> None:
        registered = {binding.model for binding in registry.workflows}
        self.assertTrue(registered, "no workflow is registered")
        self.assertEqual(registered, set(scenarios()), "add a Scenario for each registered workflow")


# --- the losing order, replayed deterministically ----------------------------------------------------


class StaleCopyTests(QualitasTestCase):
    """An instance read before someone else's write is then used for the next write."""

    def test_a_step_on_a_copy_read_before_an_edit_keeps_the_edit(self) -> None:
        for binding in registry.workflows:
            scenario = scenarios()[binding.model]
            with self.subTest(model=binding.model.__name__):
                obj = scenario.prepare(self.org_a, self.admin)
                stale = _fresh(obj)
                value = f"Edited while {scenario.step} was pressed"
                scenario.update(_fresh(obj), actor=self.admin, data={scenario.field: value})
                binding.service(stale, scenario.step, actor=self.admin, reason=scenario.reason)
                now = _fresh(obj)
                self.assertEqual(getattr(now, scenario.field), value, "the step wrote back the old value")
                target = binding.workflow.get(scenario.step).target
                self.assertEqual(getattr(now, binding.workflow.field), target)
                (event,) = _events(obj, scenario.step)
                self.assertNotIn(scenario.field, event.changes, "the step's event shows it changing the edit")
                self.assertEqual(event.changes[binding.workflow.field][1], target)

    def test_an_edit_on_a_copy_read_before_a_step_keeps_the_step(self) -> None:
        for binding in registry.workflows:
            scenario = scenarios()[binding.model]
            with self.subTest(model=binding.model.__name__):
                obj = scenario.prepare(self.org_a, self.admin)
                stale = _fresh(obj)
                binding.service(_fresh(obj), scenario.step, actor=self.admin, reason=scenario.reason)
                target = binding.workflow.get(scenario.step).target
                value = "Edited after the step"
                try:
                    scenario.update(stale, actor=self.admin, data={scenario.field: value})
                except ValidationError:
                    edited = False  # the new state takes no edits (a submitted revision, a policy)
                else:
                    edited = True
                now = _fresh(obj)
                self.assertEqual(getattr(now, binding.workflow.field), target, "the edit undid the step")
                if edited:
                    self.assertEqual(getattr(now, scenario.field), value)
                    (event,) = _events(obj, "update")
                    self.assertNotIn(binding.workflow.field, event.changes)

    def test_a_step_from_a_stale_copy_is_refused_once_someone_else_took_it(self) -> None:
        for binding in registry.workflows:
            scenario = scenarios()[binding.model]
            with self.subTest(model=binding.model.__name__):
                obj = scenario.prepare(self.org_a, self.admin)
                stale = _fresh(obj)
                binding.service(_fresh(obj), scenario.step, actor=self.admin, reason=scenario.reason)
                with self.assertRaises(TransitionError):
                    binding.service(stale, scenario.step, actor=self.admin, reason=scenario.reason)
                self.assertEqual(len(_events(obj, scenario.step)), 1)

    def test_a_step_with_the_version_read_before_an_edit_is_a_conflict(self) -> None:
        for binding in registry.workflows:
            scenario = scenarios()[binding.model]
            with self.subTest(model=binding.model.__name__):
                obj = scenario.prepare(self.org_a, self.admin)
                read = _fresh(obj)
                scenario.update(_fresh(obj), actor=self.admin, data={scenario.field: "Someone else's edit"})
                with self.assertRaises(ConflictError):
                    binding.service(
                        read,
                        scenario.step,
                        actor=self.admin,
                        reason=scenario.reason,
                        expected_version=read.version,
                    )
                self.assertEqual(_events(obj, scenario.step), [])
                current = _fresh(obj)
                binding.service(
                    current,
                    scenario.step,
                    actor=self.admin,
                    reason=scenario.reason,
                    expected_version=current.version,
                )
                self.assertEqual(len(_events(obj, scenario.step)), 1)


# --- real threads --------------------------------------------------------------------------------


def _shared_database() -> bool:
    """Whether threads can open their own connections to the test database."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        return True
    name = str(db.get("TEST", {}).get("NAME") or "")
    return bool(name) and name != ":memory:" and "mode=memory" not in name


REFUSALS = (TransitionError, ValidationError, ConflictError)


def race(loaders: list[Callable[[], Callable[[], Any]]]) -> list[BaseException | None]:
    """Run each loader in its own thread (it reads what it needs, as a request would, and returns
    the write), then start all writes at once. The outcome of each: None or the exception."""
    barrier = threading.Barrier(len(loaders), timeout=60)
    outcomes: list[BaseException | None] = [None] * len(loaders)

    def run(i: int, loader: Callable[[], Callable[[], Any]]) -> None:
        try:
            write = loader()
            barrier.wait()
            write()
        except BaseException as exc:  # reported to the test
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, loader)) for i, loader in enumerate(loaders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@unittest.skipUnless(
    _shared_database(),
    "threads need a database several connections can open: PostgreSQL or an SQLite file "
    "(QUALITAS_TEST_DATABASE_NAME); the in-memory test database is not one",
)
class ThreadedWorkflowTests(TransactionTestCase):
    """Real threads, each with its own connection, on committed data."""

    # The database as migrations left it (the standards and maturity-model catalogs) is restored
    # after each test, so that later tests in the same process find it.
    serialized_rollback = True
    PARALLEL = 12
    ROUNDS = 4

    def setUp(self) -> None:
        with audit.context("cli"):
            self.admin = User.objects.create_user("race-admin", password="race-horse-battery-9")
            self.org = accounts.create_organization(name="Race", slug="race", actor=self.admin)
        self.admin._qualitas_memberships = None  # type: ignore[attr-defined]

    def _fixture_teardown(self) -> None:
        # Emptying the tables deletes audit events, which the append-only guards refuse.
        for alias in self._databases_names(include_mirrors=False):
            db_guards.remove(connections[alias])
        try:
            super()._fixture_teardown()
        finally:
            for alias in self._databases_names(include_mirrors=False):
                db_guards.install(connections[alias])
                contents = getattr(connections[alias], "_test_serialized_contents", None)
                if contents:
                    connections[alias].creation.deserialize_db_from_string(contents)

    def _actor(self) -> Any:
        return User.objects.get(pk=self.admin.pk)

    def test_parallel_identical_steps_succeed_once_with_one_event(self) -> None:
        for binding in registry.workflows:
            scenario = scenarios()[binding.model]
            with self.subTest(model=binding.model.__name__):
                obj = scenario.prepare(self.org, self.admin)

                def loader(
                    obj: Any = obj, binding: WorkflowBinding = binding, sc: Scenario = scenario
                ) -> Any:
                    mine, actor = _fresh(obj), self._actor()
                    return lambda: binding.service(mine, sc.step, actor=actor, reason=sc.reason)

                outcomes = race([loader] * self.PARALLEL)
                unexpected = [o for o in outcomes if o is not None and not isinstance(o, TransitionError)]
                self.assertEqual(unexpected, [], "a refusal must be a TransitionError")
                self.assertEqual(outcomes.count(None), 1, f"{outcomes.count(None)} parallel steps succeeded")
                self.assertEqual(len(_events(obj, scenario.step)), 1)
                target = binding.workflow.get(scenario.step).target
                self.assertEqual(getattr(_fresh(obj), binding.workflow.field), target)
        self.assertTrue(audit.verify_chain(self.org).ok)

    def test_an_edit_racing_a_step_is_never_reverted(self) -> None:
        for binding in registry.workflows:
            scenario = scenarios()[binding.model]
            target = binding.workflow.get(scenario.step).target
            for round_ in range(self.ROUNDS):
                with self.subTest(model=binding.model.__name__, round=round_):
                    obj = scenario.prepare(self.org, self.admin)
                    value = f"Edited in round {round_} at {dt.datetime.now().isoformat()}"

                    def edit(obj: Any = obj, sc: Scenario = scenario, value: str = value) -> Any:
                        mine, actor = _fresh(obj), self._actor()
                        return lambda: sc.update(mine, actor=actor, data={sc.field: value})

                    def step(
                        obj: Any = obj, binding: WorkflowBinding = binding, sc: Scenario = scenario
                    ) -> Any:
                        mine, actor = _fresh(obj), self._actor()
                        return lambda: binding.service(mine, sc.step, actor=actor, reason=sc.reason)

                    edited, stepped = race([edit, step])
                    for outcome in (edited, stepped):
                        if outcome is not None and not isinstance(outcome, REFUSALS):
                            raise outcome
                    self.assertIsNone(stepped, "nothing else changed the state: the step must succeed")
                    now = _fresh(obj)
                    self.assertEqual(getattr(now, binding.workflow.field), target, "the edit undid the step")
                    (event,) = _events(obj, scenario.step)
                    self.assertNotIn(
                        scenario.field, event.changes, "the step's event changes the edited field"
                    )
                    if edited is None:
                        self.assertEqual(getattr(now, scenario.field), value, "the step reverted the edit")
                        (edit_event,) = _events(obj, "update")
                        self.assertNotIn(binding.workflow.field, edit_event.changes)
        self.assertTrue(audit.verify_chain(self.org).ok)
