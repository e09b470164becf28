from django.core import mail  # noqa: F401 - keeps the mail outbox import side effects consistent
from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitas.actions.models import Action
from qualitas.core.exceptions import TransitionError
from qualitas.core.testing import QualitasTestCase
from qualitas.planning import services
from qualitas.planning.models import Risk
from qualitas.planning.tests.factories import make_process, make_risk


class RiskLevelTests(QualitasTestCase):
    def test_levels_are_computed_on_the_organizations_matrix(self) -> None:
        risk = make_risk(
            self.org_a,
            self.manager,
            likelihood=3,
            impact=4,
            residual_likelihood=1,
            residual_impact=4,
            treatment="reduce",
        )
        self.assertEqual((risk.inherent_score, risk.inherent_level), (12, "high"))
        self.assertEqual((risk.residual_score, risk.residual_level), (4, "low"))
        self.assertEqual(risk.level, "low")

    def test_ratings_above_the_matrix_size_are_refused(self) -> None:
        services.update_settings(self.org_a, actor=self.manager, data={"matrix_size": 3})
        with self.assertRaises(ValidationError) as ctx:
            make_risk(self.org_a, self.manager, likelihood=4, impact=2)
        self.assertIn("likelihood", ctx.exception.message_dict)

    def test_shrinking_the_matrix_is_refused_while_risks_use_higher_ratings(self) -> None:
        make_risk(self.org_a, self.manager, likelihood=5, impact=1)
        with self.assertRaises(ValidationError):
            services.update_settings(self.org_a, actor=self.manager, data={"matrix_size": 4})

    def test_changing_the_matrix_rescores_every_risk_with_an_audit_event(self) -> None:
        risk = make_risk(self.org_a, self.manager, likelihood=3, impact=3)  # 9 of 25: medium
        self.assertEqual(risk.level, "medium")
        services.update_settings(self.org_a, actor=self.admin, data={"matrix_size": 3})
        risk.refresh_from_db()
        self.assertEqual(risk.level, "critical")
        self.assertTrue(any(e.action == "risk.rescore" for e in self.events_for(risk)))

    def test_treatment_must_suit_the_kind(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            make_risk(self.org_a, self.manager, kind="opportunity", treatment="avoid")
        self.assertIn("treatment", ctx.exception.message_dict)
        with self.assertRaises(ValidationError):
            make_risk(self.org_a, self.manager, kind="risk", treatment="pursue")
        self.assertEqual(
            make_risk(self.org_a, self.manager, kind="opportunity", treatment="share").treatment, "share"
        )

    def test_residual_needs_both_ratings(self) -> None:
        with self.assertRaises(ValidationError):
            make_risk(self.org_a, self.manager, residual_likelihood=2)

    def test_a_process_of_another_organization_cannot_be_linked(self) -> None:
        theirs = make_process(self.org_b, self.outsider)
        with self.assertRaises(ValidationError):
            make_risk(self.org_a, self.manager, process=theirs)


class RiskAcceptanceTests(QualitasTestCase):
    def test_quality_manager_accepts_with_an_audited_transition(self) -> None:
        risk = make_risk(self.org_a, self.owner, owner=self.owner, treatment="accept")
        services.transition_risk(risk, "accept", actor=self.manager, reason="Within appetite")
        risk.refresh_from_db()
        self.assertEqual(risk.status, "accepted")
        self.assertEqual(risk.accepted_by, self.manager)
        event = self.last_event()
        self.assertEqual(event.action, "risk.accept")
        self.assertEqual(event.changes["status"], ["open", "accepted"])

    def test_the_owner_cannot_accept_their_own_risk_without_the_authorised_role(self) -> None:
        risk = make_risk(self.org_a, self.owner, owner=self.owner, treatment="accept")
        with self.assertRaises(TransitionError):
            services.transition_risk(risk, "accept", actor=self.owner)

    def test_acceptance_needs_a_treatment(self) -> None:
        risk = make_risk(self.org_a, self.manager)
        with self.assertRaises(TransitionError):
            services.transition_risk(risk, "accept", actor=self.manager)

    def test_acceptance_through_the_api(self) -> None:
        risk = make_risk(self.org_a, self.manager, treatment="transfer")
        url = reverse("risk-detail", args=[risk.pk]) + "transition/accept/"
        self.assertEqual(self.api_client(self.owner).post(url, {}, format="json").status_code, 409)
        response = self.api_client(self.manager).post(url, {}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "accepted")


class RiskTreatmentActionTests(QualitasTestCase):
    def test_treatment_action_is_a_core_action_about_the_risk(self) -> None:
        risk = make_risk(self.org_a, self.manager, treatment="reduce")
        self.login(self.manager)
        response = self.client.post(
            reverse("planning:risk_action_add", args=[risk.pk]),
            {
                "title": "Qualify a second supplier",
                "owner": self.owner.pk,
                "priority": "high",
                "due_date": "2030-06-30",
            },
        )
        self.assertEqual(response.status_code, 302)
        action = Action.objects.get(organization=self.org_a, title="Qualify a second supplier")
        self.assertEqual(action.subject, risk)
        page = self.client.get(risk.get_absolute_url())
        self.assertContains(page, action.reference)

    def test_review_records_the_date_and_effectiveness(self) -> None:
        risk = make_risk(self.org_a, self.manager)
        self.login(self.manager)
        response = self.client.post(
            reverse("planning:risk_review", args=[risk.pk]),
            {"next_review": "2031-01-01", "effectiveness": "effective", "note": "Done"},
        )
        self.assertEqual(response.status_code, 302)
        risk.refresh_from_db()
        self.assertIsNotNone(risk.last_reviewed)
        self.assertEqual(risk.effectiveness, "effective")
        self.assertEqual(self.last_event().action, "risk.review")


class RiskListTests(QualitasTestCase):
    def test_filters_by_process_kind_and_level_and_shows_the_heat_map(self) -> None:
        proc = make_process(self.org_a, self.admin)
        high = make_risk(self.org_a, self.manager, title="Flood", likelihood=4, impact=4, process=proc)
        low = make_risk(self.org_a, self.manager, title="Dust", likelihood=1, impact=1)
        opp = make_risk(
            self.org_a, self.manager, title="New market", kind="opportunity", likelihood=4, impact=4
        )
        self.login(self.viewer)
        url = reverse("planning:risk_list")
        page = self.client.get(url)
        self.assertContains(page, "<svg")
        self.assertContains(page, "Likelihood 5")

        def refs(query: str) -> set[str]:
            body = self.client.get(url + query).content.decode()
            return {r.reference for r in (high, low, opp) if r.get_absolute_url() in body}

        self.assertEqual(refs(f"?process={proc.pk}"), {high.reference})
        self.assertEqual(refs("?kind=opportunity"), {opp.reference})
        self.assertEqual(refs("?level=low"), {low.reference})
        self.assertEqual(refs("?likelihood=4&impact=4&kind=risk"), {high.reference})

    def test_register_exports_as_csv_and_xlsx(self) -> None:
        risk = make_risk(self.org_a, self.manager)
        make_risk(self.org_b, self.outsider, title="Their risk")
        self.login(self.viewer)
        csv = self.client.get(reverse("planning:risk_list") + "?export=csv")
        self.assertEqual(csv.status_code, 200)
        text = csv.content.decode("utf-8-sig")
        self.assertIn(risk.reference, text)
        self.assertNotIn("Their risk", text)
        xlsx = self.client.get(reverse("planning:risk_list") + "?export=xlsx")
        self.assertEqual(xlsx.content[:2], b"PK")

    def test_register_totals_one_row_per_record(self) -> None:
        make_risk(self.org_a, self.manager)
        self.assertEqual(Risk.objects.filter(organization=self.org_a).count(), 1)
