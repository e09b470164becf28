from django.urls import path

from qualitas.core import record_views
from qualitas.core.views import notices

app_name = "core"

urlpatterns = [
    path("", record_views.HomeView.as_view(), name="home"),
    path("health/", record_views.health, name="health"),
    path("audit-trail/", record_views.AuditTrailView.as_view(), name="audit_trail"),
    path("search/", record_views.SearchView.as_view(), name="search"),
    path(
        "records/<int:ct_id>/<int:pk>/comments/", record_views.CommentCreateView.as_view(), name="comment_add"
    ),
    path(
        "records/<int:ct_id>/<int:pk>/attachments/",
        record_views.AttachmentCreateView.as_view(),
        name="attachment_add",
    ),
    path("notices/", notices.NoticeListView.as_view(), name="notices"),
    path("notices/bell/", notices.NoticeBellView.as_view(), name="notice_bell"),
    path("notices/read/", notices.NoticeReadView.as_view(), name="notices_read"),
    path("notices/<int:pk>/read/", notices.NoticeReadView.as_view(), name="notice_read"),
    path("notices/preferences/", notices.NoticePreferencesView.as_view(), name="notice_preferences"),
    path("jobs/", notices.JobListView.as_view(), name="jobs"),
    path("attachments/<int:pk>/", record_views.AttachmentDownloadView.as_view(), name="attachment_download"),
]
