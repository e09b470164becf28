"""Products, characteristics, inspection plans, lots, inspection records and readings, control
limits, signals and lot release (a package by topic)."""

from qualitas.production.models.inspection import ExcludedPoint, InspectionRecord, Reading, Signal
from qualitas.production.models.lots import Lot, LotDisposition, LotRelease
from qualitas.production.models.plans import InspectionPlan, PlanItem
from qualitas.production.models.products import Characteristic, Product
from qualitas.production.models.roles import RELEASERS, SETUP

__all__ = [
    "RELEASERS",
    "SETUP",
    "Characteristic",
    "ExcludedPoint",
    "InspectionPlan",
    "InspectionRecord",
    "Lot",
    "LotDisposition",
    "LotRelease",
    "PlanItem",
    "Product",
    "Reading",
    "Signal",
]
