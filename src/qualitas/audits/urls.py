from django.urls import path

from qualitas.audits import views

app_name = "audits"

urlpatterns = [
    path("", views.AuditsHomeView.as_view(), name="home"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/add/", views.ProgrammeEditView.as_view(), name="programme_add"),
    path("programmes/<int:pk>/", views.ProgrammeView.as_view(), name="programme"),
    path("programmes/<int:pk>/coverage/", views.CoverageView.as_view(), name="programme_coverage"),
    path("programmes/<int:pk>/edit/", views.ProgrammeEditView.as_view(), name="programme_edit"),
    path("programmes/<int:pk>/delete/", views.ProgrammeDeleteView.as_view(), name="programme_delete"),
    path("auditors/", views.AuditorListView.as_view(), name="auditor_list"),
    path("auditors/add/", views.AuditorEditView.as_view(), name="auditor_add"),
    path("auditors/<int:pk>/", views.AuditorView.as_view(), name="auditor"),
    path("auditors/<int:pk>/edit/", views.AuditorEditView.as_view(), name="auditor_edit"),
    path("auditors/<int:pk>/delete/", views.AuditorDeleteView.as_view(), name="auditor_delete"),
    path("audits/", views.AuditListView.as_view(), name="audit_list"),
    path("audits/add/", views.AuditEditView.as_view(), name="audit_add"),
    path("audits/<int:pk>/", views.AuditView.as_view(), name="audit"),
    path("audits/<int:pk>/edit/", views.AuditEditView.as_view(), name="audit_edit"),
    path("audits/<int:pk>/delete/", views.AuditDeleteView.as_view(), name="audit_delete"),
    path(
        "audits/<int:pk>/transition/<slug:transition>/",
        views.AuditTransitionView.as_view(),
        name="audit_transition",
    ),
    path("audits/<int:pk>/checklist/", views.AuditChecklistView.as_view(), name="audit_checklist"),
    path("audits/<int:pk>/save-template/", views.AuditSaveTemplateView.as_view(), name="audit_save_template"),
    path("audits/<int:pk>/send-plan/", views.AuditSendPlanView.as_view(), name="audit_send_plan"),
    path("audits/<int:pk>/report.pdf", views.AuditReportView.as_view(), name="audit_report"),
    path("checklist-items/add/", views.ChecklistItemEditView.as_view(), name="checklist_item_add"),
    path("checklist-items/<int:pk>/", views.ChecklistItemView.as_view(), name="checklist_item"),
    path("checklist-items/<int:pk>/edit/", views.ChecklistItemEditView.as_view(), name="checklist_item_edit"),
    path(
        "checklist-items/<int:pk>/delete/",
        views.ChecklistItemDeleteView.as_view(),
        name="checklist_item_delete",
    ),
    path(
        "checklist-items/<int:pk>/result/", views.ChecklistResultView.as_view(), name="checklist_item_result"
    ),
    path("findings/", views.FindingListView.as_view(), name="finding_list"),
    path("findings/add/", views.FindingEditView.as_view(), name="finding_add"),
    path("findings/<int:pk>/", views.FindingView.as_view(), name="finding"),
    path("findings/<int:pk>/edit/", views.FindingEditView.as_view(), name="finding_edit"),
    path("findings/<int:pk>/delete/", views.FindingDeleteView.as_view(), name="finding_delete"),
    path("findings/<int:pk>/verify/", views.FindingVerifyView.as_view(), name="finding_verify"),
    path("templates/", views.TemplateListView.as_view(), name="template_list"),
    path("templates/add/", views.TemplateEditView.as_view(), name="template_add"),
    path("templates/<int:pk>/", views.TemplateView.as_view(), name="template"),
    path("templates/<int:pk>/edit/", views.TemplateEditView.as_view(), name="template_edit"),
    path("templates/<int:pk>/delete/", views.TemplateDeleteView.as_view(), name="template_delete"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
