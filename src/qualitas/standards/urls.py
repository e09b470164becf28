from django.urls import path

from qualitas.standards import views

app_name = "standards"

urlpatterns = [
    path("", views.redirect_home, name="home"),
    path("scope/", views.ScopeView.as_view(), name="scope"),
    path("scope/edit/", views.ScopeEditView.as_view(), name="scope_edit"),
    path("applicability/", views.SoaView.as_view(), name="soa"),
    path("applicability/pdf/", views.SoaPdfView.as_view(), name="soa_pdf"),
    path("readiness/", views.ReadinessView.as_view(), name="readiness"),
    path("evidence-pack/", views.EvidencePackView.as_view(), name="evidence_pack"),
    path("evidence-pack/<int:pk>/", views.PackJobView.as_view(), name="packjob"),
    path("evidence-pack/<int:pk>/progress/", views.PackJobProgressView.as_view(), name="packjob_progress"),
    path("evidence-pack/<int:pk>/download/", views.PackJobDownloadView.as_view(), name="packjob_download"),
    path("catalog/", views.CatalogView.as_view(), name="catalog"),
    path("catalog/<slug:code>/", views.CatalogView.as_view(), name="standard"),
    path("clauses/<str:number>/", views.ClauseView.as_view(), name="clause"),
    path("clauses/<str:number>/applicability/", views.ApplicabilityView.as_view(), name="applicability"),
    path("requirements/", views.RequirementListView.as_view(), name="requirement_list"),
    path("requirements/export.<str:fmt>", views.StatusExportView.as_view(), name="requirement_export"),
    path("requirements/import/", views.StatusImportView.as_view(), name="requirement_import"),
    path("requirements/<int:pk>/", views.RequirementView.as_view(), name="requirement"),
    path("requirements/<int:pk>/edit/", views.RequirementEditView.as_view(), name="requirement_edit"),
    path("requirements/<int:pk>/evidence/", views.EvidenceLinkAddView.as_view(), name="evidencelink_add"),
    path("evidence/<int:pk>/delete/", views.EvidenceLinkDeleteView.as_view(), name="evidencelink_delete"),
    path("legacy/", views.CrosswalkView.as_view(), name="crosswalk"),
    path("legacy/procedures/", views.LegacyProcedureListView.as_view(), name="legacyprocedure_list"),
    path("legacy/procedures/add/", views.LegacyProcedureEditView.as_view(), name="legacyprocedure_add"),
    path("legacy/procedures/<int:pk>/", views.LegacyProcedureView.as_view(), name="legacyprocedure"),
    path(
        "legacy/procedures/<int:pk>/edit/",
        views.LegacyProcedureEditView.as_view(),
        name="legacyprocedure_edit",
    ),
    path(
        "legacy/procedures/<int:pk>/delete/",
        views.LegacyProcedureDeleteView.as_view(),
        name="legacyprocedure_delete",
    ),
]
