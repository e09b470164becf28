from rest_framework.routers import SimpleRouter

from qualitas.assessment.api.views import (
    AssessmentViewSet,
    ElementResultViewSet,
    MaturityModelViewSet,
    RatingViewSet,
)

router = SimpleRouter()
router.register("maturity-models", MaturityModelViewSet, basename="maturitymodel")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("assessment-ratings", RatingViewSet, basename="rating")
router.register("assessment-results", ElementResultViewSet, basename="elementresult")
urlpatterns = router.urls
