"""Release (8.6): an authorised person signs with their password; refused while nonconforming readings
have no disposition."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.world import PASSWORD
from qualitas.production import services
from qualitas.production.choices import LotStatus
from qualitas.production.models import Signal
from qualitas.production.tests.factories import make_characteristic, make_lot


class ReleaseTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.ch = make_characteristic(self.org_a, self.manager)
            self.lot = make_lot(self.org_a, self.manager, product=self.ch.product)

    def inspect(self, values):  # type: ignore[no-untyped-def]
        rows = [{"characteristic": self.ch, "lot": self.lot, "value": v} for v in values]
        return services.import_readings(organization=self.org_a, actor=self.member, rows=rows)

    def test_quality_manager_releases_with_password_and_the_signature_binds_the_readings(self) -> None:
        self.inspect([10.0] * 5)
        release = services.release_lot(self.lot, actor=self.manager, password=PASSWORD)
        self.lot.refresh_from_db()
        self.assertEqual(self.lot.status, LotStatus.RELEASED)
        self.assertEqual(release.signer_name, self.manager.display_name)
        self.assertEqual(release.meaning, "released")
        self.assertEqual(release.readings_count, 5)
        self.assertEqual(release.readings_hash, services.readings_digest(self.lot)[1])
        self.assertEqual(self.last_event().action, "lot.release")

    def test_a_wrong_password_is_refused(self) -> None:
        self.inspect([10.0] * 5)
        with self.assertRaises(ValidationError) as caught:
            services.release_lot(self.lot, actor=self.manager, password="wrong")
        self.assertIn("password", caught.exception.message_dict)

    def test_an_operator_may_not_release_unless_the_product_allows_the_role(self) -> None:
        self.inspect([10.0] * 5)
        with self.assertRaises(NotAllowed):
            services.release_lot(self.lot, actor=self.owner, password=PASSWORD)
        services.update_product(
            self.ch.product, actor=self.manager, data={"release_roles": ["process_owner"]}
        )
        self.lot.product.refresh_from_db()
        services.release_lot(self.lot, actor=self.owner, password=PASSWORD)

    def test_a_lot_without_inspection_cannot_be_released(self) -> None:
        with self.assertRaisesMessage(ValidationError, "no inspection record"):
            services.release_lot(self.lot, actor=self.manager, password=PASSWORD)

    def test_out_of_spec_without_disposition_blocks_release_until_the_lot_gets_one(self) -> None:
        self.inspect([10.0, 10.3, 10.0, 10.0, 10.0])
        with self.assertRaisesMessage(ValidationError, "without a disposition"):
            services.release_lot(self.lot, actor=self.manager, password=PASSWORD)
        services.record_disposition(
            self.lot, actor=self.manager, decision="sort", note="100 % sorted; 1 scrapped"
        )
        services.release_lot(self.lot, actor=self.manager, password=PASSWORD)

    def test_a_disposition_on_the_linked_nonconformity_also_unblocks_release(self) -> None:
        from qualitas.improvement.models import Nonconformity

        self.inspect([10.0, 10.3, 10.0, 10.0, 10.0])
        nc = Nonconformity.objects.get(pk=Signal.objects.get(lot=self.lot).nonconformity_id)
        self.assertTrue(services.release_problems(self.lot))
        from qualitas.improvement import services as improvement

        improvement.set_disposition(nc, actor=self.manager, disposition="scrap")
        self.assertEqual(services.release_problems(self.lot), [])

    def test_later_out_of_spec_readings_need_a_new_disposition(self) -> None:
        self.inspect([10.3] * 5)
        services.record_disposition(self.lot, actor=self.manager, decision="rework", note="Reground")
        self.inspect([10.3] * 5)
        self.assertTrue(services.release_problems(self.lot))

    def test_release_page_and_api(self) -> None:
        self.inspect([10.0] * 5)
        self.login(self.manager)
        response = self.client.post(
            reverse("production:lot_release", args=[self.lot.pk]), {"password": "nope"}
        )
        # Refused: the release form again with the reason (a form error keeps the input, 400).
        self.assertContains(response, "password is not correct", status_code=400)
        self.lot.refresh_from_db()
        self.assertEqual(self.lot.status, LotStatus.IN_PROCESS)
        api = self.api_client(self.manager).post(
            reverse("lot-release", args=[self.lot.pk]), {"password": PASSWORD}, format="json"
        )
        self.assertEqual(api.status_code, 201, api.content)
        self.assertEqual(api.json()["signer_name"], self.manager.display_name)


class DispositionAPITests(QualitasTestCase):
    def test_api_disposition_unblocks_release(self) -> None:
        with audit.context("cli"):
            ch = make_characteristic(self.org_a, self.manager)
            lot = make_lot(self.org_a, self.manager, product=ch.product)
        services.import_readings(
            organization=self.org_a,
            actor=self.member,
            rows=[{"characteristic": ch, "lot": lot, "value": 11.0}],
        )
        client = self.api_client(self.manager)
        refused = client.post(reverse("lot-release", args=[lot.pk]), {"password": PASSWORD}, format="json")
        self.assertEqual(refused.status_code, 400)
        ok = client.post(
            reverse("lot-disposition", args=[lot.pk]),
            {"decision": "scrap", "note": "Scrapped 3"},
            format="json",
        )
        self.assertEqual(ok.status_code, 201, ok.content)
        done = client.post(reverse("lot-release", args=[lot.pk]), {"password": PASSWORD}, format="json")
        self.assertEqual(done.status_code, 201, done.content)

    def test_member_may_not_record_a_disposition(self) -> None:
        with audit.context("cli"):
            lot = make_lot(self.org_a, self.manager)
        with self.assertRaises(NotAllowed):
            services.record_disposition(lot, actor=self.member, decision="scrap", note="x")
