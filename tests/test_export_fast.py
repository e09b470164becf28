"""The fast export writes exactly what Django's serializer wrote, record for record.

`core.transfer.export_organization` builds ``data.jsonl`` from ``values_list`` rows (natural keys and
many-to-many values looked up per chunk) instead of serializing one model instance at a time; the
archive must not change by a byte, or an older `qualitas import` could read it differently."""

import tempfile
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from qualitas.core import audit, transfer
from qualitas.core.services import add_attachment, add_comment
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.factories import load_all

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def reference_lines(org: object) -> list[str]:
    """What the export wrote before: Django's jsonl serializer, one record at a time."""
    lines: list[str] = []
    for model in transfer.exported_models():
        lookup = transfer._org_filter(model, org)
        assert lookup is not None
        qs = model._default_manager.filter(**lookup).distinct().order_by("pk")
        for text, _n in transfer._serialized_lines(qs, {}):
            lines.extend(text.splitlines())
    return lines


class FastExportTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from qualitas.production import services as production
        from qualitas.production.tests.factories import make_lot

        with audit.context("cli"):
            # One record of every model that has a factory (natural keys to users and catalog
            # clauses, JSON fields, dates, decimals...), a few of them twice.
            for make in load_all().values():
                make(cls.org_a, cls.admin)
                make(cls.org_b, cls.outsider)
            first = make_lot(cls.org_a, cls.manager)
            second = make_lot(cls.org_a, cls.manager, product=first.product)
            # Many-to-many without natural keys, ordered by the related model's Meta.ordering.
            production.update_lot(second, actor=cls.manager, data={"parents": [first]})
            cls.attachment = add_attachment(
                second, actor=cls.manager, upload=SimpleUploadedFile("cert.pdf", PDF)
            )
            add_comment(second, actor=cls.manager, body="Ünïcode “quotes” & <tags>")

    def test_data_lines_are_what_the_serializer_wrote(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "org-a.zip"
            counts = transfer.export_organization(self.org_a, path)
            with zipfile.ZipFile(path) as archive:
                lines = archive.read("data.jsonl").decode().splitlines()
                names = archive.namelist()
        expected = reference_lines(self.org_a)
        self.assertGreater(len(expected), 100)
        self.assertEqual(len(lines), len(expected))
        for got, want in zip(lines, expected, strict=True):
            self.assertEqual(got, want)
        self.assertEqual(sum(counts.values()), len(lines))
        self.assertIn(f"files/{self.attachment.file.name}", names)
        self.assertEqual(names[0], "data.jsonl")
        self.assertEqual(names[-1], "manifest.json")

    def test_every_exported_model_takes_the_fast_path(self) -> None:
        slow = [
            m._meta.label
            for m in transfer.exported_models()
            if transfer._ExportPlan.for_model(m, transfer._NaturalKeys()) is None
        ]
        self.assertEqual(slow, [])

    def test_a_model_outside_the_fast_path_still_exports_through_the_serializer(self) -> None:
        from unittest import mock

        with (
            tempfile.TemporaryDirectory() as tmp,
            mock.patch.object(transfer._ExportPlan, "for_model", return_value=None),
        ):
            path = Path(tmp) / "slow.zip"
            transfer.export_organization(self.org_a, path)
            with zipfile.ZipFile(path) as archive:
                lines = archive.read("data.jsonl").decode().splitlines()
        self.assertEqual(lines, reference_lines(self.org_a))
