import importlib.util

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

admin.site.site_header = "Qualitas administration"

api_patterns = [
    path("", include("qualitas.actions.api.urls")),
    path("", include("qualitas.core.api.urls")),
]
area_patterns = []
for area in settings.QUALITAS_AREAS:
    if importlib.util.find_spec(f"qualitas.{area}.urls") is not None:
        area_patterns.append(path(f"{area}/", include(f"qualitas.{area}.urls")))
    if (
        importlib.util.find_spec(f"qualitas.{area}.api") is not None
        and importlib.util.find_spec(f"qualitas.{area}.api.urls") is not None
    ):
        api_patterns.append(path("", include(f"qualitas.{area}.api.urls")))

urlpatterns = [
    path("", include("qualitas.core.urls")),
    path("accounts/", include("qualitas.accounts.urls")),
    path("actions/", include("qualitas.actions.urls")),
    *area_patterns,
    path("api/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:  # pragma: no cover
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
