"""Products, characteristics and inspection plans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import assert_same_organization, create_record, ensure_member, update_record
from qualitas.production.models import Characteristic, InspectionPlan, PlanItem, Product


def create_product(*, organization: Any, actor: Any, data: dict[str, Any]) -> Product:
    """A product; its process owner (who is given the signals' actions) is an active member."""
    return create_record(Product, organization=organization, actor=actor, data=data, members=("owner",))


def update_product(
    obj: Product, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Product:
    if "owner" in data:
        ensure_member(obj.organization, data["owner"], "owner")
    return update_record(obj, actor=actor, data=data, expected_version=expected_version, reason=reason)


LIMIT_FIELDS = (
    "center",
    "lcl",
    "ucl",
    "spread_center",
    "spread_lcl",
    "spread_ucl",
    "sigma_within",
    "baseline_first",
    "baseline_last",
    "limits_locked_at",
    "limits_locked_by",
)


def create_characteristic(*, organization: Any, actor: Any, data: dict[str, Any]) -> Characteristic:
    data = {k: v for k, v in data.items() if k not in LIMIT_FIELDS}
    return create_record(Characteristic, organization=organization, actor=actor, data=data)


@transaction.atomic
def update_characteristic(
    obj: Characteristic,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Characteristic:
    data = {k: v for k, v in data.items() if k not in LIMIT_FIELDS}

    def limits(fresh: Characteristic, data: dict[str, Any]) -> dict[str, Any]:
        if fresh.limits_locked and any(
            k in data and data[k] != getattr(fresh, k) for k in ("chart_type", "subgroup_size")
        ):
            # Limits computed for another chart or subgroup size are meaningless: unlock them.
            return {**data, **dict.fromkeys(LIMIT_FIELDS)}
        return data

    return update_record(
        obj, actor=actor, data=data, expected_version=expected_version, reason=reason, prepare=limits
    )


@transaction.atomic
def create_plan(*, organization: Any, actor: Any, data: dict[str, Any]) -> InspectionPlan:
    """One event for the plan and its list of characteristics."""
    ensure_allowed(actor, organization, "add", InspectionPlan)
    data = dict(data)
    items = data.pop("items", None) or []
    assert_same_organization(organization, data)
    plan = InspectionPlan(organization=organization, created_by=actor, **data)
    plan.full_clean()
    plan.save()
    new = _set_items(plan, actor, items)
    changes = {k: [None, v] for k, v in audit.snapshot(plan).items()}
    changes["items"] = [None, new]
    audit.record(plan, actor=actor, action="inspectionplan.create", changes=changes)
    return plan


def update_plan(
    obj: InspectionPlan,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> InspectionPlan:
    data = dict(data)
    items = data.pop("items", None)
    plan = update_record(obj, actor=actor, data=data, expected_version=expected_version, reason=reason)
    if items is not None:
        set_plan_items(plan, actor=actor, items=items, reason=reason)
    return plan


def _item_repr(item: PlanItem) -> str:
    return f"{item.characteristic_id}:{item.sample_size}/{item.frequency}/{item.every_n or ''}/{item.aql}"


@transaction.atomic
def set_plan_items(
    plan: InspectionPlan, *, actor: Any, items: Sequence[dict[str, Any]], reason: str = ""
) -> None:
    """Replace the plan's list of characteristics (each: characteristic, sample_size, frequency, ...)."""
    ensure_allowed(actor, plan.organization, "change", plan)
    before = [_item_repr(i) for i in plan.items.all()]
    after = _set_items(plan, actor, items)
    if before != after:
        audit.record(
            plan,
            actor=actor,
            action="inspectionplan.items",
            reason=reason,
            changes={"items": [before, after]},
        )


def _set_items(plan: InspectionPlan, actor: Any, items: Sequence[dict[str, Any]]) -> list[str]:
    new: list[PlanItem] = []
    for position, raw in enumerate(items):
        ch = raw["characteristic"]
        assert_same_organization(plan.organization, {"characteristic": ch})
        if ch.product_id != plan.product_id:
            raise ValidationError({"items": f"{ch} belongs to another product."})
        item = PlanItem(
            organization=plan.organization,
            plan=plan,
            characteristic=ch,
            position=position,
            sample_size=raw.get("sample_size") or ch.subgroup_size,
            frequency=raw.get("frequency") or "per_lot",
            every_n=raw.get("every_n"),
            aql=raw.get("aql") or "",
            created_by=actor,
        )
        item.full_clean(exclude=["plan"], validate_unique=False)
        new.append(item)
    if len({i.characteristic_id for i in new}) != len(new):
        raise ValidationError({"items": "A characteristic appears twice in the plan."})
    plan.items.all().delete()
    PlanItem.objects.bulk_create(new)
    return [_item_repr(i) for i in new]
