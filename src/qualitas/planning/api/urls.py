from rest_framework.routers import SimpleRouter

from qualitas.planning.api import views

router = SimpleRouter()
router.register("processes", views.ProcessViewSet, basename="process")
router.register("process-interactions", views.ProcessInteractionViewSet, basename="processinteraction")
router.register("context-issues", views.ContextIssueViewSet, basename="contextissue")
router.register("interested-parties", views.InterestedPartyViewSet, basename="interestedparty")
router.register("identity", views.IdentityViewSet, basename="identity")
router.register("quality-policies", views.QualityPolicyViewSet, basename="qualitypolicy")
router.register("policy-communications", views.PolicyCommunicationViewSet, basename="policycommunication")
router.register("planning-settings", views.PlanningSettingsViewSet, basename="planningsettings")
router.register("risks", views.RiskViewSet, basename="risk")
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("kpis", views.KpiViewSet, basename="kpi")
router.register("kpi-measurements", views.MeasurementViewSet, basename="measurement")
urlpatterns = router.urls
