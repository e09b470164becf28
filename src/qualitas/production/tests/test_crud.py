"""Products, characteristics, plans and lots: pages and API with tenancy, roles, audit, query counts."""

from typing import Any

from qualitas.core.testing.cases import APITestCases, ViewTestCases
from qualitas.production.models import Characteristic, InspectionPlan, Lot, Product
from qualitas.production.tests.factories import make_characteristic, make_product


class ProductViewTests(
    ViewTestCases.List,
    ViewTestCases.Detail,
    ViewTestCases.Create,
    ViewTestCases.Update,
    ViewTestCases.Delete,
):
    model = Product

    def form_data(self) -> dict[str, Any]:
        return {"part_number": "FL-100", "revision": "A", "name": "Flange", "is_active": "on"}

    def update_data(self, obj: Product) -> dict[str, Any]:
        return {
            "part_number": obj.part_number,
            "revision": obj.revision,
            "name": "Flange (revised)",
            "is_active": "on",
        }


class ProductAPITests(APITestCases.Crud, APITestCases.Delete):
    model = Product

    def api_data(self) -> dict[str, Any]:
        return {"part_number": "BR-9", "name": "Bracket"}

    def api_update_data(self, obj: Product) -> dict[str, Any]:
        return {"customer": "Globex"}


class CharacteristicViewTests(ViewTestCases.Crud):
    model = Characteristic

    def setUp(self) -> None:
        self.product = make_product(self.org_a, self.manager)

    def form_data(self) -> dict[str, Any]:
        product = self.product
        return {
            "product": product.pk,
            "name": "Length",
            "kind": "numeric",
            "lsl": "99.5",
            "usl": "100.5",
            "unit": "mm",
            "acceptance_number": 0,
            "criticality": "major",
            "subgroup_size": 5,
            "chart_type": "xbar_r",
            "signal_action": "create",
        }

    def update_data(self, obj: Characteristic) -> dict[str, Any]:
        return {
            "product": obj.product_id,
            "name": obj.name,
            "kind": "numeric",
            "lsl": "9.9",
            "usl": "10.1",
            "unit": "mm",
            "acceptance_number": 0,
            "criticality": "major",
            "subgroup_size": 5,
            "chart_type": "xbar_r",
            "signal_action": "create",
        }


class CharacteristicAPITests(
    APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update
):
    model = Characteristic

    def api_data(self) -> dict[str, Any]:
        product = make_product(self.org_a, self.manager)
        return {
            "product": product.pk,
            "name": "Bore",
            "lsl": 4.0,
            "usl": 4.2,
            "chart_type": "imr",
            "subgroup_size": 1,
            "rules": ["N1", "N3"],
        }

    def api_update_data(self, obj: Characteristic) -> dict[str, Any]:
        return {"unit": "µm"}


class PlanViewTests(
    ViewTestCases.List,
    ViewTestCases.Detail,
    ViewTestCases.Create,
    ViewTestCases.Update,
    ViewTestCases.Delete,
):
    model = InspectionPlan
    url_prefix = "production:plan"

    def setUp(self) -> None:
        self.ch = make_characteristic(self.org_a, self.manager)

    def form_data(self) -> dict[str, Any]:
        ch = self.ch
        return {
            "product": ch.product_id,
            "name": "Receiving check",
            "stage": "receiving",
            "characteristics": [ch.pk],
            "frequency": "one_in_n",
            "every_n": 10,
            "is_active": "on",
        }

    def update_data(self, obj: InspectionPlan) -> dict[str, Any]:
        return {
            "product": obj.product_id,
            "name": obj.name + " v2",
            "stage": obj.stage,
            "frequency": "per_lot",
            "is_active": "on",
        }


class PlanAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create):
    model = InspectionPlan
    url_prefix = "production:plan"

    def api_data(self) -> dict[str, Any]:
        ch = make_characteristic(self.org_a, self.manager)
        return {
            "product": ch.product_id,
            "name": "In-process",
            "stage": "in_process",
            "items": [{"characteristic": ch.pk, "sample_size": 3, "frequency": "every_unit"}],
        }


class LotViewTests(
    ViewTestCases.List,
    ViewTestCases.Detail,
    ViewTestCases.Create,
    ViewTestCases.Update,
    ViewTestCases.Delete,
):
    model = Lot
    writer = "member"  # an operator opens lots
    deleter = "manager"

    def setUp(self) -> None:
        self.product = make_product(self.org_a, self.manager)

    def form_data(self) -> dict[str, Any]:
        return {"product": self.product.pk, "number": "2026-0042", "quantity": 250}

    def update_data(self, obj: Lot) -> dict[str, Any]:
        return {"product": obj.product_id, "number": obj.number, "quantity": 240, "note": "Recounted"}

    def test_update_records_before_and_after(self) -> None:  # members may not change lots
        self.__class__.writer = "manager"
        try:
            super().test_update_records_before_and_after()
        finally:
            self.__class__.writer = "member"

    def test_stale_version_is_a_conflict_not_a_lost_update(self) -> None:
        self.__class__.writer = "manager"
        try:
            super().test_stale_version_is_a_conflict_not_a_lost_update()
        finally:
            self.__class__.writer = "member"


class LotAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update):
    model = Lot

    def api_data(self) -> dict[str, Any]:
        product = make_product(self.org_a, self.manager)
        return {"product": product.pk, "number": "API-1", "quantity": 10}

    def api_update_data(self, obj: Lot) -> dict[str, Any]:
        return {"quantity": 12}
