import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed
from qualitas.core.testing import QualitasTestCase
from qualitas.documents import services
from qualitas.documents.tests.factories import make_record, make_record_type


class RecordsRegisterTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.rtype = make_record_type(self.org_a, self.manager, retention_months=24)
            self.old = make_record(
                self.org_a, self.manager, record_type=self.rtype, record_date=dt.date(2020, 1, 31)
            )
            self.young = make_record(
                self.org_a, self.manager, record_type=self.rtype, record_date=dt.date(2099, 1, 1)
            )

    def test_the_disposal_date_is_the_record_date_plus_the_retention(self) -> None:
        self.assertEqual(self.old.disposal_due, dt.date(2022, 1, 31))
        self.assertTrue(self.old.disposal_is_due)
        self.assertFalse(self.young.disposal_is_due)

    def test_disposal_is_recorded_with_who_when_and_how(self) -> None:
        services.dispose_record(
            self.old, actor=self.manager, method="shred", note="Contractor certificate 114"
        )
        self.old.refresh_from_db()
        self.assertEqual(self.old.status, "disposed")
        self.assertEqual(self.old.disposed_by, self.manager)
        self.assertIsNotNone(self.old.disposed_at)
        self.assertEqual(self.last_event().action, "record.dispose")
        with self.assertRaisesMessage(ValidationError, "already disposed"):
            services.dispose_record(self.old, actor=self.manager, method="shred", note="again")

    def test_disposal_needs_a_description_and_early_disposal_a_reason(self) -> None:
        with self.assertRaises(ValidationError):
            services.dispose_record(self.old, actor=self.manager, method="shred", note="")
        with self.assertRaisesMessage(ValidationError, "early disposal needs a reason"):
            services.dispose_record(self.young, actor=self.manager, method="shred", note="Shredded")

    def test_a_record_on_legal_hold_is_never_disposed(self) -> None:
        services.update_retained_record(self.old, actor=self.manager, data={"legal_hold": True})
        with self.assertRaisesMessage(ValidationError, "legal hold"):
            services.dispose_record(self.old, actor=self.manager, method="shred", note="x")

    def test_only_writers_dispose(self) -> None:
        with self.assertRaises(NotAllowed):
            services.dispose_record(self.old, actor=self.owner, method="shred", note="x")

    def test_dispose_from_the_page_and_the_api(self) -> None:
        self.login(self.manager)
        self.client.post(
            reverse("documents:record_dispose", args=[self.old.pk]),
            {"method": "shred", "note": "Witnessed by M. Keller"},
        )
        self.old.refresh_from_db()
        self.assertEqual(self.old.status, "disposed")
        response = self.api_client(self.manager).post(
            reverse("record-dispose", args=[self.young.pk]),
            {"disposal_method": "shred", "note": "x"},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("reason", response.json()["fields"])
