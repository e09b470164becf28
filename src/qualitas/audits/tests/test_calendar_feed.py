"""The iCalendar feed: reachable with a member's secret address, only that organization's events."""

import datetime as dt

from django.urls import reverse

from qualitas.audits import services
from qualitas.audits.calendar import Event, fold, render
from qualitas.audits.tests.factories import make_audit
from qualitas.core import audit as trail
from qualitas.core.testing import QualitasTestCase


class ICalendarFormatTests(QualitasTestCase):
    def test_events_are_all_day_with_escaped_text_and_folded_lines(self) -> None:
        body = render(
            [
                Event(
                    uid="a-1@x",
                    start=dt.date(2026, 3, 10),
                    end=dt.date(2026, 3, 11),
                    summary="Audit AUD-1: Purchasing, receiving; stores",
                    description="x" * 200,
                )
            ],
            name="Test",
        )
        self.assertTrue(body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        self.assertIn("DTSTART;VALUE=DATE:20260310", body)
        self.assertIn("DTEND;VALUE=DATE:20260312", body)  # exclusive end
        self.assertIn("SUMMARY:Audit AUD-1: Purchasing\\, receiving\\; stores", body)
        self.assertTrue(all(len(line.encode()) <= 75 for line in body.split("\r\n")))
        self.assertTrue(body.endswith("END:VCALENDAR\r\n"))

    def test_folding_keeps_multibyte_characters_whole(self) -> None:
        folded = fold("DESCRIPTION:" + "ä" * 80)
        self.assertEqual(folded.replace("\r\n ", ""), "DESCRIPTION:" + "ä" * 80)


class CalendarFeedTests(QualitasTestCase):
    def setUp(self) -> None:
        with trail.context("cli"):
            self.mine = make_audit(self.org_a, self.manager, title="Our purchasing audit")
            self.theirs = make_audit(self.org_b, self.outsider, title="Their secret audit")

    def test_member_subscribes_and_sees_only_their_organization(self) -> None:
        sub = services.calendar_subscription(self.org_a, actor=self.viewer)
        self.client.logout()
        response = self.client.get(reverse("audits:calendar_feed", args=[sub.token]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/calendar"))
        body = response.content.decode()
        self.assertIn("Our purchasing audit", body)
        self.assertNotIn("Their secret audit", body)

    def test_outsider_token_shows_only_the_other_organization(self) -> None:
        sub = services.calendar_subscription(self.org_b, actor=self.outsider)
        body = self.client.get(reverse("audits:calendar_feed", args=[sub.token])).content.decode()
        self.assertIn("Their secret audit", body)
        self.assertNotIn("Our purchasing audit", body)

    def test_unknown_reset_or_revoked_address_is_404(self) -> None:
        sub = services.calendar_subscription(self.org_a, actor=self.member)
        old = sub.token
        self.assertEqual(self.client.get(reverse("audits:calendar_feed", args=["nope"])).status_code, 404)
        services.calendar_subscription(self.org_a, actor=self.member, reset=True)
        self.assertEqual(self.client.get(reverse("audits:calendar_feed", args=[old])).status_code, 404)
        sub.refresh_from_db()
        membership = self.member.memberships.get(organization=self.org_a)
        membership.is_active = False
        membership.save()
        self.assertEqual(self.client.get(reverse("audits:calendar_feed", args=[sub.token])).status_code, 404)

    def test_calendar_page_creates_the_address(self) -> None:
        self.login(self.viewer)
        self.client.post(reverse("audits:calendar"))
        response = self.client.get(reverse("audits:calendar"))
        self.assertContains(response, "/audits/calendar/")
        self.assertContains(response, ".ics")
