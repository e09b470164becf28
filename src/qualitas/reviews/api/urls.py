from rest_framework.routers import SimpleRouter

from qualitas.reviews.api import views

router = SimpleRouter()
router.register("management-reviews", views.ManagementReviewViewSet, basename="managementreview")
router.register("review-outputs", views.ReviewOutputViewSet, basename="reviewoutput")
urlpatterns = router.urls
