from rest_framework.routers import SimpleRouter

from qualitas.improvement.api.views import (
    CauseCategoryViewSet,
    LessonViewSet,
    NonconformityViewSet,
    OpportunityViewSet,
)

router = SimpleRouter()
router.register("nonconformities", NonconformityViewSet, basename="nonconformity")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("improvement-opportunities", OpportunityViewSet, basename="improvementopportunity")
router.register("root-cause-categories", CauseCategoryViewSet, basename="causecategory")
urlpatterns = router.urls
