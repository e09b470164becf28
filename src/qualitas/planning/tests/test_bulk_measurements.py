"""A large batch of KPI values (an import) is written in bulk with the same records and events as
one value at a time."""

import datetime as dt

from qualitas.core import audit
from qualitas.core.audit import verify_chain
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase
from qualitas.planning import services
from qualitas.planning.models import Measurement
from qualitas.planning.tests.factories import make_kpi


class BulkMeasurementTests(QualitasTestCase):
    def record(self, kpi, n: int, start: int = 0):  # type: ignore[no-untyped-def]
        rows = [
            {
                "kpi": kpi,
                "period": dt.date(2000 + (start + i) // 12, (start + i) % 12 + 1, 1),
                "value": 85 + i % 15,
            }
            for i in range(n)
        ]
        with audit.context("cli"):
            return services.record_measurements(self.org_a, actor=self.manager, rows=rows)

    def test_small_and_large_batches_give_the_same_records_and_events(self) -> None:
        small_kpi, large_kpi = make_kpi(self.org_a, self.manager), make_kpi(self.org_a, self.manager)
        small = self.record(small_kpi, 10)
        large = self.record(large_kpi, services.BULK_MEASUREMENTS + 30)
        self.assertEqual(Measurement.objects.filter(kpi=large_kpi).count(), len(large))
        for batch in (small, large):
            for m in batch[:12]:
                stored = Measurement.objects.get(pk=m.pk)
                self.assertEqual(stored.status, stored.kpi.status_of(stored.value))
                [event] = AuditEvent.objects.filter(
                    organization=self.org_a, object_type="planning.measurement", object_id=str(m.pk)
                )
                self.assertEqual(event.action, "measurement.create")
                self.assertEqual(event.actor_id, self.manager.pk)
                self.assertEqual(
                    event.changes,
                    audit.to_jsonable(
                        {
                            "kpi": [None, m.kpi_id],
                            "period": [None, m.period.isoformat()],
                            "value": [None, m.value],
                            "source": [None, m.source],
                        }
                    ),
                )
        self.assertTrue(verify_chain(self.org_a).ok)
