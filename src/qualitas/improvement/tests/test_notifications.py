import datetime as dt
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from qualitas.actions.tests.factories import make_action
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.improvement import services
from qualitas.improvement.tests.factories import make_nc


class NotificationTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for user in (cls.owner, cls.member, cls.manager):
            user.email = f"{user.username}@example.com"
            user.save()

    def test_assignment_mail_is_sent_after_commit_only(self) -> None:
        with self.captureOnCommitCallbacks(execute=False) as callbacks, audit.context("cli"):
            nc = make_nc(self.org_a, self.manager, owner=self.owner)
        self.assertEqual(len(mail.outbox), 0)
        for cb in callbacks:
            cb()
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(nc.reference, mail.outbox[0].subject)
        self.assertEqual(mail.outbox[0].to, ["owner@example.com"])

    def test_assignment_mail_links_absolutely_in_text_and_html(self) -> None:
        with (
            self.settings(QUALITAS_BASE_URL="https://qms.example"),
            self.captureOnCommitCallbacks(execute=True),
            audit.context("cli"),
        ):
            nc = make_nc(self.org_a, self.manager, owner=self.owner)
        (message,) = mail.outbox
        link = f"https://qms.example{nc.get_absolute_url()}"
        self.assertIn(link, message.body)
        ((html, kind),) = message.alternatives
        self.assertEqual(kind, "text/html")
        self.assertIn(f'href="{link}"', html)

    def test_a_person_can_turn_assignment_mail_off(self) -> None:
        with audit.context("cli"):
            services.save_preferences(
                self.org_a, actor=self.owner, data={"email_on_assignment": False, "daily_digest": True}
            )
        with self.captureOnCommitCallbacks(execute=True), audit.context("cli"):
            make_nc(self.org_a, self.manager, owner=self.owner)
        self.assertEqual(len(mail.outbox), 0)

    def test_digest_lists_each_persons_overdue_actions_and_respects_opt_out(self) -> None:
        past = timezone.localdate() - dt.timedelta(days=3)
        with audit.context("cli"):
            make_action(self.org_a, self.manager, owner=self.owner, title="Late A", due_date=past)
            make_action(self.org_a, self.manager, owner=self.owner, title="Late B", due_date=past)
            make_action(self.org_a, self.manager, owner=self.member, title="Late C", due_date=past)
            make_action(
                self.org_a,
                self.manager,
                owner=self.owner,
                title="Due tomorrow",
                due_date=timezone.localdate() + dt.timedelta(days=1),
            )
            make_action(self.org_a, self.manager, owner=self.manager, title="Undated", due_date=None)
            make_action(
                self.org_a,
                self.manager,
                owner=self.manager,
                title="Far",
                due_date=past + dt.timedelta(days=30),
            )
            services.save_preferences(
                self.org_a, actor=self.member, data={"email_on_assignment": True, "daily_digest": False}
            )
        call_command("improvement_digest", "--organization", "org-a", stdout=io.StringIO())
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["owner@example.com"])
        self.assertIn("Late A", mail.outbox[0].body)
        self.assertIn("3 days overdue", mail.outbox[0].body)
        self.assertIn("Due tomorrow", mail.outbox[0].body)
        self.assertEqual(mail.outbox[0].subject, "[Organization A] 2 overdue, 1 due soon")
        self.assertEqual(len(mail.outbox[0].alternatives), 1)

    def test_digest_with_unknown_organization_exits_2(self) -> None:
        from django.core.management.base import CommandError

        with self.assertRaises(CommandError) as caught:
            call_command("improvement_digest", "--organization", "nope")
        self.assertEqual(caught.exception.returncode, 2)
