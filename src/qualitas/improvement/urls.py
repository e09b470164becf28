from django.urls import path

from qualitas.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.NonconformityListView.as_view(), name="nonconformity_list"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("add/", views.NonconformityEditView.as_view(), name="nonconformity_add"),
    path("<int:pk>/", views.NonconformityView.as_view(), name="nonconformity"),
    path("<int:pk>/edit/", views.NonconformityEditView.as_view(), name="nonconformity_edit"),
    path("<int:pk>/delete/", views.NonconformityDeleteView.as_view(), name="nonconformity_delete"),
    path(
        "<int:pk>/transition/<slug:transition>/",
        views.NonconformityTransitionView.as_view(),
        name="nonconformity_transition",
    ),
    path("<int:pk>/root-cause/", views.RootCauseView.as_view(), name="nonconformity_root_cause"),
    path("<int:pk>/whys/", views.WhyAddView.as_view(), name="nonconformity_why_add"),
    path("<int:pk>/causes/", views.CauseAddView.as_view(), name="nonconformity_cause_add"),
    path("<int:pk>/disposition/", views.DispositionView.as_view(), name="nonconformity_disposition"),
    path(
        "<int:pk>/disposition/authorise/",
        views.AuthoriseDispositionView.as_view(),
        name="nonconformity_authorise",
    ),
    path("<int:pk>/actions/", views.NCActionAddView.as_view(), name="nonconformity_action_add"),
    path("<int:pk>/lesson/", views.PublishLessonView.as_view(), name="nonconformity_lesson"),
    path("<int:pk>/8d.pdf", views.NonconformityPDFView.as_view(), name="nonconformity_pdf"),
    path("whys/<int:pk>/delete/", views.WhyDeleteView.as_view(), name="why_delete"),
    path("causes/<int:pk>/root/", views.CauseRootView.as_view(), name="cause_root"),
    path("causes/<int:pk>/delete/", views.CauseDeleteView.as_view(), name="cause_delete"),
    path("analysis/", views.AnalysisView.as_view(), name="analysis"),
    path("analysis/export.<str:fmt>", views.ExportView.as_view(), name="export"),
    path("lessons/", views.LessonListView.as_view(), name="lesson_list"),
    path("lessons/add/", views.LessonEditView.as_view(), name="lesson_add"),
    path("lessons/<int:pk>/", views.LessonView.as_view(), name="lesson"),
    path("lessons/<int:pk>/edit/", views.LessonEditView.as_view(), name="lesson_edit"),
    path("lessons/<int:pk>/delete/", views.LessonDeleteView.as_view(), name="lesson_delete"),
    path("opportunities/", views.OpportunityListView.as_view(), name="opportunity_list"),
    path("opportunities/add/", views.OpportunityEditView.as_view(), name="opportunity_add"),
    path("opportunities/<int:pk>/", views.OpportunityView.as_view(), name="opportunity"),
    path("opportunities/<int:pk>/edit/", views.OpportunityEditView.as_view(), name="opportunity_edit"),
    path("opportunities/<int:pk>/delete/", views.OpportunityDeleteView.as_view(), name="opportunity_delete"),
    path(
        "opportunities/<int:pk>/transition/<slug:transition>/",
        views.OpportunityTransitionView.as_view(),
        name="opportunity_transition",
    ),
    path(
        "opportunities/<int:pk>/actions/",
        views.OpportunityActionAddView.as_view(),
        name="opportunity_action_add",
    ),
    path("categories/", views.CauseCategoryListView.as_view(), name="causecategory_list"),
    path("categories/add/", views.CauseCategoryEditView.as_view(), name="causecategory_add"),
    path("categories/seed/", views.SeedCategoriesView.as_view(), name="causecategory_seed"),
    path("categories/<int:pk>/edit/", views.CauseCategoryEditView.as_view(), name="causecategory_edit"),
    path("categories/<int:pk>/delete/", views.CauseCategoryDeleteView.as_view(), name="causecategory_delete"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
]
