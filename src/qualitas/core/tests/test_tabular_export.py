"""core.tabular.export: one neutraliser, labels not codes, dates as dates, streaming."""

import datetime as dt
import io

from django.test import SimpleTestCase
from django.utils import timezone
from openpyxl import load_workbook

from qualitas.actions import services
from qualitas.actions.models import Action
from qualitas.actions.tests.factories import make_action
from qualitas.core import audit
from qualitas.core.tabular.export import Column, Export, inert, table_response
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.downloads import FORMULA_PAYLOADS, csv_rows, download_bytes


class InertTests(SimpleTestCase):
    def test_text_that_starts_like_a_formula_gets_an_apostrophe(self) -> None:
        for payload in (*FORMULA_PAYLOADS, "=1+2", "-5", "+49 170 1234567", "@SUM(A1)", "=HYPERLINK(x)"):
            self.assertEqual(inert(payload), "'" + payload)

    def test_everything_else_is_unchanged(self) -> None:
        for value in ("Bore Ø12", "a=b", " =1", "", "'=1", -1, 2.5, None, dt.date(2026, 1, 1), True):
            self.assertEqual(inert(value), value)


def _workbook(response):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(download_bytes(response))).active


class TableResponseTests(SimpleTestCase):
    def test_csv_and_xlsx_write_values_inert_and_dates_as_dates(self) -> None:
        when = timezone.make_aware(dt.datetime(2026, 3, 1, 14, 5, 33, 120))
        rows = [["=1+2", -3, dt.date(2026, 2, 28), when, True, None, "ok\x07bell"]]
        headers = ["formula", "number", "date", "time", "flag", "empty", "text"]
        csv_body = csv_rows(table_response("t.csv", headers, rows, "csv"))
        local = timezone.localtime(when).replace(tzinfo=None, microsecond=0)
        self.assertEqual(csv_body[1], ["'=1+2", "-3", "2026-02-28", str(local), "yes", "", "ok\x07bell"])
        ws = _workbook(table_response("t.xlsx", headers, rows, "xlsx"))
        cells = list(next(ws.iter_rows(min_row=2, max_row=2)))
        self.assertEqual(cells[0].value, "'=1+2")
        self.assertEqual(cells[0].data_type, "s")
        self.assertEqual(cells[1].value, -3)
        self.assertEqual(cells[2].value, dt.datetime(2026, 2, 28))  # a date cell (openpyxl reads datetimes)
        self.assertTrue(cells[2].is_date)
        self.assertEqual(cells[3].value, local)
        self.assertEqual(cells[4].value, "yes")
        self.assertIsNone(cells[5].value)
        self.assertEqual(cells[6].value, "okbell", "characters XLSX cannot hold are dropped, not a 500")
        self.assertEqual(ws.freeze_panes, "A2")

    def test_csv_starts_with_the_byte_order_mark_unless_asked_not_to(self) -> None:
        self.assertTrue(download_bytes(table_response("t.csv", ["a"], [], "csv")).startswith(b"\xef\xbb\xbf"))
        self.assertEqual(download_bytes(table_response("t.csv", ["a"], [], "csv", bom=False)), b"a\r\n")

    def test_streamed_and_whole_responses_carry_the_same_file(self) -> None:
        rows = [[f"row {i}", i] for i in range(50)]
        for fmt in ("csv", "xlsx"):
            whole = table_response(f"t.{fmt}", ["a", "b"], rows, fmt)
            streamed = table_response(f"t.{fmt}", ["a", "b"], rows, fmt, stream=True)
            self.assertTrue(streamed.streaming)
            self.assertEqual(streamed["Content-Disposition"], f'attachment; filename="t.{fmt}"')
            if fmt == "csv":
                self.assertEqual(download_bytes(whole), download_bytes(streamed))
            else:
                self.assertEqual(list(_workbook(whole).values), list(_workbook(streamed).values))

    def test_an_unknown_format_is_a_404(self) -> None:
        from django.http import Http404

        with self.assertRaises(Http404):
            table_response("t.pdf", ["a"], [], "pdf")


ACTIONS = Export(
    "actions",
    [
        Column("Reference", "reference"),
        Column("Title", "title"),
        Column("Priority", "priority"),
        Column("Status", "status"),
        Column("Owner", "owner__full_name"),
        Column("Due", "due_date"),
        Column("Completed", "completed_at"),
    ],
)
ACTIONS_BY_INSTANCE = Export(
    "actions",
    [Column("Title", "title"), Column("Owner", "owner"), Column("Label", lambda a: f"{a.reference}!")],
)


class ExportTests(QualitasTestCase):
    def test_labels_not_codes_and_plain_fields_are_read_without_instances(self) -> None:
        with audit.context("cli"):
            action = make_action(
                self.org_a, self.manager, title="-minus", priority="urgent", owner=self.owner
            )
            services.complete_action(action, actor=self.owner, note="done")
        qs = Action.objects.filter(organization=self.org_a)
        with self.assertNumQueries(1):
            rows = list(ACTIONS.rows(qs))
        self.assertEqual(rows[0][1:5], ["-minus", "Urgent", "Done", "Owner"])
        self.assertIsInstance(rows[0][6], dt.datetime)
        self.assertIsNone(rows[0][6].tzinfo)
        body = csv_rows(ACTIONS.response(qs, "csv"))
        self.assertEqual(body[0], ["Reference", "Title", "Priority", "Status", "Owner", "Due", "Completed"])
        self.assertEqual(body[1][1], "'-minus")

    def test_related_records_and_callables_read_instances_with_their_relations_joined(self) -> None:
        with audit.context("cli"):
            for n in range(3):
                make_action(self.org_a, self.manager, title=f"A{n}", owner=self.owner)
        qs = Action.objects.filter(organization=self.org_a).order_by("pk")
        with self.assertNumQueries(1):
            rows = list(ACTIONS_BY_INSTANCE.rows(qs))
        self.assertEqual(rows[0][1], str(self.owner))
        self.assertTrue(rows[0][2].endswith("!"))

    def test_the_filename_carries_the_date(self) -> None:
        response = ACTIONS.response(Action.objects.none(), "xlsx")
        stamp = timezone.localdate().isoformat()
        self.assertEqual(response["Content-Disposition"], f'attachment; filename="actions-{stamp}.xlsx"')
