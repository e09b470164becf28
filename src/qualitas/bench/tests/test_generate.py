import datetime as dt
from collections import Counter

from django.core.exceptions import ValidationError

from qualitas.accounts.models import Membership, Organization
from qualitas.actions import services
from qualitas.actions.models import Action
from qualitas.bench.generate import generate
from qualitas.bench.registry import Scale
from qualitas.core import audit
from qualitas.core.audit import verify_chain
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase

TINY = Scale("T", people=8, years=2, records=60)
UNTIL = dt.date(2026, 6, 30)


class GeneratorTests(QualitasTestCase):
    def run_tiny(self, name: str, seed: int = 3) -> Organization:
        generate(name, TINY, seed=seed, until=UNTIL, only=["actions"], show_progress=False)
        return Organization.objects.get(name=name)

    def test_tiny_scale_writes_the_expected_counts_and_a_valid_chain(self) -> None:
        org = self.run_tiny("Tiny Works")
        self.assertEqual(Membership.objects.filter(organization=org).count(), TINY.people + 1)
        actions = Action.objects.filter(organization=org)
        self.assertEqual(actions.count(), TINY.records)
        events = AuditEvent.objects.filter(organization=org)
        self.assertEqual(events.filter(action="action.create").count(), TINY.records)
        transitions = sum(a.version - 1 for a in actions)
        self.assertEqual(
            events.filter(action__in=["action.start", "action.complete", "action.cancel"]).count(),
            transitions,
        )
        self.assertEqual(events.count(), 1 + 2 + (TINY.people + 1) + TINY.records + transitions)
        result = verify_chain(org)
        self.assertTrue(result.ok, result.problem)
        self.assertTrue(
            actions.filter(status="done").exists()
            and actions.filter(status__in=["open", "in_progress"]).exists()
        )
        first, last = actions.order_by("created_at").first(), actions.order_by("created_at").last()
        self.assertGreater((last.created_at - first.created_at).days, 300, "history spans years")
        times = list(events.order_by("seq").values_list("created_at", flat=True))
        self.assertEqual(times, sorted(times), "the trail reads in time order")

    def test_services_continue_after_generated_data(self) -> None:
        org = self.run_tiny("Tiny Continues")
        owner = Membership.objects.filter(organization=org, role="admin").get().user
        with audit.context("cli"):
            action = services.create_action(
                organization=org, actor=owner, data={"title": "After", "owner": owner}
            )
        self.assertEqual(Action.objects.filter(organization=org, reference=action.reference).count(), 1)
        self.assertTrue(verify_chain(org).ok)

    def test_same_seed_gives_the_same_records(self) -> None:
        def rows(org: Organization) -> list[tuple]:
            return list(
                Action.objects.filter(organization=org)
                .order_by("reference")
                .values_list("reference", "title", "status", "due_date", "owner__full_name")
            )

        a, b = self.run_tiny("Seed A", seed=5), self.run_tiny("Seed B", seed=5)
        self.assertEqual(rows(a), rows(b))
        self.assertNotEqual(rows(a), rows(self.run_tiny("Seed C", seed=6)))

    def test_an_existing_organization_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            generate("Org A", TINY, only=["actions"], show_progress=False)


class AreaGeneratorTests(QualitasTestCase):
    def test_nonconformities_walk_the_loop_and_keep_the_chain_valid(self) -> None:
        from qualitas.improvement.models import Nonconformity

        generate(
            "NC Works",
            Scale("T", people=8, years=2, records=200),
            seed=2,
            until=UNTIL,
            only=["nonconformities"],
            show_progress=False,
        )
        org = Organization.objects.get(name="NC Works")
        ncs = Nonconformity.objects.filter(organization=org)
        self.assertEqual(ncs.count(), 200, "as many nonconformities as the main registers hold")
        self.assertTrue(ncs.filter(status="closed").exists())
        events = AuditEvent.objects.filter(organization=org, object_type="improvement.nonconformity")
        self.assertEqual(events.filter(action="nonconformity.create").count(), 200)
        self.assertEqual(events.count(), sum(nc.version for nc in ncs))
        self.assertTrue(verify_chain(org).ok)


AREAS = ["actions", "nonconformities", "risks", "documents", "requirements"]
AREA_SCALE = Scale("T", people=12, years=2, records=80)


def generate_areas(name: str, seed: int) -> Organization:
    generate(name, AREA_SCALE, seed=seed, until=UNTIL, only=AREAS, show_progress=False)
    return Organization.objects.get(name=name)


class PlanningDocumentsStandardsGeneratorTests(QualitasTestCase):
    """Risks, KPIs, documents and requirements at a tiny scale: rows in every register, the events the
    services write, data the services can go on with."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.org = generate_areas("Area Works", seed=4)

    def test_every_register_gets_rows(self) -> None:
        from qualitas.documents.models import Document, DocumentReview, Revision, Signature
        from qualitas.planning.models import Kpi, Measurement, Objective, Process, ProcessInteraction, Risk
        from qualitas.standards import queries
        from qualitas.standards.models import EvidenceLink, Requirement, ScopeStatement

        org = self.org
        for model in (Process, ProcessInteraction, Objective, Kpi, Signature, DocumentReview, EvidenceLink):
            self.assertTrue(model.objects.filter(organization=org).exists(), model.__name__)
        self.assertEqual(Risk.objects.filter(organization=org).count(), AREA_SCALE.records)
        self.assertGreaterEqual(
            Measurement.objects.filter(organization=org).count(), AREA_SCALE.records * 0.9
        )
        self.assertEqual(Document.objects.filter(organization=org).count(), AREA_SCALE.records // 4)
        self.assertGreater(
            Revision.objects.filter(organization=org).count(),
            Document.objects.filter(organization=org).count(),
        )
        self.assertEqual(ScopeStatement.objects.filter(organization=org).count(), 1)
        # One requirement per auditable ISO 9001 clause: all a real organization has.
        self.assertEqual(
            Requirement.objects.filter(organization=org).count(), queries.auditable_clauses().count()
        )
        statuses = set(Document.objects.filter(organization=org).values_list("status", flat=True))
        self.assertIn("effective", statuses)
        risk_states = set(Risk.objects.filter(organization=org).values_list("status", flat=True))
        self.assertTrue({"open", "closed"} <= risk_states, risk_states)

    def test_the_chain_verifies_and_every_record_has_the_events_of_its_versions(self) -> None:
        from qualitas.documents.models import Document, Revision, Signature
        from qualitas.planning.models import Kpi, Measurement, Objective, Process, Risk
        from qualitas.standards.models import EvidenceLink, Requirement

        result = verify_chain(self.org)
        self.assertTrue(result.ok, result.problem)
        events = AuditEvent.objects.filter(organization=self.org).exclude(action="requirement.evidence_add")
        for model in (Process, Risk, Objective, Kpi, Measurement, Document, Revision, Signature, Requirement):
            counted = Counter(
                events.filter(object_type=model._meta.label_lower).values_list("object_id", flat=True)
            )
            versions = {
                str(pk): v
                for pk, v in model.objects.filter(organization=self.org).values_list("pk", "version")
            }
            self.assertEqual(dict(counted), versions, model.__name__)
        links = EvidenceLink.objects.filter(organization=self.org).count()
        adds = AuditEvent.objects.filter(organization=self.org, action="requirement.evidence_add").count()
        self.assertEqual(adds, links)
        times = list(
            AuditEvent.objects.filter(organization=self.org)
            .order_by("seq")
            .values_list("created_at", flat=True)
        )
        self.assertEqual(times, sorted(times), "the trail reads in time order")

    def test_create_events_hold_what_the_services_snapshot_holds(self) -> None:
        from qualitas.bench.generators import created
        from qualitas.documents.models import Revision, Signature
        from qualitas.planning.models import Kpi, Process
        from qualitas.standards.models import EvidenceLink

        for model in (Process, Kpi, Revision, Signature, EvidenceLink):
            obj = model.objects.filter(organization=self.org).order_by("pk").first()
            self.assertEqual(
                created(obj), audit.diff({}, audit.snapshot(obj, with_m2m=False)), model.__name__
            )

    def test_documents_hold_together_and_are_searchable(self) -> None:
        from django.db import connection

        from qualitas.documents import search
        from qualitas.documents.models import Document, Revision, Signature

        docs = Document.objects.filter(organization=self.org).select_related("effective_revision")
        for doc in docs:
            revision = doc.effective_revision
            if doc.status == "draft":
                self.assertIsNone(revision, doc.code)
            else:
                self.assertEqual(revision.status, "effective" if doc.status == "effective" else "obsolete")
                self.assertEqual(
                    (doc.current_label, doc.effective_date), (revision.label, revision.effective_date)
                )
            self.assertEqual(doc.search_text, search.build_search_text(doc), doc.code)
            self.assertLessEqual(
                doc.revisions.filter(status__in=["draft", "in_review", "approved"]).count(), 1
            )
            create = AuditEvent.objects.get(
                organization=self.org, action="document.create", object_id=str(doc.pk)
            ).changes
            for name in ("reviewers", "approvers"):
                self.assertEqual(create[name][1], sorted(getattr(doc, name).values_list("pk", flat=True)))
            self.assertTrue(create["approvers"][1])
        for revision in (
            Revision.objects.filter(organization=self.org).exclude(cycle=0).select_related("document")
        ):
            self.assertEqual(revision.content_sha256, revision.compute_content_hash(), str(revision))
        for signature in Signature.objects.filter(organization=self.org):
            self.assertEqual(signature.signature_sha256, signature.compute_signature_hash())
        effective = docs.filter(status="effective").first()
        word = effective.effective_revision.text.split()[-1].strip(".")
        self.assertIn(effective, [d for d, _rank, _snip in search.search(self.org, effective.code, limit=50)])
        self.assertTrue(search.search(self.org, word))
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT count(*) FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH %s",
                    [f'org:"{search.org_token(self.org.pk)}"'],
                )
                self.assertEqual(cursor.fetchone()[0], docs.exclude(status="obsolete").count())

    def test_kpi_values_carry_the_status_and_alerts_the_service_computes(self) -> None:
        from qualitas.planning.models import Kpi
        from qualitas.planning.scoring import crossed

        alerts = 0
        for kpi in Kpi.objects.filter(organization=self.org):
            previous = None
            for value, status in kpi.measurements.order_by("period").values_list("value", "status"):
                self.assertEqual(status, kpi.status_of(value))
                alerts += crossed(previous, status)
                previous = status
        from django.contrib.contenttypes.models import ContentType

        kpi_type = ContentType.objects.get_for_model(Kpi)
        self.assertEqual(Action.objects.filter(organization=self.org, subject_type=kpi_type).count(), alerts)

    def test_services_continue_after_generated_data(self) -> None:
        from qualitas.bench.generate import BENCH_PASSWORD
        from qualitas.documents import services as documents
        from qualitas.documents.models import Document, Revision
        from qualitas.planning import services as planning
        from qualitas.planning.models import Kpi, Risk
        from qualitas.standards import services as standards
        from qualitas.standards.models import Requirement

        org = self.org
        admin = Membership.objects.get(organization=org, role="admin").user
        with audit.context("cli"):
            doc = documents.create_document(
                organization=org, actor=admin, data={"title": "New", "doc_type": "work_instruction"}
            )
            self.assertEqual(Document.objects.filter(organization=org, code=doc.code).count(), 1)
            effective = (
                Document.objects.filter(organization=org, status="effective")
                .exclude(revisions__status__in=["draft", "in_review", "approved"])
                .first()
            )
            # A whole change of a generated document: its generated reviewers and approvers sign.
            previous = effective.effective_revision
            owner = effective.owner
            revision = documents.start_revision(effective, actor=owner, reason="Bench continues")
            documents.transition_revision(revision, "submit", actor=owner)
            for user in effective.reviewers.all():
                documents.sign_revision(revision, actor=user, password=BENCH_PASSWORD, meaning="reviewed")
            for user in effective.approvers.all():
                documents.sign_revision(revision, actor=user, password=BENCH_PASSWORD, meaning="approved")
            documents.release_revision(Revision.objects.get(pk=revision.pk), actor=owner)
            effective.refresh_from_db()
            previous.refresh_from_db()
            self.assertEqual((effective.effective_revision_id, previous.status), (revision.pk, "superseded"))
            risk = planning.create_risk(
                organization=org,
                actor=admin,
                data={"title": "After", "likelihood": 2, "impact": 3, "owner": admin},
            )
            self.assertEqual(Risk.objects.filter(organization=org, reference=risk.reference).count(), 1)
            kpi = Kpi.objects.filter(organization=org, is_active=True).first()
            last = kpi.measurements.order_by("-period").first().period
            planning.record_measurement(
                kpi,
                actor=admin,
                period=planning.period_start(last + dt.timedelta(days=120), kpi.frequency),
                value=0.0,
            )
            action = services.create_action(
                organization=org, actor=admin, data={"title": "After", "owner": admin}
            )
            self.assertEqual(Action.objects.filter(organization=org, reference=action.reference).count(), 1)
            requirement = Requirement.objects.filter(organization=org, applicable=True).first()
            standards.update_requirement(
                requirement, actor=admin, data={"notes": "After"}, expected_version=requirement.version
            )
        self.assertTrue(verify_chain(org).ok)

    def test_same_seed_gives_the_same_records(self) -> None:
        from qualitas.documents.models import Revision
        from qualitas.planning.models import Measurement, Risk
        from qualitas.standards.models import EvidenceLink, Requirement

        def rows(org: Organization) -> list[list[tuple]]:
            return [
                list(
                    Risk.objects.filter(organization=org)
                    .order_by("reference")
                    .values_list("reference", "title", "level", "status", "owner__full_name")
                ),
                list(
                    Revision.objects.filter(organization=org)
                    .order_by("document__code", "label")
                    .values_list(
                        "document__code", "document__title", "label", "status", "text", "effective_date"
                    )
                ),
                list(
                    Measurement.objects.filter(organization=org)
                    .order_by("kpi__code", "period")
                    .values_list("kpi__code", "period", "value", "status")
                ),
                list(
                    Requirement.objects.filter(organization=org)
                    .order_by("clause__sort_key")
                    .values_list("clause__number", "applicable", "status", "target_date")
                ),
                sorted(
                    EvidenceLink.objects.filter(organization=org).values_list(
                        "requirement__clause__number", "target_label", "created_at"
                    )
                ),
            ]

        again = generate_areas("Area Works Again", seed=4)
        self.assertEqual(rows(self.org), rows(again))
        other = rows(generate_areas("Area Works Other", seed=5))
        for mine, theirs in zip(rows(self.org), other, strict=True):
            self.assertNotEqual(mine, theirs)
