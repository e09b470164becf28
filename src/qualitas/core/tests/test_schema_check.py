import jsonschema

from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.schema import assert_response_matches_schema


class SchemaCheckTests(QualitasTestCase):
    def test_a_body_that_contradicts_the_schema_fails(self) -> None:
        body = {"count": 1, "next": None, "previous": None, "results": [{"id": "not-a-number", "title": 5}]}
        with self.assertRaises(jsonschema.ValidationError):
            assert_response_matches_schema("/api/actions/", "get", 200, body)

    def test_an_undocumented_path_or_status_fails(self) -> None:
        with self.assertRaisesMessage(AssertionError, "not described"):
            assert_response_matches_schema("/api/nowhere/", "get", 200, {})
        with self.assertRaisesMessage(AssertionError, "does not list"):
            assert_response_matches_schema("/api/actions/", "get", 418, {})
