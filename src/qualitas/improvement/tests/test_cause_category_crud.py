"""Root-cause categories: pages and API. A category has no page of its own (its link opens the edit
form), so the pages are list, create, edit and delete."""

from typing import Any

from qualitas.core.testing.cases import APITestCases, ViewTestCases
from qualitas.improvement.models import CauseCategory


class CauseCategoryTests(
    ViewTestCases.List,
    ViewTestCases.Create,
    ViewTestCases.Update,
    ViewTestCases.Delete,
    APITestCases.Crud,
    APITestCases.Delete,
):
    model = CauseCategory

    def form_data(self) -> dict[str, Any]:
        return {"name": "Worn clamping jaws", "description": "Jaws past service life", "six_m": "machine"}

    def update_data(self, obj: CauseCategory) -> dict[str, Any]:
        return {"name": obj.name, "description": "Checked every shift", "six_m": "method", "is_active": "on"}
