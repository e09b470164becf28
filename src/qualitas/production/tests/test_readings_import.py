"""The bulk path: one audit event per batch, all-or-nothing with row-level errors, CSV/XLSX and API."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase
from qualitas.production import services
from qualitas.production.models import InspectionRecord, Reading
from qualitas.production.tests.factories import make_characteristic, make_lot


class BulkImportTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.ch = make_characteristic(self.org_a, self.manager, signal_action="none")
            self.lot = make_lot(self.org_a, self.manager, product=self.ch.product)

    def rows(self, values):  # type: ignore[no-untyped-def]
        return [{"characteristic": self.ch, "lot": self.lot, "value": v} for v in values]

    def test_a_batch_writes_every_reading_and_exactly_one_audit_event(self) -> None:
        before = AuditEvent.objects.filter(organization=self.org_a).count()
        result = services.import_readings(
            organization=self.org_a, actor=self.member, rows=self.rows([10.0] * 12)
        )
        self.assertEqual(Reading.objects.filter(record=result.records[0]).count(), 12)
        events = AuditEvent.objects.filter(organization=self.org_a).order_by("seq")[before:]
        self.assertEqual([e.action for e in events], ["inspectionrecord.create"])
        summary = events[0].changes["readings"][1]
        self.assertEqual(summary["count"], 12)
        self.assertEqual(len(summary["values_sha256"]), 64)

    def test_the_bulk_insert_stores_each_reading_as_given(self) -> None:
        # SQLite: multi-row INSERT; PostgreSQL: COPY. Both store the same typed values.
        result = services.import_readings(
            organization=self.org_a, actor=self.member, rows=self.rows([10.0, 10.06, 9.987654321, 9.9])
        )
        stored = list(
            Reading.objects.filter(record=result.records[0])
            .order_by("pk")
            .values_list(
                "organization_id", "created_by_id", "version", "characteristic_id", "value", "out_of_spec"
            )
        )
        common = (self.org_a.pk, self.member.pk, 1, self.ch.pk)
        self.assertEqual(
            stored,
            [
                (*common, 10.0, False),
                (*common, 10.06, True),
                (*common, 9.987654321, False),
                (*common, 9.9, True),
            ],
        )
        self.assertTrue(all(r.created_at and r.created_at == r.updated_at for r in Reading.objects.all()))

    def test_readings_are_grouped_into_subgroups_of_the_characteristic_size(self) -> None:
        services.import_readings(organization=self.org_a, actor=self.member, rows=self.rows([10.0] * 12))
        subgroups = list(Reading.objects.filter(characteristic=self.ch).values_list("subgroup", flat=True))
        self.assertEqual(subgroups, [1] * 5 + [2] * 5 + [3] * 2)
        services.import_readings(organization=self.org_a, actor=self.member, rows=self.rows([10.0] * 5))
        self.assertEqual(Reading.objects.filter(characteristic=self.ch).order_by("-pk").first().subgroup, 4)

    def test_one_bad_row_refuses_the_whole_batch_and_names_the_row(self) -> None:
        rows = [*self.rows([10.0, 10.0]), {"characteristic": self.ch, "lot": self.lot, "value": None}]
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError) as caught:
            services.import_readings(organization=self.org_a, actor=self.member, rows=rows)
        self.assertIn("Row 3", caught.exception.message_dict["rows"][0])
        self.assertFalse(Reading.objects.filter(characteristic=self.ch).exists())

    def test_viewer_cannot_record(self) -> None:
        from qualitas.core.exceptions import NotAllowed

        with self.assertRaises(NotAllowed):
            services.import_readings(organization=self.org_a, actor=self.viewer, rows=self.rows([10.0]))

    def test_import_page_lists_the_declared_columns(self) -> None:
        self.login(self.member)
        response = self.client.get(reverse("production:import"))
        self.assertContains(response, "<code>sample_size</code>")
        self.assertContains(response, "<code>characteristic</code> <strong>required</strong>")

    def test_csv_upload_with_errors_lists_them_and_saves_nothing(self) -> None:
        self.login(self.member)
        csv_text = (
            f"characteristic,lot,value\n{self.ch.name},{self.lot.number},10.01\n{self.ch.name},NOPE,10\n"
            f"{self.ch.name},{self.lot.number},abc\n"
        )
        upload = SimpleUploadedFile("r.csv", csv_text.encode(), content_type="text/csv")
        response = self.client.post(
            reverse("production:import"), {"file": upload, "product": self.ch.product_id}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Row 3: no lot", status_code=400)
        self.assertContains(response, "Row 4: a number could not be read", status_code=400)
        self.assertFalse(Reading.objects.filter(characteristic=self.ch).exists())

    def test_xlsx_upload_imports_all_rows(self) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(["characteristic", "lot", "value"])
        for v in (10.0, 10.01, 9.99):
            ws.append([self.ch.name, self.lot.number, v])
        buf = io.BytesIO()
        wb.save(buf)
        self.login(self.member)
        upload = SimpleUploadedFile("r.xlsx", buf.getvalue())
        response = self.client.post(
            reverse("production:import"), {"file": upload, "product": self.ch.product_id}
        )
        self.assertEqual(response.status_code, 302, getattr(response, "content", b"")[:500])
        self.assertEqual(Reading.objects.filter(characteristic=self.ch).count(), 3)

    def test_measuring_machine_posts_a_batch_through_the_api(self) -> None:
        client = self.api_client(self.member)
        body = {
            "characteristic": self.ch.pk,
            "lot": self.lot.pk,
            "equipment": "CMM-2",
            "readings": [{"value": 10.0 + i / 1000} for i in range(10)],
        }
        response = client.post(reverse("readingbatch-list"), body, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["readings"], 10)
        record = InspectionRecord.objects.get(pk=response.json()["records"][0])
        self.assertEqual(record.source, "api")
        self.assertEqual(self.last_event().source, "api")

    def test_api_batch_for_another_organizations_lot_is_400(self) -> None:
        with audit.context("cli"):
            theirs = make_lot(self.org_b, self.outsider)
        body = {"characteristic": self.ch.pk, "lot": theirs.pk, "readings": [{"value": 1.0}]}
        response = self.api_client(self.member).post(reverse("readingbatch-list"), body, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Reading.objects.filter(characteristic=self.ch).exists())
