import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from qualitas.actions.tests.factories import make_action
from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed
from qualitas.core.testing import QualitasTestCase
from qualitas.improvement.models import Nonconformity, NonconformityLink
from qualitas.improvement.services import open_nonconformity
from qualitas.improvement.tests.helpers import make_process


class OpenNonconformityContractTests(QualitasTestCase):
    def test_opening_numbers_defaults_and_audits(self) -> None:
        process = make_process(self.org_a)
        with audit.context("web"):
            nc = open_nonconformity(
                organization=self.org_a,
                actor=self.member,
                data={
                    "title": "Bore out of tolerance",
                    "source": "inspection",
                    "severity": "major",
                    "process": process,
                    "product": "Bracket B-12",
                    "lot": "L-4711",
                    "quantity": Decimal("12"),
                },
            )
        year = timezone.localdate().year
        self.assertRegex(nc.reference, rf"^NC-{year}-\d{{4}}$")
        self.assertEqual(nc.detected_on, timezone.localdate())
        self.assertEqual(nc.detected_by, self.member)
        self.assertEqual(nc.status, "reported")
        self.assertTrue(nc.get_absolute_url())
        event = self.last_event()
        self.assertEqual(event.action, "nonconformity.create")
        self.assertEqual(event.object_id, str(nc.pk))

    def test_a_job_may_open_one_without_an_actor(self) -> None:
        with audit.context("job"):
            nc = open_nonconformity(
                organization=self.org_a,
                actor=None,
                data={
                    "title": "SPC rule 1 violated",
                    "source": "inspection",
                    "detected_on": dt.date(2026, 3, 2),
                },
            )
        self.assertIsNone(nc.detected_by)
        self.assertEqual(self.last_event().source, "job")

    def test_related_records_are_linked(self) -> None:
        with audit.context("cli"):
            action = make_action(self.org_a, self.manager)
            nc = open_nonconformity(
                organization=self.org_a, actor=self.manager, data={"title": "Finding 3"}, related=[action]
            )
        link = NonconformityLink.objects.get(nonconformity=nc)
        self.assertEqual(link.target, action)

    def test_related_record_of_another_organization_is_refused_and_nothing_is_written(self) -> None:
        with audit.context("cli"):
            theirs = make_action(self.org_b, self.outsider)
            with self.assertRaises(ValidationError):
                open_nonconformity(
                    organization=self.org_a, actor=self.manager, data={"title": "X"}, related=[theirs]
                )
        self.assertFalse(Nonconformity.objects.filter(organization=self.org_a).exists())

    def test_process_of_another_organization_is_refused(self) -> None:
        with self.assertRaises(ValidationError), audit.context("cli"):
            open_nonconformity(
                organization=self.org_a,
                actor=self.manager,
                data={"title": "X", "process": make_process(self.org_b)},
            )

    def test_title_is_required_and_unknown_source_is_refused(self) -> None:
        with audit.context("cli"):
            with self.assertRaises(ValidationError):
                open_nonconformity(organization=self.org_a, actor=self.manager, data={"title": ""})
            with self.assertRaises(ValidationError):
                open_nonconformity(
                    organization=self.org_a, actor=self.manager, data={"title": "X", "source": "moon"}
                )

    def test_viewer_may_not_report(self) -> None:
        with self.assertRaises(NotAllowed), audit.context("web"):
            open_nonconformity(organization=self.org_a, actor=self.viewer, data={"title": "X"})
