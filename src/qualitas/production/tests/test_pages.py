"""The operator's station, the lot list at a glance, genealogy and analysis."""

from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.production import services
from qualitas.production.models import Reading
from qualitas.production.tests.factories import make_characteristic, make_lot, make_plan


class StationTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.ch = make_characteristic(self.org_a, self.manager)
            self.plan = make_plan(self.org_a, self.manager, characteristic=self.ch)
            self.lot = make_lot(self.org_a, self.manager, product=self.ch.product)

    def test_operator_enters_a_subgroup_and_it_is_saved(self) -> None:
        self.login(self.member)
        url = reverse("production:entry", args=[self.plan.pk])
        page = self.client.get(url)
        self.assertContains(page, 'inputmode="decimal"', count=5)
        data = {"lot": self.lot.pk, **{f"c{self.ch.pk}_{i}": "10.0" + str(i) for i in range(5)}}
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Reading.objects.filter(characteristic=self.ch).count(), 5)

    def test_a_typo_is_a_400_with_the_message_not_a_500(self) -> None:
        self.login(self.member)
        response = self.client.post(
            reverse("production:entry", args=[self.plan.pk]),
            {"lot": self.lot.pk, f"c{self.ch.pk}_0": "10,0x"},
        )
        self.assertContains(response, "is not a number", status_code=400)

    def test_htmx_check_says_out_of_specification(self) -> None:
        self.login(self.member)
        url = reverse("production:characteristic_check", args=[self.ch.pk])
        self.assertContains(self.client.get(url, {"value": "10.2"}), "Out of specification")
        self.assertContains(self.client.get(url, {"value": "10.0"}), "In specification")

    def test_plan_restricted_to_roles_refuses_others(self) -> None:
        services.update_plan(self.plan, actor=self.manager, data={"recorder_roles": ["quality_manager"]})
        self.login(self.member)
        self.assertEqual(self.client.get(reverse("production:entry", args=[self.plan.pk])).status_code, 403)

    def test_lot_list_shows_status_counts_and_failed_inspections(self) -> None:
        services.record_inspection(
            organization=self.org_a,
            actor=self.member,
            lot=self.lot,
            plan=self.plan,
            entries=[{"characteristic": self.ch, "value": 10.5}],
        )
        self.login(self.viewer)
        response = self.client.get(reverse("production:lot_list"))
        self.assertContains(response, "1 failed")
        self.assertContains(response, "On hold")

    def test_genealogy_shows_inputs_and_outputs(self) -> None:
        with audit.context("cli"):
            bar = make_lot(self.org_a, self.manager, product=self.ch.product, number="BAR-1")
            out = make_lot(
                self.org_a, self.manager, product=self.ch.product, number="OUT-1", parents=[self.lot]
            )
        services.update_lot(self.lot, actor=self.manager, data={"parents": [bar]})
        self.login(self.viewer)
        response = self.client.get(reverse("production:lot_genealogy", args=[self.lot.pk]))
        self.assertContains(response, "BAR-1")
        self.assertContains(response, "OUT-1")
        self.assertEqual(out.parents.count(), 1)

    def test_a_lot_cannot_be_made_from_itself(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            services.update_lot(self.lot, actor=self.manager, data={"parents": [self.lot]})

    def test_analysis_page_lists_capability_and_yield(self) -> None:
        services.record_inspection(
            organization=self.org_a,
            actor=self.member,
            lot=self.lot,
            plan=self.plan,
            entries=[{"characteristic": self.ch, "value": v} for v in (10.0, 10.01, 9.99)],
        )
        self.login(self.viewer)
        response = self.client.get(reverse("production:analysis"))
        self.assertContains(response, "Capability summary")
        self.assertContains(response, "First-pass yield")

    def test_record_page_lists_the_readings(self) -> None:
        result = services.record_inspection(
            organization=self.org_a,
            actor=self.member,
            lot=self.lot,
            plan=self.plan,
            entries=[{"characteristic": self.ch, "value": 10.01}],
        )
        self.login(self.viewer)
        self.assertContains(self.client.get(result.records[0].get_absolute_url()), "10.01")
