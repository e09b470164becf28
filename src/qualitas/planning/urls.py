from django.urls import path

from qualitas.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("import/<slug:register>/", views.register_import, name="register_import"),
    # processes
    path("processes/", views.ProcessListView.as_view(), name="process_list"),
    path("processes/map/", views.ProcessMapView.as_view(), name="process_map"),
    path("processes/add/", views.ProcessEditView.as_view(), name="process_add"),
    path("processes/<int:pk>/", views.ProcessView.as_view(), name="process"),
    path("processes/<int:pk>/edit/", views.ProcessEditView.as_view(), name="process_edit"),
    path("processes/<int:pk>/delete/", views.ProcessDeleteView.as_view(), name="process_delete"),
    path("processes/<int:pk>/interactions/add/", views.InteractionAddView.as_view(), name="interaction_add"),
    path("interactions/<int:pk>/delete/", views.InteractionDeleteView.as_view(), name="interaction_delete"),
    # context and interested parties
    path("context/", views.ContextIssueListView.as_view(), name="contextissue_list"),
    path("context/add/", views.ContextIssueEditView.as_view(), name="contextissue_add"),
    path("context/<int:pk>/", views.ContextIssueView.as_view(), name="contextissue"),
    path("context/<int:pk>/edit/", views.ContextIssueEditView.as_view(), name="contextissue_edit"),
    path("context/<int:pk>/delete/", views.ContextIssueDeleteView.as_view(), name="contextissue_delete"),
    path("parties/", views.InterestedPartyListView.as_view(), name="interestedparty_list"),
    path("parties/add/", views.InterestedPartyEditView.as_view(), name="interestedparty_add"),
    path("parties/<int:pk>/", views.InterestedPartyView.as_view(), name="interestedparty"),
    path("parties/<int:pk>/edit/", views.InterestedPartyEditView.as_view(), name="interestedparty_edit"),
    path(
        "parties/<int:pk>/delete/", views.InterestedPartyDeleteView.as_view(), name="interestedparty_delete"
    ),
    # identity and policy
    path("identity/", views.IdentityView.as_view(), name="identity"),
    path("identity/edit/", views.IdentityEditView.as_view(), name="identity_edit"),
    path("policies/add/", views.PolicyEditView.as_view(), name="policy_add"),
    path("policies/<int:pk>/", views.PolicyView.as_view(), name="policy"),
    path("policies/<int:pk>/edit/", views.PolicyEditView.as_view(), name="policy_edit"),
    path("policies/<int:pk>/delete/", views.PolicyDeleteView.as_view(), name="policy_delete"),
    path(
        "policies/<int:pk>/transition/<slug:transition>/",
        views.PolicyTransitionView.as_view(),
        name="policy_transition",
    ),
    path(
        "policies/<int:pk>/communications/add/",
        views.CommunicationAddView.as_view(),
        name="communication_add",
    ),
    # risks and opportunities
    path("risks/", views.RiskListView.as_view(), name="risk_list"),
    path("risks/settings/", views.SettingsView.as_view(), name="settings"),
    path("risks/add/", views.RiskEditView.as_view(), name="risk_add"),
    path("risks/<int:pk>/", views.RiskView.as_view(), name="risk"),
    path("risks/<int:pk>/edit/", views.RiskEditView.as_view(), name="risk_edit"),
    path("risks/<int:pk>/delete/", views.RiskDeleteView.as_view(), name="risk_delete"),
    path(
        "risks/<int:pk>/transition/<slug:transition>/",
        views.RiskTransitionView.as_view(),
        name="risk_transition",
    ),
    path("risks/<int:pk>/review/", views.RiskReviewView.as_view(), name="risk_review"),
    path("risks/<int:pk>/actions/add/", views.RiskActionAddView.as_view(), name="risk_action_add"),
    # objectives
    path("objectives/", views.ObjectiveListView.as_view(), name="objective_list"),
    path("objectives/add/", views.ObjectiveEditView.as_view(), name="objective_add"),
    path("objectives/<int:pk>/", views.ObjectiveView.as_view(), name="objective"),
    path("objectives/<int:pk>/edit/", views.ObjectiveEditView.as_view(), name="objective_edit"),
    path("objectives/<int:pk>/delete/", views.ObjectiveDeleteView.as_view(), name="objective_delete"),
    path(
        "objectives/<int:pk>/actions/add/",
        views.ObjectiveActionAddView.as_view(),
        name="objective_action_add",
    ),
    # KPIs and measurements
    path("kpis/", views.KpiListView.as_view(), name="kpi_list"),
    path("kpis/add/", views.KpiEditView.as_view(), name="kpi_add"),
    path("kpis/import/", views.MeasurementImportView.as_view(), name="measurement_import"),
    path("kpis/export/", views.MeasurementExportView.as_view(), name="measurement_export"),
    path("kpis/<int:pk>/", views.KpiView.as_view(), name="kpi"),
    path("kpis/<int:pk>/edit/", views.KpiEditView.as_view(), name="kpi_edit"),
    path("kpis/<int:pk>/delete/", views.KpiDeleteView.as_view(), name="kpi_delete"),
    path("kpis/<int:pk>/measurements/add/", views.MeasurementAddView.as_view(), name="measurement_add"),
    path("measurements/<int:pk>/delete/", views.MeasurementDeleteView.as_view(), name="measurement_delete"),
]
