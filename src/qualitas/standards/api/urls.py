from django.urls import path
from rest_framework.routers import SimpleRouter

from qualitas.standards.api import views

router = SimpleRouter()
router.register("requirements", views.RequirementViewSet, basename="requirement")
router.register("evidence-links", views.EvidenceLinkViewSet, basename="evidencelink")
router.register("scope-statements", views.ScopeStatementViewSet, basename="scopestatement")
router.register("legacy-procedures", views.LegacyProcedureViewSet, basename="legacyprocedure")
urlpatterns = [
    path(
        "statement-of-applicability/",
        views.StatementOfApplicabilityView.as_view(),
        name="statement-of-applicability",
    ),
    path("readiness/", views.ReadinessView.as_view(), name="readiness"),
    *router.urls,
]
