from django.urls import path

from qualitas.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("add/", views.DocumentEditView.as_view(), name="document_add"),
    path("import/", views.DocumentImportView.as_view(), name="document_import"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("to-read/", views.ToReadView.as_view(), name="to_read"),
    path("<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("<int:pk>/edit/", views.DocumentEditView.as_view(), name="document_edit"),
    path("<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path("<int:pk>/change/", views.DocumentChangeView.as_view(), name="document_change"),
    path("<int:pk>/review/", views.DocumentReviewView.as_view(), name="document_review"),
    path("revisions/<int:pk>/", views.RevisionView.as_view(), name="revision"),
    path("revisions/<int:pk>/edit/", views.RevisionEditView.as_view(), name="revision_edit"),
    path(
        "revisions/<int:pk>/transition/<slug:transition>/",
        views.RevisionTransitionView.as_view(),
        name="revision_transition",
    ),
    path("revisions/<int:pk>/sign/", views.RevisionSignView.as_view(), name="revision_sign"),
    path("revisions/<int:pk>/release/", views.RevisionReleaseView.as_view(), name="revision_release"),
    path("revisions/<int:pk>/pdf/", views.RevisionPDFView.as_view(), name="revision_pdf"),
    path("revisions/<int:pk>/file/", views.RevisionFileView.as_view(), name="revision_file"),
    path("acknowledgements/<int:pk>/confirm/", views.AcknowledgeView.as_view(), name="acknowledge"),
    # Retained records ("register", not "records/": that prefix belongs to core's record panels).
    path("record-types/", views.RecordTypeListView.as_view(), name="recordtype_list"),
    path("record-types/add/", views.RecordTypeEditView.as_view(), name="recordtype_add"),
    path("record-types/<int:pk>/", views.RecordTypeView.as_view(), name="recordtype"),
    path("record-types/<int:pk>/edit/", views.RecordTypeEditView.as_view(), name="recordtype_edit"),
    path("record-types/<int:pk>/delete/", views.RecordTypeDeleteView.as_view(), name="recordtype_delete"),
    path("register/", views.RecordListView.as_view(), name="record_list"),
    path("register/add/", views.RecordEditView.as_view(), name="record_add"),
    path("register/<int:pk>/", views.RecordView.as_view(), name="record"),
    path("register/<int:pk>/edit/", views.RecordEditView.as_view(), name="record_edit"),
    path("register/<int:pk>/dispose/", views.RecordDisposeView.as_view(), name="record_dispose"),
]
