"""A nonconformity that comes back (same cause category, process and product) within the window."""

import datetime as dt
from typing import Any

from django.utils import timezone

from qualitas.actions.models import Action
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.improvement import services
from qualitas.improvement.models import Nonconformity
from qualitas.improvement.tests.factories import make_category, make_nc
from qualitas.improvement.tests.helpers import make_process


class RecurrenceTests(QualitasTestCase):
    def setUp(self) -> None:
        self.ctx = audit.context("cli")
        self.ctx.__enter__()
        self.process = make_process(self.org_a)
        self.category = make_category(self.org_a, self.manager)
        services.save_settings(
            self.org_a,
            actor=self.manager,
            data={"independent_verification": True, "recurrence_window_days": 90},
        )
        self.closed = self.close_one(days_ago=100)

    def tearDown(self) -> None:
        self.ctx.__exit__(None, None, None)

    def close_one(self, days_ago: int, **data: Any) -> Nonconformity:
        """Run one nonconformity through the whole loop; it closes ``days_ago`` days before today."""
        from qualitas.actions import services as actions

        nc = make_nc(self.org_a, self.manager, process=self.process, product="Bracket B-12", **data)
        step = services.transition_nonconformity
        step(nc, "contain", actor=self.manager)
        step(nc, "analyse", actor=self.manager, note="Sorted")
        services.set_root_cause(
            nc, actor=self.manager, cause_category=self.category, root_cause="Worn insert"
        )
        step(nc, "plan", actor=self.manager)
        action = services.add_nc_action(
            nc, actor=self.manager, data={"title": "Counter", "kind": "corrective", "owner": self.owner}
        )
        step(nc, "implement", actor=self.manager)
        actions.complete_action(action, actor=self.owner, note="Done")
        step(nc, "verify", actor=self.manager)
        step(nc, "close", actor=self.auditor, note="Clean since")
        # Move the closing date into the past: this test is about the window, not about waiting.
        Nonconformity.objects.filter(pk=nc.pk).update(closed_at=timezone.now() - dt.timedelta(days=days_ago))
        nc.refresh_from_db()
        return nc

    def new_one(self, detected_on: dt.date, **data: Any) -> Nonconformity:
        values = {"process": self.process, "product": "Bracket B-12", "detected_on": detected_on, **data}
        nc = make_nc(self.org_a, self.member, **values)
        services.set_root_cause(nc, actor=self.manager, cause_category=self.category)
        nc.refresh_from_db()
        return nc

    def test_same_cause_process_and_product_inside_the_window_is_flagged(self) -> None:
        closed_on = timezone.localtime(self.closed.closed_at).date()
        nc = self.new_one(closed_on + dt.timedelta(days=90))  # exactly on the window's edge
        self.assertEqual(nc.recurrence_of, self.closed)
        self.closed.refresh_from_db()
        self.assertTrue(self.closed.effectiveness_questioned)
        events = [e.action for e in self.events_for(self.closed)]
        self.assertIn("nonconformity.effectiveness_questioned", events)
        self.assertIn("nonconformity.recurrence_flagged", [e.action for e in self.events_for(nc)])
        qm_action = Action.objects.get(
            organization=self.org_a, owner=self.manager, title__startswith="Review"
        )
        self.assertEqual(qm_action.subject, self.closed)

    def test_one_day_outside_the_window_is_not_flagged(self) -> None:
        closed_on = timezone.localtime(self.closed.closed_at).date()
        nc = self.new_one(closed_on + dt.timedelta(days=91))
        self.assertIsNone(nc.recurrence_of)
        self.closed.refresh_from_db()
        self.assertFalse(self.closed.effectiveness_questioned)

    def test_another_product_or_process_is_not_a_recurrence(self) -> None:
        closed_on = timezone.localtime(self.closed.closed_at).date()
        self.assertIsNone(self.new_one(closed_on + dt.timedelta(days=5), product="Shaft S-3").recurrence_of)
        other = make_process(self.org_a, "Grinding")
        self.assertIsNone(self.new_one(closed_on + dt.timedelta(days=5), process=other).recurrence_of)

    def test_another_organization_never_counts(self) -> None:
        theirs_cat = make_category(self.org_b, self.outsider)
        theirs = make_nc(self.org_b, self.outsider, product="Bracket B-12")
        services.set_root_cause(theirs, actor=self.outsider, cause_category=theirs_cat)
        theirs.refresh_from_db()
        self.assertIsNone(theirs.recurrence_of)
