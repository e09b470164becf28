"""The import benchmarks run the whole import path and leave the organization as it was."""

from qualitas.bench import imports
from qualitas.bench.registry import load_all
from qualitas.core import audit
from qualitas.core.models import AuditChainHead, AuditEvent
from qualitas.core.testing import QualitasTestCase
from qualitas.planning.models import Kpi, Measurement
from qualitas.production.models import Characteristic, Lot, Reading
from qualitas.production.tests.factories import make_characteristic, make_lot


class ImportBenchmarkTests(QualitasTestCase):
    def snapshot(self) -> tuple[int, ...]:
        org = self.org_a
        head = AuditChainHead.objects.filter(organization=org).values_list("seq", flat=True).first()
        return (
            AuditEvent.objects.filter(organization=org).count(),
            head or 0,
            Reading.objects.filter(organization=org).count(),
            Characteristic.objects.filter(organization=org).count(),
            Lot.objects.filter(organization=org).count(),
            Kpi.objects.filter(organization=org).count(),
            Measurement.objects.filter(organization=org).count(),
        )

    def test_the_operations_are_registered(self) -> None:
        keys = {op.key for op in load_all().operations}
        self.assertTrue({"import_readings_csv", "import_readings_xlsx", "import_measurements_csv"} <= keys)

    def test_readings_imports_roll_back_on_an_organization_without_products(self) -> None:
        before = self.snapshot()
        for fmt in ("csv", "xlsx"):
            with self.subTest(fmt):
                self.assertEqual(imports.import_readings_file(self.org_a, fmt, n=120), (120, "readings"))
        self.assertEqual(self.snapshot(), before)

    def test_readings_go_to_an_existing_characteristic_and_open_lot(self) -> None:
        with audit.context("cli"):
            ch = make_characteristic(self.org_a, self.manager, signal_action="none")
            lot = make_lot(self.org_a, self.manager, product=ch.product)
        with imports.rolled_back():
            _product, found_ch, found_lot = imports.readings_target(self.org_a, self.manager)
        self.assertEqual((found_ch, found_lot), (ch, lot))
        before = self.snapshot()
        self.assertEqual(imports.import_readings_file(self.org_a, "csv", n=50), (50, "readings"))
        self.assertEqual(self.snapshot(), before)

    def test_measurements_import_rolls_back(self) -> None:
        before = self.snapshot()
        self.assertEqual(imports.import_measurements_file(self.org_a, "csv", n=60), (60, "values"))
        self.assertEqual(self.snapshot(), before)
