from __future__ import annotations

import math
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qualitas.core.api.viewsets import TenantModelViewSet, TenantViewSetMixin, TransitionMixin
from qualitas.core.exceptions import NotAllowed
from qualitas.core.permissions import can
from qualitas.production import analysis, services
from qualitas.production.api.serializers import (
    BatchResultSerializer,
    CharacteristicSerializer,
    ChartSerializer,
    DispositionSerializer,
    ExcludePointSerializer,
    InspectionPlanSerializer,
    InspectionRecordSerializer,
    LockLimitsSerializer,
    LotReleaseSerializer,
    LotSerializer,
    ProductSerializer,
    ReadingBatchSerializer,
    ReadingSerializer,
    ReleaseRequestSerializer,
)
from qualitas.production.filters import CharacteristicFilterSet, LotFilterSet, PlanFilterSet, ProductFilterSet
from qualitas.production.models import Characteristic, InspectionPlan, InspectionRecord, Lot, Product, Reading


class ProductViewSet(TenantModelViewSet):
    """Products and parts with their revision, customer and process owner."""

    model = Product
    queryset = Product.objects.none()
    serializer_class = ProductSerializer
    filterset_class = ProductFilterSet
    create_service = staticmethod(services.create_product)
    update_service = staticmethod(services.update_product)


def _f(v: float) -> float | None:
    return None if v is None or math.isnan(v) else float(v)


class CharacteristicViewSet(TenantModelViewSet):
    """Controlled characteristics: specification, chart, rules and locked control limits."""

    model = Characteristic
    queryset = Characteristic.objects.none()
    serializer_class = CharacteristicSerializer
    filterset_class = CharacteristicFilterSet
    select_related = ("product",)
    create_service = staticmethod(services.create_characteristic)
    update_service = staticmethod(services.update_characteristic)

    @extend_schema(
        request=LockLimitsSerializer,
        responses=CharacteristicSerializer,
        summary="Compute control limits from a baseline and lock them (a reason to recompute)",
    )
    @action(detail=True, methods=["post"], url_path="lock-limits")
    def lock_limits(self, request: Request, pk: str | None = None) -> Response:
        ch = self.get_object()
        body = LockLimitsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ch = services.lock_limits(
            ch,
            actor=request.user,
            first=body.validated_data.get("first"),
            last=body.validated_data.get("last"),
            reason=body.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(ch).data)

    @extend_schema(
        request=ExcludePointSerializer,
        responses={201: ExcludePointSerializer},
        summary="Leave a subgroup out of the limits and the rules (a reason is required)",
    )
    @action(detail=True, methods=["post"], url_path="exclude-point")
    def exclude_point(self, request: Request, pk: str | None = None) -> Response:
        ch = self.get_object()
        body = ExcludePointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        point = services.exclude_point(
            ch,
            actor=request.user,
            subgroup=body.validated_data["subgroup"],
            reason=body.validated_data["reason"],
        )
        return Response({"subgroup": point.subgroup, "reason": point.reason}, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ChartSerializer, summary="The control chart: points, limits, rule violations")
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def chart(self, request: Request, pk: str | None = None) -> Response:
        ch = self.get_object()
        view = analysis.chart_view(ch)
        if view is None:
            return Response(
                {
                    "subgroups": [],
                    "points": [],
                    "center": 0.0,
                    "lcl": [],
                    "ucl": [],
                    "locked": False,
                    "violations": {},
                    "capability": None,
                }
            )
        cap = analysis.capability_of(ch, view)
        s = view.series
        return Response(
            {
                "subgroups": s.subgroups.tolist(),
                "points": [_f(v) for v in view.points.tolist()],
                "center": view.center,
                "lcl": view.lcl.tolist(),
                "ucl": view.ucl.tolist(),
                "locked": view.locked,
                "violations": {str(int(s.subgroups[i])): codes for i, codes in view.violations.items()},
                "capability": None
                if cap is None
                else {k: getattr(cap, k) for k in ("n", "mean", "cp", "cpk", "pp", "ppk")},
            }
        )


class InspectionPlanViewSet(TenantModelViewSet):
    """Inspection plans per product and stage, with the characteristics they check."""

    model = InspectionPlan
    queryset = InspectionPlan.objects.none()
    serializer_class = InspectionPlanSerializer
    filterset_class = PlanFilterSet
    select_related = ("product",)
    prefetch_related = ("items",)
    create_service = staticmethod(services.create_plan)
    update_service = staticmethod(services.update_plan)


class LotViewSet(TransitionMixin, TenantModelViewSet):
    """Lots with status (in process, on hold, released, rejected) and genealogy (made from)."""

    model = Lot
    queryset = Lot.objects.none()
    serializer_class = LotSerializer
    filterset_class = LotFilterSet
    prefetch_related = ("parents",)
    create_service = staticmethod(services.create_lot)
    update_service = staticmethod(services.update_lot)
    delete_service = staticmethod(services.delete_lot)
    transition_service = staticmethod(services.transition_lot)

    @extend_schema(
        request=ReleaseRequestSerializer,
        responses={201: LotReleaseSerializer},
        summary="Release the lot with an electronic signature (re-enter your password)",
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        lot = self.get_object()
        body = ReleaseRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        release = services.release_lot(
            lot,
            actor=request.user,
            password=body.validated_data["password"],
            note=body.validated_data.get("note", ""),
        )
        return Response(LotReleaseSerializer(release).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=DispositionSerializer,
        responses={201: DispositionSerializer},
        summary="Record what is done with the lot's nonconforming product",
    )
    @action(detail=True, methods=["post"])
    def disposition(self, request: Request, pk: str | None = None) -> Response:
        lot = self.get_object()
        body = DispositionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        disp = services.record_disposition(
            lot,
            actor=request.user,
            decision=body.validated_data["decision"],
            note=body.validated_data["note"],
        )
        return Response({"decision": disp.decision, "note": disp.note}, status=status.HTTP_201_CREATED)


class InspectionRecordViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Inspection records (read only; readings arrive through POST /api/reading-batches/)."""

    model = InspectionRecord
    queryset = InspectionRecord.objects.none()
    serializer_class = InspectionRecordSerializer
    filterset_fields = ["lot", "plan", "verdict", "source"]


class ReadingViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Readings (read only), filterable by record and characteristic."""

    model = Reading
    queryset = Reading.objects.none()
    serializer_class = ReadingSerializer
    filterset_fields = ["record", "characteristic", "out_of_spec"]


class ReadingBatchViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """A measuring machine posts a batch of readings of one characteristic on one lot (all or nothing)."""

    model = InspectionRecord
    queryset = InspectionRecord.objects.none()
    serializer_class = ReadingBatchSerializer

    @extend_schema(request=ReadingBatchSerializer, responses={201: BatchResultSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can(request.user, request.organization, "add", InspectionRecord):  # type: ignore[attr-defined]
            raise NotAllowed("Your role may not record inspections.")
        body = ReadingBatchSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        rows = [{"characteristic": data["characteristic"], "lot": data["lot"], **r} for r in data["readings"]]
        result = services.import_readings(
            organization=request.organization,  # type: ignore[attr-defined]
            actor=request.user,
            rows=rows,
            source="api",
            plan=data.get("plan"),
            equipment=data.get("equipment", ""),
            recorded_at=data.get("recorded_at"),
        )
        return Response(
            {
                "records": [r.pk for r in result.records],
                "readings": result.readings,
                "out_of_spec": result.out_of_spec,
                "signals": [s.detail for s in result.signals],
            },
            status=status.HTTP_201_CREATED,
        )
