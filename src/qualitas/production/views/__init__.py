"""Pages of the production area, by topic: the catalog, plans and the station, lots, records."""

from qualitas.production.views.catalog import (
    CharacteristicDeleteView,
    CharacteristicEditView,
    CharacteristicListView,
    CharacteristicView,
    CheckValueView,
    ExcludePointView,
    LockLimitsView,
    ProductDeleteView,
    ProductEditView,
    ProductListView,
    ProductView,
)
from qualitas.production.views.lots import (
    LotDeleteView,
    LotDispositionView,
    LotEditView,
    LotGenealogyView,
    LotListView,
    LotReleaseView,
    LotTransitionView,
    LotView,
)
from qualitas.production.views.plans import EntryView, PlanDeleteView, PlanEditView, PlanListView, PlanView
from qualitas.production.views.records import AnalysisView, ImportView, RecordView

__all__ = [
    "AnalysisView",
    "CharacteristicDeleteView",
    "CharacteristicEditView",
    "CharacteristicListView",
    "CharacteristicView",
    "CheckValueView",
    "EntryView",
    "ExcludePointView",
    "ImportView",
    "LockLimitsView",
    "LotDeleteView",
    "LotDispositionView",
    "LotEditView",
    "LotGenealogyView",
    "LotListView",
    "LotReleaseView",
    "LotTransitionView",
    "LotView",
    "PlanDeleteView",
    "PlanEditView",
    "PlanListView",
    "PlanView",
    "ProductDeleteView",
    "ProductEditView",
    "ProductListView",
    "ProductView",
    "RecordView",
]
