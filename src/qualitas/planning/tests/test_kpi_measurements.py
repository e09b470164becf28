import datetime as dt
import io

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualitas.actions.models import Action
from qualitas.core.testing import QualitasTestCase
from qualitas.planning import services
from qualitas.planning.models import Measurement
from qualitas.planning.tests.factories import make_kpi


class MeasurementEntryTests(QualitasTestCase):
    def test_hand_entry_is_stored_for_the_period_start_with_its_status(self) -> None:
        kpi = make_kpi(self.org_a, self.manager, owner=self.owner)
        self.login(self.member)
        response = self.client.post(
            reverse("planning:measurement_add", args=[kpi.pk]), {"period": "2026-03-17", "value": "96.5"}
        )
        self.assertEqual(response.status_code, 302)
        m = Measurement.objects.get(kpi=kpi)
        self.assertEqual((m.period, m.value, m.status), (dt.date(2026, 3, 1), 96.5, "on_target"))
        self.assertEqual(self.last_event().action, "measurement.create")

    def test_a_second_value_for_the_same_period_is_a_form_error(self) -> None:
        kpi = make_kpi(self.org_a, self.manager)
        services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 3, 1), value=95)
        self.login(self.manager)
        response = self.client.post(
            reverse("planning:measurement_add", args=[kpi.pk]), {"period": "2026-03-31", "value": "90"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "already has a value", status_code=400)

    def test_viewer_cannot_record_values(self) -> None:
        kpi = make_kpi(self.org_a, self.manager)
        self.login(self.viewer)
        response = self.client.post(
            reverse("planning:measurement_add", args=[kpi.pk]), {"period": "2026-03-01", "value": "1"}
        )
        self.assertEqual(response.status_code, 403)

    def test_kpi_page_shows_the_trend_with_target_and_bands(self) -> None:
        kpi = make_kpi(self.org_a, self.manager)
        for month, value in [(1, 96), (2, 92), (3, 88)]:
            services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, month, 1), value=value)
        self.login(self.viewer)
        page = self.client.get(kpi.get_absolute_url())
        self.assertContains(page, "<polyline")
        self.assertContains(page, "target 95%")
        self.assertContains(page, "<title>Off target</title>")


class ThresholdAlertTests(QualitasTestCase):
    def test_crossing_a_threshold_alerts_the_owner_in_app_and_by_mail_after_commit(self) -> None:
        self.owner.email = "owner@example.com"
        self.owner.save()
        kpi = make_kpi(self.org_a, self.manager, owner=self.owner)
        services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 1, 1), value=96)
        self.assertFalse(Action.objects.filter(organization=self.org_a).exists())
        with self.captureOnCommitCallbacks(execute=True):
            services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 2, 1), value=89)
        alert = Action.objects.get(organization=self.org_a)
        self.assertEqual(alert.owner, self.owner)
        self.assertEqual(alert.subject, kpi)
        self.assertEqual(alert.priority, "urgent")
        self.assertIn("off target", alert.title)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["owner@example.com"])

    def test_no_mail_when_the_transaction_rolls_back(self) -> None:
        self.owner.email = "owner@example.com"
        self.owner.save()
        kpi = make_kpi(self.org_a, self.manager, owner=self.owner)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 2, 1), value=89)
        self.assertEqual(len(callbacks), 1)  # queued for after commit, not sent inside the transaction
        self.assertEqual(len(mail.outbox), 0)

    def test_staying_in_the_same_zone_or_improving_does_not_alert_again(self) -> None:
        kpi = make_kpi(self.org_a, self.manager)
        services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 1, 1), value=92)  # at risk
        services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 2, 1), value=91.5)
        services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 3, 1), value=97)
        self.assertEqual(Action.objects.filter(organization=self.org_a).count(), 1)

    def test_backfilled_history_does_not_alert(self) -> None:
        kpi = make_kpi(self.org_a, self.manager)
        services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 6, 1), value=97)
        services.record_measurement(kpi, actor=self.manager, period=dt.date(2025, 6, 1), value=50)
        self.assertFalse(Action.objects.filter(organization=self.org_a).exists())

    def test_thresholds_in_the_wrong_order_are_refused(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            make_kpi(self.org_a, self.manager, direction="higher", target=95, warning=97)
        self.assertIn("warning", ctx.exception.message_dict)


class MeasurementImportTests(QualitasTestCase):
    def upload(self, name: str, content: bytes) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content)

    def test_csv_import_records_every_row(self) -> None:
        kpi = make_kpi(self.org_a, self.manager, code="OTD")
        self.login(self.manager)
        csv = b"kpi;period;value;note\nOTD;2026-01;96,5;\notd;2026-02-15;97;good month\n"
        response = self.client.post(
            reverse("planning:measurement_import"), {"file": self.upload("values.csv", csv)}
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.assertEqual(
            list(Measurement.objects.filter(kpi=kpi).values_list("value", flat=True)), [96.5, 97.0]
        )

    def test_any_bad_row_imports_nothing_and_names_the_rows(self) -> None:
        kpi = make_kpi(self.org_a, self.manager, code="OTD")
        theirs = make_kpi(self.org_b, self.outsider, code="SECRET")
        services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 3, 1), value=95)
        self.login(self.manager)
        csv = (
            b"kpi,period,value\nOTD,2026-01,96\nNOPE,2026-01,1\nOTD,March,1\nOTD,2026-02,abc\n"
            + f"{theirs.code},2026-01,1\n".encode()
        )
        response = self.client.post(
            reverse("planning:measurement_import"), {"file": self.upload("v.csv", csv)}
        )
        self.assertEqual(response.status_code, 400)
        body = response.content.decode()
        for row in ("Row 3:", "Row 4:", "Row 5:", "Row 6:"):
            self.assertIn(row, body)
        self.assertNotIn("Row 2:", body)
        self.assertEqual(Measurement.objects.filter(kpi=kpi).count(), 1)

    def test_duplicates_against_stored_values_fail_the_whole_file(self) -> None:
        kpi = make_kpi(self.org_a, self.manager, code="OTD")
        services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 3, 1), value=95)
        self.login(self.manager)
        csv = b"kpi,period,value\nOTD,2026-02,96\nOTD,2026-03,97\n"
        response = self.client.post(
            reverse("planning:measurement_import"), {"file": self.upload("v.csv", csv)}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Row 3:", status_code=400)
        self.assertEqual(Measurement.objects.filter(kpi=kpi).count(), 1)

    def test_xlsx_import(self) -> None:
        from openpyxl import Workbook

        kpi = make_kpi(
            self.org_a, self.manager, code="SCR", direction="lower", target=2, warning=None, alarm=None
        )
        wb = Workbook()
        ws = wb.active
        ws.append(["KPI", "Period", "Value"])
        ws.append(["SCR", dt.date(2026, 1, 1), 1.8])
        ws.append(["SCR", "2026-02", 2.1])
        buf = io.BytesIO()
        wb.save(buf)
        self.login(self.manager)
        response = self.client.post(
            reverse("planning:measurement_import"), {"file": self.upload("v.xlsx", buf.getvalue())}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Measurement.objects.filter(kpi=kpi).count(), 2)

    def test_a_file_without_the_required_columns_is_refused(self) -> None:
        self.login(self.manager)
        response = self.client.post(
            reverse("planning:measurement_import"), {"file": self.upload("v.csv", b"code,value\nA,1\n")}
        )
        self.assertContains(response, "Missing column", status_code=400)


class MeasurementAPITests(QualitasTestCase):
    def test_batch_post_records_all_rows(self) -> None:
        kpi = make_kpi(self.org_a, self.manager, code="OTD")
        response = self.api_client(self.member).post(
            reverse("measurement-batch"),
            {
                "measurements": [
                    {"kpi": "OTD", "period": "2026-01-01", "value": 96},
                    {"kpi": str(kpi.pk), "period": "2026-02-01", "value": 97, "note": "ok"},
                ]
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["created"], 2)
        self.assertEqual(Measurement.objects.filter(kpi=kpi, source="api").count(), 2)

    def test_batch_with_a_bad_row_writes_nothing_and_reports_it(self) -> None:
        kpi = make_kpi(self.org_a, self.manager, code="OTD")
        theirs = make_kpi(self.org_b, self.outsider, code="THEIRS")
        response = self.api_client(self.member).post(
            reverse("measurement-batch"),
            {
                "measurements": [
                    {"kpi": "OTD", "period": "2026-01-01", "value": 96},
                    {"kpi": str(theirs.pk), "period": "2026-01-01", "value": 1},
                ]
            },
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Row 2", str(response.json()["fields"]))
        self.assertFalse(Measurement.objects.filter(kpi=kpi).exists())

    def test_batch_refused_for_viewer(self) -> None:
        make_kpi(self.org_a, self.manager, code="OTD")
        response = self.api_client(self.viewer).post(
            reverse("measurement-batch"),
            {"measurements": [{"kpi": "OTD", "period": "2026-01-01", "value": 96}]},
            format="json",
        )
        self.assertEqual(response.status_code, 403)

    def test_single_post_and_kpi_status_in_the_api(self) -> None:
        kpi = make_kpi(self.org_a, self.manager)
        client = self.api_client(self.manager)
        response = client.post(
            reverse("measurement-list"), {"kpi": kpi.pk, "period": "2026-05-09", "value": 89}, format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["period"], "2026-05-01")
        detail = client.get(reverse("kpi-detail", args=[kpi.pk])).json()
        self.assertEqual((detail["latest_value"], detail["status"]), (89.0, "off_target"))


class MeasurementDeletionTests(QualitasTestCase):
    def test_deleting_a_value_needs_a_reason_and_the_writer_role(self) -> None:
        kpi = make_kpi(self.org_a, self.manager)
        m = services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 1, 1), value=95)
        url = reverse("planning:measurement_delete", args=[m.pk])
        self.login(self.member)
        self.assertEqual(self.client.post(url, {"reason": "typo"}).status_code, 403)
        self.login(self.manager)
        self.client.post(url, {})
        self.assertTrue(Measurement.objects.filter(pk=m.pk).exists())
        self.client.post(url, {"reason": "Entered for the wrong month"})
        self.assertFalse(Measurement.objects.filter(pk=m.pk).exists())
        self.assertEqual(self.last_event().reason, "Entered for the wrong month")

    def test_a_kpi_with_values_cannot_be_deleted(self) -> None:
        kpi = make_kpi(self.org_a, self.manager)
        services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 1, 1), value=95)
        with self.assertRaises(ValidationError):
            services.delete_kpi(kpi, actor=self.manager)


class MeasureFormatTests(QualitasTestCase):
    def test_values_show_at_most_two_decimals_and_the_unit(self) -> None:
        from qualitas.planning.templatetags.planning import measure

        self.assertEqual(measure(95.5, "%"), "95.5 %")
        self.assertEqual(measure(584.2, "ppm"), "584.2 ppm")
        self.assertEqual(measure(3.0, ""), "3")
        self.assertEqual(measure(1.23456, "h"), "1.23 h")
        self.assertEqual(measure(None, "%"), "—")
