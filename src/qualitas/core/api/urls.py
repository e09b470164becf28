from django.urls import path
from rest_framework.routers import SimpleRouter

from qualitas.core.api import views

router = SimpleRouter()
router.register("audit-events", views.AuditEventViewSet, basename="auditevent")

urlpatterns = [path("me/", views.MeView.as_view(), name="api-me"), *router.urls]
