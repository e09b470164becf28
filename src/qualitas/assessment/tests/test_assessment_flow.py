"""An assessment from draft to completed: assessors, independent rating, spread, consensus."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitas.assessment import queries, services
from qualitas.assessment.choices import AssessmentStatus
from qualitas.assessment.models import Criterion, Rating
from qualitas.assessment.tests.factories import make_assessment
from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed, TransitionError
from qualitas.core.testing import QualitasTestCase


class AssessmentFlowTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.a = make_assessment(self.org_a, self.manager, mode="small")
            for user in (self.manager, self.owner, self.member):
                services.add_assessor(self.a, actor=self.manager, user=user)
        self.elements = list(queries.elements_in_scope(self.a))

    def start(self) -> None:
        services.transition_assessment(self.a, "start_rating", actor=self.manager)

    def test_rating_cannot_start_without_assessors(self) -> None:
        with audit.context("cli"):
            empty = make_assessment(self.org_a, self.manager)
        with self.assertRaisesMessage(TransitionError, "Invite at least one assessor"):
            services.transition_assessment(empty, "start_rating", actor=self.manager)

    def test_a_viewer_cannot_be_invited_to_rate(self) -> None:
        with self.assertRaisesMessage(ValidationError, "read-only viewer"):
            services.add_assessor(self.a, actor=self.manager, user=self.viewer)

    def test_outsider_cannot_be_invited(self) -> None:
        with self.assertRaises(ValidationError):
            services.add_assessor(self.a, actor=self.manager, user=self.outsider)

    def test_detailed_rating_applies_the_no_gaps_rule_to_the_ticked_criteria(self) -> None:
        self.start()
        element = self.elements[0]
        by_level = {
            n: list(
                Criterion.objects.filter(level__element=element, level__number=n).values_list("pk", flat=True)
            )
            for n in range(1, 6)
        }
        ticked = by_level[1] + by_level[2] + by_level[4]  # a gap at level 3
        rating = services.save_rating(self.a, actor=self.member, element=element, met_criteria=ticked)
        self.assertEqual(rating.level, 2)
        self.assertEqual(self.last_event().action, "rating.create")

    def test_only_invited_assessors_rate_and_only_while_rating(self) -> None:
        with self.assertRaises(ValidationError):
            services.save_rating(self.a, actor=self.member, element=self.elements[0], level=3)
        self.start()
        with self.assertRaises(NotAllowed):
            services.save_rating(self.a, actor=self.auditor, element=self.elements[0], level=3)

    def test_criteria_of_another_element_are_refused(self) -> None:
        self.start()
        foreign = Criterion.objects.filter(level__element=self.elements[1]).first()
        with self.assertRaises(ValidationError):
            services.save_rating(
                self.a, actor=self.member, element=self.elements[0], met_criteria=[foreign.pk]
            )

    def test_spread_sorts_by_disagreement_and_consensus_completes_the_assessment(self) -> None:
        self.start()
        calm, split = self.elements[0], self.elements[1]
        for user, levels in ((self.manager, (3, 1)), (self.owner, (3, 5)), (self.member, (3, 3))):
            services.save_rating(self.a, actor=user, element=calm, level=levels[0])
            services.save_rating(self.a, actor=user, element=split, level=levels[1])
        services.transition_assessment(self.a, "open_consensus", actor=self.manager)
        rows = queries.spread_rows(self.a)
        self.assertEqual(rows[0].element, split)
        self.assertEqual((rows[0].spread.low, rows[0].spread.high), (1, 5))
        self.assertAlmostEqual(rows[0].spread.stdev or 0, 1.63, places=2)
        with self.assertRaisesMessage(ValidationError, "say why"):
            services.record_consensus(self.a, actor=self.manager, element=split, level=3)
        with self.assertRaisesMessage(TransitionError, "Record the consensus level for every element"):
            services.transition_assessment(self.a, "complete", actor=self.manager)
        for e in self.elements:
            services.record_consensus(
                self.a,
                actor=self.manager,
                element=e,
                level=3,
                target_level=4,
                reasoning="Production's view carried: the spread came from one site.",
            )
        services.transition_assessment(self.a, "complete", actor=self.manager)
        self.assertEqual(self.a.status, AssessmentStatus.COMPLETED)
        self.assertIsNotNone(self.a.completed_at)

    def test_target_below_the_consensus_level_is_refused(self) -> None:
        self.start()
        services.save_rating(self.a, actor=self.member, element=self.elements[0], level=3)
        services.transition_assessment(self.a, "open_consensus", actor=self.manager)
        with self.assertRaisesMessage(ValidationError, "target cannot be below"):
            services.record_consensus(
                self.a, actor=self.manager, element=self.elements[0], level=3, target_level=2
            )

    def test_member_cannot_record_consensus(self) -> None:
        self.start()
        services.save_rating(self.a, actor=self.member, element=self.elements[0], level=3)
        services.transition_assessment(self.a, "open_consensus", actor=self.manager)
        with self.assertRaises(NotAllowed):
            services.record_consensus(self.a, actor=self.member, element=self.elements[0], level=3)

    def test_facilitator_runs_the_assessment_whatever_their_role(self) -> None:
        with audit.context("cli"):
            a = make_assessment(self.org_a, self.manager, facilitator=self.owner)
        services.add_assessor(a, actor=self.owner, user=self.member)
        services.transition_assessment(a, "start_rating", actor=self.owner)
        self.assertEqual(a.status, AssessmentStatus.RATING)

    def test_rating_page_saves_all_or_nothing_and_submits(self) -> None:
        self.start()
        self.login(self.member)
        url = reverse("assessment:assessment_rate", args=[self.a.pk])
        page = self.client.get(url)
        self.assertContains(page, self.elements[0].title)
        bad = {f"level-{self.elements[0].pk}": "3", f"crit-{self.elements[1].pk}": "999999"}
        self.assertEqual(self.client.post(url, bad).status_code, 400)
        self.assertFalse(Rating.objects.filter(assessment=self.a).exists())
        data = {f"level-{e.pk}": "2" for e in self.elements}
        data[f"comment-{self.elements[0].pk}"] = "Only customers are really known."
        data["submit"] = "1"
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(
            Rating.objects.filter(assessment=self.a, assessor=self.member).count(), len(self.elements)
        )
        self.assertIsNotNone(self.a.assessors.get(user=self.member).submitted_at)

    def test_consensus_page_records_levels_for_the_facilitator(self) -> None:
        self.start()
        e = self.elements[0]
        services.save_rating(self.a, actor=self.member, element=e, level=2)
        services.transition_assessment(self.a, "open_consensus", actor=self.manager)
        self.login(self.manager)
        url = reverse("assessment:assessment_consensus", args=[self.a.pk])
        self.assertContains(self.client.get(url), "Spread and consensus")
        response = self.client.post(url, {f"level-{e.pk}": "2", f"target-{e.pk}": "4"})
        self.assertEqual(response.status_code, 302)
        result = self.a.results.get(element=e)
        self.assertEqual((result.level, result.target_level, result.gap), (2, 4, 2))


class EvidenceLinkTests(QualitasTestCase):
    def test_only_web_and_internal_links_are_accepted_as_evidence(self) -> None:
        with audit.context("cli"):
            a = make_assessment(self.org_a, self.manager, mode="quick")
            services.add_assessor(a, actor=self.manager, user=self.member)
            services.transition_assessment(a, "start_rating", actor=self.manager)
        element = queries.elements_in_scope(a).first()
        with self.assertRaisesMessage(ValidationError, "Evidence links must start with"):
            services.save_rating(
                a, actor=self.member, element=element, level=2, evidence="javascript:alert(1)"
            )
        rating = services.save_rating(
            a,
            actor=self.member,
            element=element,
            level=2,
            evidence="https://intranet.example/kpi\n/documents/12/\n",
        )
        self.assertEqual(rating.evidence_links, ["https://intranet.example/kpi", "/documents/12/"])


class QuickModeTests(QualitasTestCase):
    def test_quick_mode_rates_one_key_question_per_clause_on_the_page(self) -> None:
        with audit.context("cli"):
            a = make_assessment(self.org_a, self.manager, mode="quick")
            services.add_assessor(a, actor=self.manager, user=self.member)
            services.transition_assessment(a, "start_rating", actor=self.manager)
        keys = list(queries.elements_in_scope(a))
        self.assertEqual([k.number for k in keys], ["5", "6", "7", "8", "9", "10", "11"])
        self.login(self.member)
        url = reverse("assessment:assessment_rate", args=[a.pk])
        self.assertContains(self.client.get(url), keys[0].question)
        response = self.client.post(url, {f"level-{k.pk}": "3" for k in keys} | {"submit": "1"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(sorted(Rating.objects.filter(assessment=a).values_list("level", flat=True)), [3] * 7)


class HeldBackHintTests(QualitasTestCase):
    def test_rate_page_explains_criteria_held_back_by_a_gap(self) -> None:
        with audit.context("cli"):
            a = make_assessment(self.org_a, self.manager, mode="small")
            services.add_assessor(a, actor=self.manager, user=self.member)
            services.transition_assessment(a, "start_rating", actor=self.manager)
        element = queries.elements_in_scope(a).first()
        ids = list(
            Criterion.objects.filter(level__element=element, level__number__in=(1, 3)).values_list(
                "pk", flat=True
            )
        )
        services.save_rating(a, actor=self.member, element=element, met_criteria=ids)
        self.login(self.member)
        response = self.client.get(reverse("assessment:assessment_rate", args=[a.pk]))
        self.assertContains(response, "ticked above level 1 will count once every statement of level 2")
