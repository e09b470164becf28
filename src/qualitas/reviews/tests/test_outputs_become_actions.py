"""Each decision of the review is an action with owner and due date, tracked to the next review."""

import datetime as dt

from django.core.exceptions import ValidationError

from qualitas.core import audit as trail
from qualitas.core.testing import QualitasTestCase
from qualitas.reviews import services
from qualitas.reviews.tests.factories import make_output, make_review


class OutputTests(QualitasTestCase):
    def setUp(self) -> None:
        with trail.context("cli"):
            self.review = make_review(self.org_a, self.manager)

    def test_a_decision_creates_an_action_about_the_review(self) -> None:
        output = services.create_output(
            organization=self.org_a,
            actor=self.manager,
            data={
                "review": self.review,
                "kind": "improvement",
                "decision": "Introduce SPC on line 2",
                "owner": self.owner,
                "due_date": dt.date(2026, 10, 1),
            },
        )
        action = output.action
        self.assertEqual(
            (action.owner, action.due_date, action.subject), (self.owner, dt.date(2026, 10, 1), self.review)
        )
        self.assertIn("Introduce SPC on line 2", action.title)

    def test_changing_owner_or_due_date_moves_the_action(self) -> None:
        with trail.context("cli"):
            output = make_output(self.org_a, self.manager, review=self.review)
        services.update_output(
            output, actor=self.manager, data={"owner": self.owner, "due_date": dt.date(2027, 1, 15)}
        )
        output.action.refresh_from_db()
        self.assertEqual((output.action.owner, output.action.due_date), (self.owner, dt.date(2027, 1, 15)))

    def test_owner_must_belong_to_the_organization(self) -> None:
        with self.assertRaises(ValidationError):
            services.create_output(
                organization=self.org_a,
                actor=self.manager,
                data={
                    "review": self.review,
                    "kind": "resources",
                    "decision": "x",
                    "owner": self.outsider,
                    "due_date": dt.date(2026, 10, 1),
                },
            )

    def test_a_viewer_cannot_record_decisions(self) -> None:
        from qualitas.core.exceptions import NotAllowed

        with self.assertRaises(NotAllowed):
            services.create_output(
                organization=self.org_a,
                actor=self.viewer,
                data={
                    "review": self.review,
                    "kind": "resources",
                    "decision": "x",
                    "owner": self.viewer,
                    "due_date": dt.date(2026, 10, 1),
                },
            )
