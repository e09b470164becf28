from rest_framework.routers import SimpleRouter

from qualitas.production.api import views

router = SimpleRouter()
router.register("products", views.ProductViewSet, basename="product")
router.register("characteristics", views.CharacteristicViewSet, basename="characteristic")
router.register("inspection-plans", views.InspectionPlanViewSet, basename="inspectionplan")
router.register("lots", views.LotViewSet, basename="lot")
router.register("inspection-records", views.InspectionRecordViewSet, basename="inspectionrecord")
router.register("readings", views.ReadingViewSet, basename="reading")
router.register("reading-batches", views.ReadingBatchViewSet, basename="readingbatch")
urlpatterns = router.urls
