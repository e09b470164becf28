"""Evidence registered by other areas (registry.evidence_sources) counts for a clause and its subclauses."""

import io
import tempfile
import zipfile
from pathlib import Path
from unittest import mock

from qualitas.core import audit
from qualitas.core.registry import EvidenceSource, registry
from qualitas.core.testing.world import QualitasTestCase
from qualitas.standards import pack, queries, readiness, services


def summary(org: object) -> dict:
    return {"count": 2, "url": "/production/", "items": [("Lot L-1 released", "/production/lots/1/")]}


class AutomaticEvidenceTests(QualitasTestCase):
    def test_a_source_naming_a_heading_proves_its_subclauses_once(self) -> None:
        source = EvidenceSource("test.lots", "Released lots", ("8.5", "8.5.1"), summary)
        with mock.patch.dict(registry.evidence_sources, {"test.lots": source}):
            figures = readiness.compute(self.org_a)

            def ours(number: str) -> list[dict]:
                return [
                    s
                    for s in readiness.automatic_for(number, figures["automatic"])
                    if s["key"] == "test.lots"
                ]

            self.assertEqual(len(ours("8.5.1")), 1)
            self.assertEqual(len(ours("8.5.2")), 1)
            self.assertEqual(ours("8.6"), [])
            gaps = {(g.number, g.kind) for g in figures["gaps"]}
            self.assertNotIn(("8.5.2", "missing_di"), gaps)
            self.assertIn(("8.6", "missing_di"), gaps)
            with audit.context("cli"):
                req = services.requirement_for(
                    self.org_a, queries.clauses().get(number="8.5.1"), actor=self.manager
                )
            self.login(self.viewer)
            self.assertContains(self.client.get(req.get_absolute_url()), "Lot L-1 released")

    def test_a_broken_source_does_not_break_readiness(self) -> None:
        def broken(org: object) -> dict:
            raise RuntimeError("boom")

        with mock.patch.dict(
            registry.evidence_sources, {"test.broken": EvidenceSource("test.broken", "B", ("9.1.1",), broken)}
        ):
            figures = readiness.compute(self.org_a)
        self.assertIn(("9.1.1", "missing_di"), {(g.number, g.kind) for g in figures["gaps"]})

    def test_files_offered_by_sources_go_into_the_pack(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "release-certificate.pdf"
            path.write_bytes(b"%PDF-1.4 test")
            source = EvidenceSource(
                "test.lots",
                "Released lots",
                ("8.6",),
                summary,
                pack_items=lambda org: [("Lot L-1", "/production/lots/1/", str(path))],
            )
            with mock.patch.dict(registry.evidence_sources, {"test.lots": source}):
                out = io.BytesIO()
                pack.build(self.org_a, out)
        zf = zipfile.ZipFile(out)
        self.assertIn("sources/test.lots/1-release-certificate.pdf", zf.namelist())
        self.assertIn("Released lots", zf.read("index.html").decode())
