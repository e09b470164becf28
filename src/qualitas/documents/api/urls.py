from rest_framework.routers import SimpleRouter

from qualitas.documents.api import views

router = SimpleRouter()
router.register("documents", views.DocumentViewSet, basename="document")
router.register("document-revisions", views.RevisionViewSet, basename="revision")
router.register("document-signatures", views.SignatureViewSet, basename="signature")
router.register("document-acknowledgements", views.AcknowledgementViewSet, basename="acknowledgement")
router.register("record-types", views.RecordTypeViewSet, basename="recordtype")
# Not "records/": the tenancy walker reserves that path segment for core's record panels.
router.register("record-register", views.RecordViewSet, basename="record")
urlpatterns = router.urls
