import datetime as dt

from qualitas.accounts.models import Organization
from qualitas.bench.generate import generate
from qualitas.bench.registry import Scale
from qualitas.bench.run import print_table, run_benchmarks
from qualitas.core.testing import QualitasTestCase


class BenchRunTests(QualitasTestCase):
    def test_every_registered_target_answers_200_in_process(self) -> None:
        generate(
            "Run Works",
            Scale("T", people=6, years=1, records=30),
            seed=1,
            until=dt.date(2026, 6, 30),
            only=["actions"],
            show_progress=False,
        )
        org = Organization.objects.get(name="Run Works")
        report = run_benchmarks(org, repeat=1, only=["actions", "home", "audit_verify"])
        statuses = {(r["target"], r["kind"], r["case"]): r.get("status", 200) for r in report["results"]}
        self.assertTrue(statuses)
        self.assertEqual({k: s for k, s in statuses.items() if s != 200}, {})
        self.assertIn(("actions", "api", "detail"), statuses)
        verify = next(r for r in report["results"] if r["target"] == "audit_verify")
        self.assertGreater(verify["units"], 30)
        lines: list[str] = []
        print_table(report, type("Out", (), {"write": staticmethod(lines.append)}))
        self.assertTrue(any("first page" in line for line in lines))
