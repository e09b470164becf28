from qualitas.core import audit
from qualitas.core.exceptions import TransitionError
from qualitas.core.testing import QualitasTestCase
from qualitas.improvement import services
from qualitas.improvement.tests.factories import make_opportunity


class OpportunityPDCATests(QualitasTestCase):
    def test_anyone_raises_managers_triage_and_each_pdca_step_needs_its_note(self) -> None:
        with audit.context("web"):
            opp = make_opportunity(self.org_a, self.member)
        self.assertEqual((opp.status, opp.raised_by), ("proposed", self.member))
        with self.assertRaises(TransitionError):
            services.transition_opportunity(opp, "accept", actor=self.member)
        with audit.context("cli"):
            services.transition_opportunity(opp, "accept", actor=self.owner)
            with self.assertRaisesMessage(TransitionError, "Write the plan"):
                services.transition_opportunity(opp, "do", actor=self.owner)
            services.transition_opportunity(opp, "do", actor=self.owner, note="Trial for a month")
            services.transition_opportunity(opp, "check", actor=self.owner, note="Done")
            services.transition_opportunity(opp, "act", actor=self.owner, note="Halved")
            services.transition_opportunity(opp, "finish", actor=self.owner, note="Standard now")
            action = services.add_opportunity_action(
                opp, actor=self.owner, data={"title": "Roll out", "kind": "improvement", "owner": self.owner}
            )
        self.assertEqual(opp.status, "done")
        self.assertEqual(opp.plan_notes, "Trial for a month")
        self.assertEqual(action.subject, opp)

    def test_rejecting_needs_a_reason(self) -> None:
        with audit.context("cli"):
            opp = make_opportunity(self.org_a, self.member)
            with self.assertRaisesMessage(TransitionError, "reason is required"):
                services.transition_opportunity(opp, "reject", actor=self.manager)
