from django.urls import reverse
from openapi_spec_validator import validate

from qualitas.core.testing import QualitasTestCase


class OpenAPISchemaTests(QualitasTestCase):
    def test_schema_is_valid_openapi_3(self) -> None:
        self.login(self.viewer)
        response = self.client.get(reverse("api-schema"), {"format": "json"})
        self.assertEqual(response.status_code, 200)
        schema = response.json()
        validate(schema)
        self.assertIn("/api/actions/", schema["paths"])

    def test_schema_generation_has_no_warnings(self) -> None:
        from io import StringIO

        from django.core.management import call_command

        err = StringIO()
        call_command("spectacular", "--validate", "--fail-on-warn", stdout=StringIO(), stderr=err)

    def test_swagger_ui_is_served_offline(self) -> None:
        self.login(self.viewer)
        page = self.client.get(reverse("api-docs")).content.decode()
        self.assertNotIn("cdn.jsdelivr", page)
        self.assertIn("/static/drf_spectacular_sidecar/", page)

    def test_unauthenticated_api_is_401_with_the_error_body(self) -> None:
        from rest_framework.test import APIClient

        response = APIClient().get("/api/actions/")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["status"], 401)

    def test_revoked_token_is_refused(self) -> None:
        from qualitas.accounts import services
        from qualitas.accounts.models import ApiToken
        from qualitas.core import audit

        client = self.api_client(self.viewer)
        self.assertEqual(client.get("/api/me/").json()["role"], "viewer")
        with audit.context("cli"):
            services.revoke_token(ApiToken.objects.get(membership__user=self.viewer), actor=None)
        self.assertEqual(client.get("/api/me/").status_code, 401)
