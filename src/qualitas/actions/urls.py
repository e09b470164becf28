from django.urls import path

from qualitas.actions import views

app_name = "actions"

urlpatterns = [
    path("", views.ActionListView.as_view(), name="action_list"),
    path("add/", views.ActionEditView.as_view(), name="action_add"),
    path("<int:pk>/", views.ActionView.as_view(), name="action"),
    path("<int:pk>/edit/", views.ActionEditView.as_view(), name="action_edit"),
    path("<int:pk>/delete/", views.ActionDeleteView.as_view(), name="action_delete"),
    path(
        "<int:pk>/transition/<slug:transition>/",
        views.ActionTransitionView.as_view(),
        name="action_transition",
    ),
]
