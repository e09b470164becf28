import datetime as dt

from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.downloads import InertExportCase
from qualitas.planning import services
from qualitas.planning.tests.factories import (
    make_context_issue,
    make_kpi,
    make_objective,
    make_party,
    make_process,
    make_risk,
)

REGISTERS = [
    "planning:process_list",
    "planning:contextissue_list",
    "planning:interestedparty_list",
    "planning:risk_list",
    "planning:objective_list",
    "planning:kpi_list",
    "planning:measurement_export",
]


class RegisterExportTests(InertExportCase, QualitasTestCase):
    def make_payload_records(self, payloads: tuple[str, ...]) -> None:
        kpi = make_kpi(self.org_a, self.manager)
        for n, text in enumerate(payloads):
            make_process(self.org_a, self.manager, name=text, purpose=text)
            make_context_issue(self.org_a, self.manager, title=text)
            make_party(self.org_a, self.manager, name=text, needs=text)
            make_risk(self.org_a, self.manager, title=text)
            make_objective(self.org_a, self.manager, title=text, target=text)
            make_kpi(self.org_a, self.manager, name=text)
            services.record_measurement(
                kpi, actor=self.manager, period=dt.date(2025, n + 1, 1), value=n, note=text
            )

    def export_urls(self) -> list[tuple[str, str]]:
        return [(f"{reverse(name)}?export={fmt}", fmt) for name in REGISTERS for fmt in ("csv", "xlsx")]
