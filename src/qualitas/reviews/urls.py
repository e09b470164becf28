from django.urls import path

from qualitas.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="review_list"),
    path("add/", views.ReviewEditView.as_view(), name="review_add"),
    path("<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("<int:pk>/edit/", views.ReviewEditView.as_view(), name="review_edit"),
    path("<int:pk>/delete/", views.ReviewDeleteView.as_view(), name="review_delete"),
    path(
        "<int:pk>/transition/<slug:transition>/",
        views.ReviewTransitionView.as_view(),
        name="review_transition",
    ),
    path("<int:pk>/minutes/", views.MinuteSaveView.as_view(), name="review_minute"),
    path("<int:pk>/minutes.pdf", views.MinutesPDFView.as_view(), name="review_pdf"),
    path("decisions/", views.OutputListView.as_view(), name="output_list"),
    path("decisions/add/", views.OutputEditView.as_view(), name="output_add"),
    path("decisions/<int:pk>/", views.OutputView.as_view(), name="output"),
    path("decisions/<int:pk>/edit/", views.OutputEditView.as_view(), name="output_edit"),
    path("decisions/<int:pk>/delete/", views.OutputDeleteView.as_view(), name="output_delete"),
]
