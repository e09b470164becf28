"""Check API responses against the OpenAPI schema the product publishes (Zulip's idea): a field the
serializer returns but the schema does not describe (or of another type) fails the test."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import jsonschema


@lru_cache(maxsize=1)
def openapi_schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    schema: dict[str, Any] = SchemaGenerator().get_schema(  # type: ignore[no-untyped-call]
        request=None, public=True
    )
    return schema


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema objects -> JSON Schema (``nullable`` becomes a union with null)."""
    if isinstance(node, list):
        return [_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    converted = {
        k: _to_json_schema(v) for k, v in node.items() if k not in ("nullable", "readOnly", "writeOnly")
    }
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def _operation(path: str, method: str) -> dict[str, Any]:
    for template, item in openapi_schema()["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
        if re.match(pattern, path) and method in item:
            return item[method]  # type: ignore[no-any-return]
    raise AssertionError(f"{method.upper()} {path} is not described in the OpenAPI schema")


def assert_response_matches_schema(path: str, method: str, status: int, body: Any) -> None:
    path = path.split("?")[0]
    operation = _operation(path, method.lower())
    responses = operation.get("responses", {})
    response = responses.get(str(status))
    if response is None:
        raise AssertionError(f"{method.upper()} {path} answered {status}, which the schema does not list")
    content = response.get("content", {}).get("application/json")
    if content is None:
        return
    components = _to_json_schema(openapi_schema().get("components", {}))
    document = {**_to_json_schema(content["schema"]), "components": components}
    jsonschema.validate(body, document)
