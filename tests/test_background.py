"""The background machinery end to end: the scheduler, the notification centre, mail and the worker's
tasks (django-tasks runs each task at once in tests)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from qualitas.actions import services as action_services
from qualitas.actions.tests.factories import make_action
from qualitas.core import audit
from qualitas.core.background import notices, scheduler
from qualitas.core.background.models import Channel, JobState, Notice
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.world import PASSWORD
from qualitas.documents import services as document_services
from qualitas.documents.tests.factories import make_document

TODAY = dt.date(2026, 3, 10)


def reminders(org, user=None):
    rows = Notice.objects.filter(organization=org, kind="actions.due")
    return rows.filter(recipient=user) if user else rows


class ReminderTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for person in (cls.owner, cls.member):
            person.email = f"{person.username}@example.com"
            person.save(update_fields=["email"])

    def setUp(self) -> None:
        with audit.context("cli"):
            self.action = make_action(
                self.org_a, self.manager, owner=self.owner, due_date=TODAY + dt.timedelta(days=5)
            )

    def sweep(self, today: dt.date = TODAY) -> str:
        with audit.context("job"):
            return notices.send_reminders(self.org_a, today)

    def test_a_sweep_run_twice_sends_nothing_twice(self) -> None:
        self.sweep()
        self.sweep()
        self.assertEqual(reminders(self.org_a).count(), 1)
        notice = reminders(self.org_a).get()
        self.assertEqual(notice.recipient, self.owner)
        self.assertIn("Due in 5 day(s)", notice.title)
        self.assertEqual(len(mail.outbox), 1)  # the kind's default channel is mail at once
        self.assertIsNotNone(notice.__class__.objects.get(pk=notice.pk).mailed_at)

    def test_offsets_one_reminder_each_and_none_before_the_first(self) -> None:
        self.sweep(TODAY - dt.timedelta(days=3))  # 8 days ahead: too early
        self.assertEqual(reminders(self.org_a).count(), 0)
        for day in (
            TODAY,
            TODAY + dt.timedelta(days=4),
            TODAY + dt.timedelta(days=5),
            TODAY + dt.timedelta(days=9),
        ):
            self.sweep(day)
            self.sweep(day)
        keys = sorted(n.key.rsplit(":", 1)[1] for n in reminders(self.org_a))
        self.assertEqual(keys, ["0", "1", "7"])  # 7 days, 1 day, on the day; overdue days add none

    def test_reassignment_cancels_the_old_owners_reminder_and_tells_the_new_owner(self) -> None:
        self.sweep()
        with audit.context("cli"):
            action_services.update_action(
                self.action,
                actor=self.manager,
                data={"title": self.action.title, "owner": self.member, "due_date": self.action.due_date},
            )
        self.sweep()
        old = reminders(self.org_a, self.owner).get()
        self.assertIsNotNone(old.cancelled_at)
        self.assertEqual(notices.unread_count(self.org_a, self.owner), 0)
        self.assertEqual(reminders(self.org_a, self.member).filter(cancelled_at__isnull=True).count(), 1)
        self.sweep()
        self.assertEqual(reminders(self.org_a).count(), 2)

    def test_a_moved_due_date_gives_a_new_reminder_and_a_closed_item_none(self) -> None:
        self.sweep()
        with audit.context("cli"):
            action_services.update_action(
                self.action,
                actor=self.manager,
                data={
                    "title": self.action.title,
                    "owner": self.owner,
                    "due_date": TODAY + dt.timedelta(days=2),
                },
            )
        self.sweep()
        live = reminders(self.org_a, self.owner).filter(cancelled_at__isnull=True).get()
        self.assertEqual(live.due, TODAY + dt.timedelta(days=2))
        with audit.context("cli"):
            action_services.complete_action(self.action, actor=self.owner, note="Done")
        self.sweep(TODAY + dt.timedelta(days=2))
        self.assertEqual(reminders(self.org_a, self.owner).filter(cancelled_at__isnull=True).count(), 0)
        self.assertEqual(reminders(self.org_a).count(), 2)

    def test_a_crash_mid_delivery_then_a_retry_completes_without_duplicates(self) -> None:
        with audit.context("cli"):
            for n in range(3):
                make_action(self.org_a, self.manager, owner=self.member, title=f"Task {n}", due_date=TODAY)
        real = notices.mail.send
        calls = {"n": 0}

        def flaky(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise ConnectionError("mail server went away")
            return real(*args, **kwargs)

        with mock.patch.object(notices.mail, "send", side_effect=flaky), self.assertRaises(ConnectionError):
            self.sweep()
        self.assertEqual(len(mail.outbox), 1)
        self.sweep()
        self.assertEqual(reminders(self.org_a).count(), 4)
        self.assertEqual(len(mail.outbox), 4)
        self.assertEqual(len({m.to[0] + m.subject for m in mail.outbox}), 4)
        self.assertFalse(reminders(self.org_a).filter(mail_pending=True).exists())

    def test_mail_links_are_absolute_with_text_and_html_parts(self) -> None:
        with override_settings(QUALITAS_BASE_URL="https://qms.example.com"):
            self.sweep()
        message = mail.outbox[0]
        link = f"https://qms.example.com{self.action.get_absolute_url()}"
        self.assertIn(link, message.body)
        html, kind = message.alternatives[0]
        self.assertEqual(kind, "text/html")
        self.assertIn(f'href="{link}"', html)
        self.assertNotIn(" /actions/", message.body)

    def test_digest_channel_collects_the_days_notices_in_one_mail(self) -> None:
        notices.set_preferences(self.org_a, self.owner, {"actions.due": Channel.DIGEST})
        with audit.context("cli"):
            make_action(self.org_a, self.manager, owner=self.owner, title="Second", due_date=TODAY)
        self.sweep()
        self.assertEqual(len(mail.outbox), 0)
        notices.send_digests(self.org_a, TODAY)
        notices.send_digests(self.org_a, TODAY)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Second", mail.outbox[0].body)

    def test_in_app_only_sends_no_mail(self) -> None:
        notices.set_preferences(self.org_a, self.owner, {"actions.due": Channel.IN_APP})
        self.sweep()
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(notices.unread_count(self.org_a, self.owner), 1)


class SchedulerTests(QualitasTestCase):
    def test_the_scheduler_makes_a_revision_effective_on_its_date_once(self) -> None:
        today = timezone.localdate()
        with audit.context("cli"):
            document = make_document(self.org_a, self.owner, approvers=[self.manager])
            revision = document.revisions.get()
            document_services.transition_revision(revision, "submit", actor=self.owner)
            document_services.sign_revision(
                revision, actor=self.manager, password=PASSWORD, meaning="approved"
            )
        document_services.release_revision(
            revision, actor=self.manager, effective_date=today + dt.timedelta(days=2)
        )
        revision.refresh_from_db()
        self.assertEqual(revision.status, "approved")
        now = timezone.now()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertGreater(scheduler.tick(now=now), 0)
        revision.refresh_from_db()
        self.assertEqual(revision.status, "approved")  # not yet its day
        state = JobState.objects.get(organization=self.org_a, key="documents.activate_effective")
        self.assertEqual(state.status, "ok")
        self.assertGreater(state.next_run_at, now)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(scheduler.tick(now=now), 0)  # nothing is due twice
        later = now + dt.timedelta(days=2, hours=1)
        with self.captureOnCommitCallbacks(execute=True):
            scheduler.tick(now=later)
        revision.refresh_from_db()
        self.assertEqual(revision.status, "effective")
        event = AuditEvent.objects.filter(organization=self.org_a, object_id=revision.pk).latest("seq")
        self.assertEqual(event.source, "job")
        state.refresh_from_db()
        self.assertIn("1 revision(s) made effective", state.last_result)

    def test_a_failed_run_records_why_and_a_crashed_claim_is_taken_again(self) -> None:
        with mock.patch("qualitas.standards.readiness.compute", side_effect=RuntimeError("no catalog")):
            state = scheduler.run_job(self.org_a, "standards.readiness_snapshot")
        self.assertEqual(state.status, "failed")
        self.assertIn("RuntimeError: no catalog", state.last_failure)
        now = timezone.now()
        self.assertTrue(scheduler.claim(self.org_a, "core.digest", now=now))
        self.assertFalse(scheduler.claim(self.org_a, "core.digest", now=now))  # queued: not claimed twice
        stale = now + scheduler.STALE_AFTER + dt.timedelta(minutes=1)
        self.assertTrue(scheduler.claim(self.org_a, "core.digest", now=stale))  # its worker died

    def test_next_run_daily_at_the_jobs_hour(self) -> None:
        with override_settings(QUALITAS_JOBS_HOUR=2, TIME_ZONE="UTC"):
            after = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)
            self.assertEqual(
                scheduler.next_run("daily", after), dt.datetime(2026, 3, 11, 2, 0, tzinfo=dt.UTC)
            )
            self.assertEqual(
                scheduler.next_run("hourly", after), dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)
            )
            self.assertEqual(scheduler.next_run("weekly", after).weekday(), 0)

    def test_jobs_page_is_for_administrators(self) -> None:
        self.login(self.member)
        self.assertEqual(self.client.get(reverse("core:jobs")).status_code, 403)
        self.login(self.admin)
        page = self.client.get(reverse("core:jobs"))
        self.assertContains(page, "documents.activate_effective")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("core:jobs"), {"key": "standards.readiness_snapshot"})
        self.assertEqual(
            JobState.objects.get(organization=self.org_a, key="standards.readiness_snapshot").status, "ok"
        )
        self.assertEqual(self.client.post(reverse("core:jobs"), {"key": "nope"}).status_code, 404)


class NoticePageTests(QualitasTestCase):
    def setUp(self) -> None:
        self.mine = notices.notify(
            self.org_a, self.owner, "core.job_done", key="t:1", title="Pack ready", url="/"
        )
        self.other = notices.notify(
            self.org_b, self.outsider, "core.job_done", key="t:1", title="B's", url="/"
        )

    def test_notify_is_once_per_key(self) -> None:
        self.assertIsNone(notices.notify(self.org_a, self.owner, "core.job_done", key="t:1", title="again"))
        self.assertIsNone(
            notices.notify(self.org_a, self.outsider, "core.job_done", key="t:2", title="no member")
        )

    def test_bell_list_and_mark_read(self) -> None:
        self.login(self.owner)
        self.assertContains(self.client.get(reverse("core:notice_bell")), ">1<")
        self.assertContains(self.client.get(reverse("core:notices")), "Pack ready")
        self.client.post(reverse("core:notice_read", args=[self.mine.pk]))
        self.assertEqual(notices.unread_count(self.org_a, self.owner), 0)

    def test_another_organizations_or_persons_notice_is_404(self) -> None:
        self.login(self.owner)
        self.assertEqual(self.client.post(reverse("core:notice_read", args=[self.other.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("core:notices")), "B's")
        self.login(self.manager)
        self.assertEqual(self.client.post(reverse("core:notice_read", args=[self.mine.pk])).status_code, 404)
        self.assertIsNone(Notice.objects.get(pk=self.mine.pk).read_at)

    def test_preferences_page_keeps_the_choice(self) -> None:
        self.login(self.owner)
        self.assertEqual(self.client.get(reverse("core:notice_preferences")).status_code, 200)
        self.assertEqual(
            self.client.post(reverse("core:notice_preferences"), {"actions.due": "pigeon"}).status_code, 400
        )
        data = dict.fromkeys(notices.registry.notice_kinds, Channel.IN_APP)
        data["actions.due"] = Channel.DIGEST
        self.client.post(reverse("core:notice_preferences"), data)
        self.assertEqual(
            notices.channels_of(self.org_a, [self.owner.pk])[(self.owner.pk, "actions.due")], "digest"
        )


class PackTaskTests(QualitasTestCase):
    def test_the_evidence_pack_is_built_by_a_task_and_its_owner_told(self) -> None:
        from qualitas.standards import services as standards_services

        with (
            override_settings(QUALITAS_TASKS_IN_BACKGROUND=True),
            self.captureOnCommitCallbacks(execute=True),
        ):
            job = standards_services.start_pack_job(self.org_a, actor=self.manager)
        job.refresh_from_db()
        self.assertEqual(job.status, "done")
        self.assertTrue(
            Notice.objects.filter(
                organization=self.org_a, recipient=self.manager, key=f"standards.pack:{job.pk}"
            ).exists()
        )
