"""Reminders before audits are created once; priority follows process risk and past results."""

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from qualitas.audits import queries
from qualitas.audits.logic import PriorityInputs, priority
from qualitas.audits.tests.factories import make_audit, make_auditor, make_programme
from qualitas.core import audit as trail
from qualitas.core.testing import QualitasTestCase


class ReminderTests(QualitasTestCase):
    def test_reminders_are_created_once_for_audits_within_the_window(self) -> None:
        from qualitas.actions.models import Action

        today = timezone.localdate()
        with trail.context("cli"):
            lead = make_auditor(self.org_a, self.manager, user=self.auditor)
            soon = make_audit(
                self.org_a, self.manager, planned_start=today + dt.timedelta(days=5), lead_auditor=lead
            )
            make_audit(self.org_a, self.manager, planned_start=today + dt.timedelta(days=60))
        out = StringIO()
        call_command("audit_reminders", "--days", "14", "--organization", "org-a", stdout=out)
        call_command("audit_reminders", "--days", "14", "--organization", "org-a", stdout=out)
        reminders = Action.objects.filter(organization=self.org_a, title__startswith="Prepare")
        self.assertEqual(reminders.count(), 1)
        self.assertEqual(reminders.get().owner, self.auditor)
        self.assertEqual(reminders.get().subject, soon)
        self.assertIn("0 reminder(s) created", out.getvalue())


class PriorityTests(QualitasTestCase):
    def test_priority_rule_weighs_risk_nonconformities_and_history(self) -> None:
        self.assertEqual(priority(PriorityInputs())[0], "low")
        self.assertEqual(priority(PriorityInputs(never_audited=True, risk_points=1))[0], "medium")
        self.assertEqual(priority(PriorityInputs(risk_points=4, open_nonconformities=2))[0], "high")

    def test_audit_of_a_risky_process_gets_a_high_priority(self) -> None:
        from qualitas.planning.services import create_process, create_risk

        with trail.context("cli"):
            process = create_process(
                organization=self.org_a, actor=self.manager, data={"code": "P09", "name": "Heat treatment"}
            )
            for title in ("Hardness out of range", "Furnace failure"):
                create_risk(
                    organization=self.org_a,
                    actor=self.manager,
                    data={
                        "title": title,
                        "process": process,
                        "likelihood": 4,
                        "impact": 4,
                        "owner": self.owner,
                    },
                )
            audit = make_audit(self.org_a, self.manager, processes=[process])
        self.assertGreater(sum(queries.risk_points(self.org_a, [process.pk]).values()), 0)
        self.assertIn(audit.priority, ("high", "medium"))
        self.assertIn("risk points", audit.priority_reason)

    def test_hours_per_auditor_add_up_lead_and_team_work(self) -> None:
        from decimal import Decimal

        with trail.context("cli"):
            a1 = make_auditor(self.org_a, self.manager)
            a2 = make_auditor(self.org_a, self.manager)
            programme = make_programme(self.org_a, self.manager)
            make_audit(
                self.org_a,
                self.manager,
                programme=programme,
                lead_auditor=a1,
                team=[a2],
                planned_hours=Decimal("6"),
            )
            make_audit(
                self.org_a,
                self.manager,
                programme=programme,
                lead_auditor=a2,
                team=[a1, a2],
                planned_hours=Decimal("3.5"),
            )
        hours = queries.hours_per_auditor(self.org_a, programme=programme)
        self.assertEqual(hours[a1.pk], Decimal("9.5"))
        self.assertEqual(hours[a2.pk], Decimal("9.5"))
