import datetime as dt

from django.core.exceptions import ValidationError

from qualitas.accounts.models import Membership, Organization
from qualitas.actions import services
from qualitas.actions.models import Action
from qualitas.bench.generate import generate
from qualitas.bench.registry import Scale
from qualitas.core import audit
from qualitas.core.audit import verify_chain
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase

TINY = Scale("T", people=8, years=2, records=60)
UNTIL = dt.date(2026, 6, 30)


class GeneratorTests(QualitasTestCase):
    def run_tiny(self, name: str, seed: int = 3) -> Organization:
        generate(name, TINY, seed=seed, until=UNTIL, only=["actions"], show_progress=False)
        return Organization.objects.get(name=name)

    def test_tiny_scale_writes_the_expected_counts_and_a_valid_chain(self) -> None:
        org = self.run_tiny("Tiny Works")
        self.assertEqual(Membership.objects.filter(organization=org).count(), TINY.people + 1)
        actions = Action.objects.filter(organization=org)
        self.assertEqual(actions.count(), TINY.records)
        events = AuditEvent.objects.filter(organization=org)
        self.assertEqual(events.filter(action="action.create").count(), TINY.records)
        transitions = sum(a.version - 1 for a in actions)
        self.assertEqual(
            events.filter(action__in=["action.start", "action.complete", "action.cancel"]).count(),
            transitions,
        )
        self.assertEqual(events.count(), 1 + 2 + (TINY.people + 1) + TINY.records + transitions)
        result = verify_chain(org)
        self.assertTrue(result.ok, result.problem)
        self.assertTrue(
            actions.filter(status="done").exists()
            and actions.filter(status__in=["open", "in_progress"]).exists()
        )
        first, last = actions.order_by("created_at").first(), actions.order_by("created_at").last()
        self.assertGreater((last.created_at - first.created_at).days, 300, "history spans years")
        times = list(events.order_by("seq").values_list("created_at", flat=True))
        self.assertEqual(times, sorted(times), "the trail reads in time order")

    def test_services_continue_after_generated_data(self) -> None:
        org = self.run_tiny("Tiny Continues")
        owner = Membership.objects.filter(organization=org, role="admin").get().user
        with audit.context("cli"):
            action = services.create_action(
                organization=org, actor=owner, data={"title": "After", "owner": owner}
            )
        self.assertEqual(Action.objects.filter(organization=org, reference=action.reference).count(), 1)
        self.assertTrue(verify_chain(org).ok)

    def test_same_seed_gives_the_same_records(self) -> None:
        def rows(org: Organization) -> list[tuple]:
            return list(
                Action.objects.filter(organization=org)
                .order_by("reference")
                .values_list("reference", "title", "status", "due_date", "owner__full_name")
            )

        a, b = self.run_tiny("Seed A", seed=5), self.run_tiny("Seed B", seed=5)
        self.assertEqual(rows(a), rows(b))
        self.assertNotEqual(rows(a), rows(self.run_tiny("Seed C", seed=6)))

    def test_an_existing_organization_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            generate("Org A", TINY, only=["actions"], show_progress=False)


class AreaGeneratorTests(QualitasTestCase):
    def test_nonconformities_walk_the_loop_and_keep_the_chain_valid(self) -> None:
        from qualitas.improvement.models import Nonconformity

        generate(
            "NC Works",
            Scale("T", people=8, years=2, records=200),
            seed=2,
            until=UNTIL,
            only=["nonconformities"],
            show_progress=False,
        )
        org = Organization.objects.get(name="NC Works")
        ncs = Nonconformity.objects.filter(organization=org)
        self.assertEqual(ncs.count(), 40)
        self.assertTrue(ncs.filter(status="closed").exists())
        events = AuditEvent.objects.filter(organization=org, object_type="improvement.nonconformity")
        self.assertEqual(events.filter(action="nonconformity.create").count(), 40)
        self.assertEqual(events.count(), sum(nc.version for nc in ncs))
        self.assertTrue(verify_chain(org).ok)
