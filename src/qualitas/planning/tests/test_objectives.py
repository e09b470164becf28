import datetime as dt

from django.urls import reverse

from qualitas.actions.models import Action
from qualitas.core.testing import QualitasTestCase
from qualitas.planning import services
from qualitas.planning.tests.factories import make_kpi, make_objective, make_policy


class ObjectiveTests(QualitasTestCase):
    def test_objective_page_shows_its_kpis_with_status_and_its_plan(self) -> None:
        policy = make_policy(self.org_a, self.manager)
        objective = make_objective(self.org_a, self.manager, policy=policy)
        kpi = make_kpi(self.org_a, self.manager, objective=objective, name="On-time delivery")
        services.record_measurement(kpi, actor=self.manager, period=dt.date(2026, 1, 1), value=91)
        self.login(self.member)
        response = self.client.post(
            reverse("planning:objective_action_add", args=[objective.pk]),
            {"title": "Second shift", "owner": self.owner.pk, "priority": "normal"},
        )
        self.assertEqual(response.status_code, 403)  # a member who does not own it cannot plan
        self.login(self.manager)
        response = self.client.post(
            reverse("planning:objective_action_add", args=[objective.pk]),
            {"title": "Second shift", "owner": self.owner.pk, "priority": "normal"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Action.objects.get(title="Second shift").subject, objective)
        page = self.client.get(objective.get_absolute_url())
        self.assertContains(page, kpi.get_absolute_url())
        self.assertContains(page, "At risk")
        self.assertContains(page, "Second shift")
        self.assertContains(page, policy.get_absolute_url())

    def test_the_objective_owner_may_edit_it(self) -> None:
        objective = make_objective(self.org_a, self.manager, owner=self.member)
        self.login(self.member)
        response = self.client.post(
            reverse("planning:objective_edit", args=[objective.pk]),
            {
                "title": objective.title,
                "target": "96 %",
                "owner": self.member.pk,
                "status": "active",
                "version": objective.version,
            },
        )
        self.assertEqual(response.status_code, 302)
