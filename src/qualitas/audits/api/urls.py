from rest_framework.routers import SimpleRouter

from qualitas.audits.api import views

router = SimpleRouter()
router.register("audit-programmes", views.AuditProgrammeViewSet, basename="auditprogramme")
router.register("auditors", views.AuditorViewSet, basename="auditor")
router.register("audits", views.AuditViewSet, basename="audit")
router.register("checklist-items", views.ChecklistItemViewSet, basename="checklistitem")
router.register("findings", views.FindingViewSet, basename="finding")
urlpatterns = router.urls
