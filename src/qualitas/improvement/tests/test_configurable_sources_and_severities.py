"""A nonconformity's source and severity come from the organization's own lists."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.improvement import queries, services
from qualitas.improvement.choices import default_severities, default_sources
from qualitas.improvement.models import ImprovementSettings, Nonconformity
from qualitas.improvement.tests.factories import make_nc

SOURCES_TEXT = "\n".join(f"{e['code']} | {e['label']}" for e in default_sources())
SEVERITIES_TEXT = "\n".join(f"{e['code']} | {e['label']}" for e in default_severities())


def add_source(org: Any, actor: Any, code: str, label: str, **extra: Any) -> ImprovementSettings:
    entries = [*default_sources(), {"code": code, "label": label, **extra}]
    return services.save_settings(org, actor=actor, data={"sources": entries})


class ConfigurableSourceTests(QualitasTestCase):
    def test_an_added_source_is_accepted_and_its_label_shown_on_pages(self) -> None:
        self.login(self.manager)
        response = self.client.post(
            reverse("improvement:settings"),
            {
                "recurrence_window_days": "365",
                "independent_verification": "on",
                "sources": SOURCES_TEXT + "\nfield_return | Field return from a dealer",
                "severities": SEVERITIES_TEXT,
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.last_event().action, "improvementsettings.create")
        self.assertContains(self.client.get(reverse("improvement:settings")), "field_return | Field return")
        form = self.client.get(reverse("improvement:nonconformity_add"))
        self.assertContains(form, "Field return from a dealer")
        response = self.client.post(
            reverse("improvement:nonconformity_add"),
            {"title": "Housing cracked", "source": "field_return", "severity": "minor"},
        )
        self.assertEqual(response.status_code, 302)
        nc = Nonconformity.objects.get(organization=self.org_a, title="Housing cracked")
        self.assertEqual(nc.source, "field_return")
        self.assertContains(self.client.get(nc.get_absolute_url()), "Field return from a dealer")
        listed = self.client.get(reverse("improvement:nonconformity_list"), {"source": "field_return"})
        self.assertContains(listed, nc.reference)

    def test_an_added_severity_is_accepted_through_the_api_and_labelled_in_the_list(self) -> None:
        entries = [{"code": "safety", "label": "Safety-relevant"}, *default_severities()]
        services.save_settings(self.org_a, actor=self.manager, data={"severities": entries})
        response = self.api_client(self.member).post(
            reverse("nonconformity-list"), {"title": "Guard missing", "severity": "safety"}, format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.login(self.member)
        self.assertContains(self.client.get(reverse("improvement:nonconformity_list")), "Safety-relevant")

    def test_an_unknown_code_is_refused_naming_the_field(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.open_nonconformity(
                organization=self.org_a, actor=self.member, data={"title": "X", "source": "rumour"}
            )
        self.assertIn("source", caught.exception.message_dict)
        response = self.api_client(self.member).post(
            reverse("nonconformity-list"), {"title": "X", "severity": "apocalyptic"}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("severity", response.json()["fields"])
        self.login(self.member)
        response = self.client.post(
            reverse("improvement:nonconformity_add"), {"title": "X", "source": "rumour", "severity": "minor"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("source", response.context["form"].errors)

    def test_a_code_in_use_cannot_be_removed_only_retired(self) -> None:
        add_source(self.org_a, self.manager, "field_return", "Field return")
        nc = make_nc(self.org_a, self.manager, source="field_return")
        with self.assertRaises(ValidationError) as caught:
            services.save_settings(self.org_a, actor=self.manager, data={"sources": default_sources()})
        self.assertIn("sources", caught.exception.message_dict)
        add_source(self.org_a, self.manager, "field_return", "Field return (old)", retired=True)
        with self.assertRaises(ValidationError):
            make_nc(self.org_a, self.manager, source="field_return")
        # The record that holds the retired code keeps it when edited.
        services.update_nonconformity(nc, actor=self.manager, data={"source": "field_return", "title": "Y"})
        kept = Nonconformity.objects.get(pk=nc.pk).source
        self.assertEqual(queries.settings_for(self.org_a).labels("source")[kept], "Field return (old)")

    def test_built_in_codes_cannot_be_removed_or_retired(self) -> None:
        without_inspection = [e for e in default_sources() if e["code"] != "inspection"]
        with self.assertRaises(ValidationError):
            services.save_settings(self.org_a, actor=self.manager, data={"sources": without_inspection})
        retired = [{**e, "retired": e["code"] == "major"} for e in default_severities()]
        with self.assertRaises(ValidationError):
            services.save_settings(self.org_a, actor=self.manager, data={"severities": retired})

    def test_only_managers_change_the_lists(self) -> None:
        from qualitas.core.exceptions import NotAllowed

        with self.assertRaises(NotAllowed):
            add_source(self.org_a, self.member, "field_return", "Field return")
        self.login(self.member)
        response = self.client.post(reverse("improvement:settings"), {"sources": SOURCES_TEXT})
        self.assertEqual(response.status_code, 403)

    def test_the_contract_still_accepts_the_default_codes(self) -> None:
        add_source(self.org_a, self.manager, "field_return", "Field return")
        for source in ("inspection", "internal_audit", "customer_complaint", "supplier"):
            for severity in ("critical", "major", "minor"):
                nc = services.open_nonconformity(
                    organization=self.org_a,
                    actor=self.manager,
                    data={"title": "T", "source": source, "severity": severity},
                )
                self.assertEqual((nc.source, nc.severity), (source, severity))

    def test_another_organizations_custom_source_is_unknown_here(self) -> None:
        add_source(self.org_b, self.outsider, "field_return", "Field return")
        make_nc(self.org_b, self.outsider, source="field_return")
        with self.assertRaises(ValidationError):
            make_nc(self.org_a, self.manager, source="field_return")
        response = self.api_client(self.member).post(
            reverse("nonconformity-list"), {"title": "X", "source": "field_return"}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.login(self.member)
        self.assertNotContains(self.client.get(reverse("improvement:nonconformity_add")), "Field return")
