"""CRUD pages and endpoints of every planning register: tenancy, roles, audit, locking, query counts."""

from typing import Any

from django.test import override_settings
from django.urls import reverse

from qualitas.core.testing.cases import APITestCases, ViewTestCases
from qualitas.planning.models import ContextIssue, InterestedParty, Kpi, Objective, Process, Risk
from qualitas.planning.tests import factories as f

ALL = (
    ViewTestCases.List,
    ViewTestCases.Detail,
    ViewTestCases.Create,
    ViewTestCases.Update,
    ViewTestCases.Delete,
)
API = (APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update)
# No dashboard cache: every request reads its figures, so a warm request counts the same queries as
# one after a write (the cached path is pinned in test_query_counts.py).
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


class _Urls:
    url_prefix: str

    def url(self, suffix: str, *args: Any) -> str:
        return reverse(f"{self.url_prefix}_{suffix}" if suffix else self.url_prefix, args=args)


class ProcessViewTests(_Urls, *ALL):
    model = Process
    url_prefix = "planning:process"

    def make(self, org: Any, actor: Any) -> Process:
        return f.make_process(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {
            "code": "COR-09",
            "name": "Deburring",
            "process_type": "core",
            "owner": self.owner.pk,
            "purpose": "Remove burrs",
            "inputs": "Machined parts",
            "outputs": "Deburred parts",
            "clauses": "8.5.1",
            "is_active": "on",
        }

    def update_data(self, obj: Process) -> dict[str, Any]:
        return {
            "code": obj.code,
            "name": obj.name + " and cleaning",
            "process_type": "support",
            "is_active": "on",
        }


class ProcessAPITests(*API):
    model = Process
    url_prefix = "planning:process"
    api_basename = "process"

    def make(self, org: Any, actor: Any) -> Process:
        return f.make_process(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {"code": "SUP-09", "name": "IT", "process_type": "support", "owner": self.owner.pk}

    def api_update_data(self, obj: Process) -> dict[str, Any]:
        return {"purpose": "Keep systems running"}


class ContextIssueViewTests(_Urls, *ALL):
    model = ContextIssue
    url_prefix = "planning:contextissue"

    def make(self, org: Any, actor: Any) -> ContextIssue:
        return f.make_context_issue(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {
            "title": "Energy prices",
            "issue_type": "external",
            "category": "economic",
            "climate_relevant": "on",
            "review_date": "2030-01-01",
            "is_active": "on",
        }

    def update_data(self, obj: ContextIssue) -> dict[str, Any]:
        return {"title": obj.title, "issue_type": "internal", "category": "weakness", "is_active": "on"}


class ContextIssueAPITests(*API):
    model = ContextIssue
    url_prefix = "planning:contextissue"
    api_basename = "contextissue"

    def make(self, org: Any, actor: Any) -> ContextIssue:
        return f.make_context_issue(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {
            "title": "Flood risk",
            "issue_type": "external",
            "category": "environmental",
            "climate_relevant": True,
        }

    def api_update_data(self, obj: ContextIssue) -> dict[str, Any]:
        return {"impact": "Deliveries blocked"}


class InterestedPartyViewTests(_Urls, *ALL):
    model = InterestedParty
    url_prefix = "planning:interestedparty"

    def make(self, org: Any, actor: Any) -> InterestedParty:
        return f.make_party(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {"name": "Neighbours", "category": "community", "needs": "Quiet nights", "is_active": "on"}

    def update_data(self, obj: InterestedParty) -> dict[str, Any]:
        return {"name": obj.name, "category": obj.category, "monitoring": "Yearly meeting", "is_active": "on"}


class InterestedPartyAPITests(*API):
    model = InterestedParty
    url_prefix = "planning:interestedparty"
    api_basename = "interestedparty"

    def make(self, org: Any, actor: Any) -> InterestedParty:
        return f.make_party(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {"name": "Bank", "category": "other"}

    def api_update_data(self, obj: InterestedParty) -> dict[str, Any]:
        return {"expectations": "Quarterly figures"}


class RiskViewTests(_Urls, *ALL):
    model = Risk
    url_prefix = "planning:risk"

    def make(self, org: Any, actor: Any) -> Risk:
        return f.make_risk(org, actor)

    @override_settings(CACHES=NO_CACHE)
    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        # The heat map is kept per state of the organization's data: without the cache the warm-up
        # and the request after the writes both read it.
        super().test_list_query_count_does_not_grow_with_rows()

    def form_data(self) -> dict[str, Any]:
        return {
            "kind": "risk",
            "title": "Gauge out of calibration",
            "source": "other",
            "likelihood": "2",
            "impact": "4",
            "treatment": "reduce",
            "owner": self.owner.pk,
            "effectiveness": "not_evaluated",
        }

    def update_data(self, obj: Risk) -> dict[str, Any]:
        return {
            "kind": obj.kind,
            "title": obj.title,
            "source": obj.source,
            "likelihood": "1",
            "impact": "4",
            "owner": obj.owner_id,
            "effectiveness": "not_evaluated",
            "residual_likelihood": "1",
            "residual_impact": "2",
        }


class RiskAPITests(*API):
    model = Risk
    url_prefix = "planning:risk"
    api_basename = "risk"

    def make(self, org: Any, actor: Any) -> Risk:
        return f.make_risk(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {
            "kind": "opportunity",
            "title": "New market",
            "likelihood": 3,
            "impact": 3,
            "treatment": "pursue",
            "owner": self.owner.pk,
        }

    def api_update_data(self, obj: Risk) -> dict[str, Any]:
        return {"impact": 2}


class ObjectiveViewTests(_Urls, *ALL):
    model = Objective
    url_prefix = "planning:objective"

    def make(self, org: Any, actor: Any) -> Objective:
        return f.make_objective(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {
            "title": "Scrap below 2 %",
            "target": "under 2 % of production value",
            "owner": self.owner.pk,
            "due_date": "2030-12-31",
            "status": "active",
        }

    def update_data(self, obj: Objective) -> dict[str, Any]:
        return {"title": obj.title, "target": obj.target, "owner": obj.owner_id, "status": "achieved"}


class ObjectiveAPITests(*API):
    model = Objective
    url_prefix = "planning:objective"
    api_basename = "objective"

    def make(self, org: Any, actor: Any) -> Objective:
        return f.make_objective(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {"title": "Complaints below 12 a year", "target": "at most 12", "owner": self.owner.pk}

    def api_update_data(self, obj: Objective) -> dict[str, Any]:
        return {"resources": "8D training"}


class KpiViewTests(_Urls, *ALL):
    model = Kpi
    url_prefix = "planning:kpi"

    def make(self, org: Any, actor: Any) -> Kpi:
        return f.make_kpi(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {
            "code": "SCR",
            "name": "Scrap rate",
            "unit": "%",
            "direction": "lower",
            "target": "2",
            "warning": "2.5",
            "alarm": "3",
            "frequency": "monthly",
            "owner": self.owner.pk,
            "is_active": "on",
        }

    def update_data(self, obj: Kpi) -> dict[str, Any]:
        return {
            "code": obj.code,
            "name": obj.name,
            "direction": obj.direction,
            "target": "96",
            "warning": "94",
            "frequency": "monthly",
            "owner": obj.owner_id,
            "is_active": "on",
        }


class KpiAPITests(*API):
    model = Kpi
    url_prefix = "planning:kpi"
    api_basename = "kpi"

    def make(self, org: Any, actor: Any) -> Kpi:
        return f.make_kpi(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {
            "code": "PPM",
            "name": "Defects at customers",
            "direction": "lower",
            "target": 300,
            "alarm": 600,
            "owner": self.owner.pk,
        }

    def api_update_data(self, obj: Kpi) -> dict[str, Any]:
        return {"unit": "pct"}
