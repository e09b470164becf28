"""Each assessor rates on their own: nobody sees another's ratings until consensus opens, and nobody
outside the organization ever does."""

from django.urls import reverse

from qualitas.assessment import queries, services
from qualitas.assessment.models import Rating
from qualitas.assessment.tests.factories import make_assessment
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase


class RatingConfidentialityTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.a = make_assessment(self.org_a, self.manager, mode="quick")
            for user in (self.manager, self.member, self.owner):
                services.add_assessor(self.a, actor=self.manager, user=user)
            services.transition_assessment(self.a, "start_rating", actor=self.manager)
        self.element = queries.elements_in_scope(self.a).first()
        self.mine = services.save_rating(
            self.a, actor=self.member, element=self.element, level=2, comment="We only react."
        )
        self.theirs = services.save_rating(
            self.a, actor=self.owner, element=self.element, level=4, comment="Secret opinion"
        )

    def api_ids(self, user: object) -> set[int]:
        response = self.api_client(user).get(reverse("rating-list"), {"assessment": self.a.pk})
        self.assertEqual(response.status_code, 200)
        return {row["id"] for row in response.json()["results"]}

    def test_an_assessor_sees_only_their_own_ratings_before_consensus(self) -> None:
        self.assertEqual(self.api_ids(self.member), {self.mine.pk})
        self.assertEqual(self.api_ids(self.manager), set(), "not even the facilitator peeks before consensus")
        other = self.api_client(self.member).get(reverse("rating-detail", args=[self.theirs.pk]))
        self.assertEqual(other.status_code, 404)

    def test_pages_do_not_leak_other_ratings_before_consensus(self) -> None:
        self.login(self.member)
        self.assertNotContains(
            self.client.get(reverse("assessment:assessment_rate", args=[self.a.pk])), "Secret opinion"
        )
        self.login(self.manager)
        for name in (
            "assessment:assessment_consensus",
            "assessment:assessment_results",
            "assessment:assessment",
        ):
            self.assertNotContains(self.client.get(reverse(name, args=[self.a.pk])), "Secret opinion")
        csv = self.client.get(reverse("assessment:assessment_export_csv", args=[self.a.pk]))
        self.assertNotIn(b"Secret opinion", csv.content)

    def test_an_assessor_cannot_edit_someone_elses_rating(self) -> None:
        services.transition_assessment(self.a, "open_consensus", actor=self.manager)
        services.transition_assessment(self.a, "back_to_rating", actor=self.manager, reason="One more round")
        response = self.api_client(self.member).patch(
            reverse("rating-detail", args=[self.theirs.pk]), {"level": 1}, format="json"
        )
        self.assertIn(response.status_code, (403, 404))
        self.theirs.refresh_from_db()
        self.assertEqual(self.theirs.level, 4)

    def test_an_assessor_edits_their_own_rating_through_the_api(self) -> None:
        client = self.api_client(self.member)
        response = client.patch(
            reverse("rating-detail", args=[self.mine.pk]),
            {"level": 3, "version": self.mine.version},
            format="json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["level"], 3)
        self.assertEqual(self.last_event().action, "rating.update")

    def test_creating_a_rating_through_the_api_rates_for_the_caller(self) -> None:
        other = queries.elements_in_scope(self.a)[1]
        response = self.api_client(self.manager).post(
            reverse("rating-list"), {"assessment": self.a.pk, "element": other.pk, "level": 3}, format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Rating.objects.get(pk=response.json()["id"]).assessor, self.manager)

    def test_everyone_in_the_organization_sees_all_ratings_once_consensus_opens(self) -> None:
        services.transition_assessment(self.a, "open_consensus", actor=self.manager)
        self.assertEqual(self.api_ids(self.viewer), {self.mine.pk, self.theirs.pk})
        self.login(self.manager)
        self.assertContains(
            self.client.get(reverse("assessment:assessment_consensus", args=[self.a.pk])), "Secret opinion"
        )

    def test_outsider_never_sees_the_ratings(self) -> None:
        services.transition_assessment(self.a, "open_consensus", actor=self.manager)
        client = self.api_client(self.outsider)
        self.assertEqual(client.get(reverse("rating-list")).json()["results"], [])
        self.assertEqual(client.get(reverse("rating-detail", args=[self.mine.pk])).status_code, 404)
        self.login(self.outsider)
        self.assertEqual(
            self.client.get(reverse("assessment:assessment_consensus", args=[self.a.pk])).status_code, 404
        )


class RatingsOwedTileTests(QualitasTestCase):
    def test_home_reminds_an_assessor_whose_rating_is_awaited_until_they_submit(self) -> None:
        with audit.context("cli"):
            a = make_assessment(self.org_a, self.manager, mode="quick", title="Spring maturity check")
            services.add_assessor(a, actor=self.manager, user=self.member)
            services.transition_assessment(a, "start_rating", actor=self.manager)
        self.login(self.member)
        self.assertContains(self.client.get(reverse("core:home")), "Spring maturity check")
        for e in queries.elements_in_scope(a):
            services.save_rating(a, actor=self.member, element=e, level=2)
        services.submit_ratings(a, actor=self.member)
        self.assertNotContains(self.client.get(reverse("core:home")), "Spring maturity check")
        self.login(self.owner)
        self.assertNotContains(self.client.get(reverse("core:home")), "Spring maturity check")
