from django.urls import path

from qualitas.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="assessment_list"),
    path("add/", views.AssessmentEditView.as_view(), name="assessment_add"),
    path("<int:pk>/", views.AssessmentView.as_view(), name="assessment"),
    path("<int:pk>/edit/", views.AssessmentEditView.as_view(), name="assessment_edit"),
    path("<int:pk>/delete/", views.AssessmentDeleteView.as_view(), name="assessment_delete"),
    path(
        "<int:pk>/transition/<slug:transition>/",
        views.AssessmentTransitionView.as_view(),
        name="assessment_transition",
    ),
    path("<int:pk>/assessors/add/", views.AssessorAddView.as_view(), name="assessor_add"),
    path("assessors/<int:pk>/delete/", views.AssessorDeleteView.as_view(), name="assessor_delete"),
    path("<int:pk>/rate/", views.RateView.as_view(), name="assessment_rate"),
    path("<int:pk>/consensus/", views.ConsensusView.as_view(), name="assessment_consensus"),
    path("<int:pk>/results/", views.ResultsView.as_view(), name="assessment_results"),
    path("<int:pk>/plan/", views.PlanView.as_view(), name="assessment_plan"),
    path("<int:pk>/report.pdf", views.ReportView.as_view(), name="assessment_report"),
    path("<int:pk>/export.csv", views.ExportView.as_view(fmt="csv"), name="assessment_export_csv"),
    path("<int:pk>/export.xlsx", views.ExportView.as_view(fmt="xlsx"), name="assessment_export_xlsx"),
    path("models/", views.MaturityModelListView.as_view(), name="maturitymodel_list"),
    path("models/<slug:code>/", views.MaturityModelView.as_view(), name="maturitymodel"),
]
