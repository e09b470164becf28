"""A reading outside specification or a broken rule becomes a nonconformity, a task and a hold."""

from qualitas.actions.models import Action
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.production import services
from qualitas.production.choices import LotStatus, SignalKind
from qualitas.production.models import Signal
from qualitas.production.tests.factories import make_characteristic, make_lot, make_product


class SignalTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            product = make_product(self.org_a, self.manager, owner=self.owner)
            self.ch = make_characteristic(self.org_a, self.manager, product=product)
            self.lot = make_lot(self.org_a, self.manager, product=product)

    def record(self, values):  # type: ignore[no-untyped-def]
        rows = [{"characteristic": self.ch, "lot": self.lot, "value": v} for v in values]
        return services.import_readings(organization=self.org_a, actor=self.member, rows=rows)

    def test_out_of_spec_reading_opens_a_nonconformity_tasks_the_owner_and_holds_the_lot(self) -> None:
        from qualitas.improvement.models import Nonconformity

        result = self.record([10.0, 10.0, 10.2, 10.0, 10.0])
        signal = Signal.objects.get(lot=self.lot, kind=SignalKind.OUT_OF_SPEC)
        nc = Nonconformity.objects.get(pk=signal.nonconformity_id)
        self.assertEqual(nc.source, "inspection")
        self.assertEqual(nc.severity, "critical")
        self.assertEqual(nc.lot, self.lot.number)
        self.assertEqual(nc.quantity, 1)
        self.assertTrue(nc.links.filter(object_id=result.records[0].pk).exists())
        action = Action.objects.get(pk=signal.action_id)
        self.assertEqual(action.owner, self.owner)
        self.assertEqual(action.subject, self.lot)
        self.lot.refresh_from_db()
        self.assertEqual(self.lot.status, LotStatus.ON_HOLD)

    def test_in_spec_readings_raise_nothing(self) -> None:
        self.record([10.0, 10.01, 9.99, 10.0, 10.02])
        self.assertFalse(Signal.objects.filter(lot=self.lot).exists())
        self.lot.refresh_from_db()
        self.assertEqual(self.lot.status, LotStatus.IN_PROCESS)

    def test_proposal_mode_gives_the_owner_a_task_but_no_nonconformity(self) -> None:
        services.update_characteristic(self.ch, actor=self.manager, data={"signal_action": "propose"})
        self.record([10.0, 10.3, 10.0, 10.0, 10.0])
        signal = Signal.objects.get(lot=self.lot)
        self.assertIsNone(signal.nonconformity_id)
        self.assertIn("Decide", Action.objects.get(pk=signal.action_id).title)

    def test_a_rule_violation_against_locked_limits_is_a_signal(self) -> None:
        for _ in range(10):
            self.record([9.99, 10.0, 10.01, 10.0, 10.0])
        services.lock_limits(self.ch, actor=self.manager)
        # A subgroup mean far above the centre but still inside the specification: WE1 fires.
        self.record([10.04, 10.04, 10.04, 10.04, 10.04])
        signal = Signal.objects.get(lot=self.lot, kind=SignalKind.RULE)
        self.assertIn("WE1", signal.rules)
        self.assertTrue(signal.nonconformity_reference.startswith("NC-"))
