"""Scope profiles and applicability: N/A needs a justification, implausible N/A is flagged."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing.world import QualitasTestCase
from qualitas.standards import queries, services, soa
from qualitas.standards.choices import ScopeProfile
from qualitas.standards.models import Requirement
from qualitas.standards.rules import implausible_reasons

SCOPE = {"statement": "CNC machining to customer drawings.", "sites": "Plant 1", "products_services": "Parts"}


class ScopeRuleTests(QualitasTestCase):
    def save_scope(self, profile: str, **kwargs: object) -> list[str]:
        with audit.context("cli"):
            _scope, warnings = services.save_scope(
                self.org_a, actor=self.manager, data={**SCOPE, "profile": profile}, **kwargs
            )
        return warnings

    def test_production_profile_makes_8_3_and_its_subclauses_not_applicable_with_the_justification(
        self,
    ) -> None:
        self.save_scope(ScopeProfile.PRODUCTION, design_justification="We build to customer drawings only.")
        na = Requirement.objects.filter(organization=self.org_a, applicable=False)
        self.assertEqual(
            sorted(na.values_list("clause__number", flat=True)),
            ["8.3.1", "8.3.2", "8.3.3", "8.3.4", "8.3.5", "8.3.6"],
        )
        self.assertEqual({r.justification for r in na}, {"We build to customer drawings only."})
        self.assertEqual(
            Requirement.objects.filter(organization=self.org_a).count(), queries.auditable_clauses().count()
        )

    def test_production_profile_is_never_called_iso_9002(self) -> None:
        label = ScopeProfile.PRODUCTION.label
        self.assertIn("ISO 9001:2015", label)
        self.assertIn("8.3 not applicable", label)
        self.assertNotIn("9002", label)

    def test_production_profile_without_a_justification_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as ctx, audit.context("cli"):
            services.save_scope(self.org_a, actor=self.manager, data={**SCOPE, "profile": "production"})
        self.assertIn("design_justification", ctx.exception.message_dict)
        self.assertIsNone(queries.scope_of(self.org_a))

    def test_switching_back_to_full_puts_design_in_scope_again(self) -> None:
        self.save_scope(ScopeProfile.PRODUCTION, design_justification="No design.")
        self.save_scope(ScopeProfile.FULL)
        self.assertFalse(Requirement.objects.filter(organization=self.org_a, applicable=False).exists())

    def test_not_applicable_without_justification_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as ctx, audit.context("cli"):
            services.set_applicability(
                self.org_a, "8.5.5", actor=self.manager, applicable=False, justification=" "
            )
        self.assertIn("justification", ctx.exception.message_dict)
        self.assertFalse(Requirement.objects.filter(organization=self.org_a, applicable=False).exists())

    def test_the_database_also_refuses_na_without_justification(self) -> None:
        from django.db import IntegrityError, transaction

        req = Requirement(
            organization=self.org_a, clause=queries.clauses().get(number="8.5.5"), applicable=False
        )
        with self.assertRaises(IntegrityError), transaction.atomic():
            req.save()

    def test_excluding_8_4_is_warned_as_implausible(self) -> None:
        with audit.context("cli"):
            warnings = services.set_applicability(
                self.org_a, "8.4.1", actor=self.manager, applicable=False, justification="We buy nothing."
            )
        self.assertTrue(any("8.4" in w for w in warnings))

    def test_excluding_design_while_design_is_outsourced_is_warned(self) -> None:
        warnings = self.save_scope(
            ScopeProfile.PRODUCTION, design_justification="An engineering firm designs for us."
        )
        self.assertEqual(warnings, [])
        with audit.context("cli"):
            scope = queries.scope_of(self.org_a)
            _scope, warnings = services.save_scope(
                self.org_a,
                actor=self.manager,
                data={**SCOPE, "profile": "production", "outsourced_design": True},
                expected_version=scope.version,
            )
        self.assertTrue(any("outsourced" in w for w in warnings))
        rows = {r["number"]: r for r in soa.statement(self.org_a)["rows"]}
        self.assertTrue(rows["8.3.2"]["warnings"])

    def test_plausibility_rules(self) -> None:
        self.assertEqual(implausible_reasons("8.5.5"), [])
        self.assertEqual(implausible_reasons("7.1.5.2"), [])
        self.assertTrue(implausible_reasons("9.3.1"))
        self.assertTrue(implausible_reasons("5.2.1"))
        self.assertTrue(implausible_reasons("8.3.1", outsourced_design=True))
        self.assertEqual(implausible_reasons("8.3.1", outsourced_design=False), [])

    def test_viewer_cannot_change_applicability_and_manager_gets_a_form_error_without_justification(
        self,
    ) -> None:
        self.login(self.viewer)
        url = reverse("standards:applicability", args=["8.5.5"])
        self.assertEqual(self.client.post(url, {"applicable": "0", "justification": "x"}).status_code, 403)
        self.login(self.manager)
        response = self.client.post(url, {"applicable": "0", "justification": ""})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "justification", status_code=400)
        response = self.client.post(
            url, {"applicable": "0", "justification": "Nothing is delivered to be serviced."}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            Requirement.objects.filter(
                organization=self.org_a, clause__number="8.5.5", applicable=False
            ).exists()
        )

    def test_scope_page_setup_through_the_form(self) -> None:
        self.login(self.manager)
        response = self.client.post(
            reverse("standards:scope_edit"), {**SCOPE, "profile": "production", "design_justification": ""}
        )
        self.assertEqual(response.status_code, 400)
        response = self.client.post(
            reverse("standards:scope_edit"),
            {**SCOPE, "profile": "production", "design_justification": "No design."},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(queries.scope_of(self.org_a).profile, "production")
        self.assertNotIn("8.3.1", {c.number for c in queries.applicable_clauses(self.org_a)})

    def test_soa_api_lists_every_clause_and_changes_one(self) -> None:
        client = self.api_client(self.manager)
        response = client.get("/api/statement-of-applicability/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.json()["rows"]), queries.clauses().count())
        bad = client.post(
            "/api/statement-of-applicability/", {"clause": "8.5.5", "applicable": False}, format="json"
        )
        self.assertEqual(bad.status_code, 400)
        ok = client.post(
            "/api/statement-of-applicability/",
            {"clause": "8.4", "applicable": False, "justification": "Nothing bought."},
            format="json",
        )
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertTrue(ok.json()["warnings"])


class ScopeAPITests(QualitasTestCase):
    def test_scope_is_created_through_the_api_and_production_needs_a_justification(self) -> None:
        client = self.api_client(self.manager)
        bad = client.post("/api/scope-statements/", {**SCOPE, "profile": "production"}, format="json")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("design_justification", bad.json()["fields"])
        ok = client.post(
            "/api/scope-statements/",
            {**SCOPE, "profile": "production", "design_justification": "Customer drawings only."},
            format="json",
        )
        self.assertEqual(ok.status_code, 201, ok.content)
        self.assertEqual(self.last_event().source, "api")
        self.assertEqual(
            self.api_client(self.viewer).post("/api/scope-statements/", SCOPE, format="json").status_code, 403
        )
        listed = self.api_client(self.outsider).get("/api/scope-statements/").json()
        self.assertEqual(listed["count"], 0)
