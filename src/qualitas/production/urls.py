from django.urls import path

from qualitas.production import views

app_name = "production"

urlpatterns = [
    path("", views.LotListView.as_view(), name="lot_list"),
    path("lots/add/", views.LotEditView.as_view(), name="lot_add"),
    path("lots/<int:pk>/", views.LotView.as_view(), name="lot"),
    path("lots/<int:pk>/edit/", views.LotEditView.as_view(), name="lot_edit"),
    path("lots/<int:pk>/delete/", views.LotDeleteView.as_view(), name="lot_delete"),
    path(
        "lots/<int:pk>/transition/<slug:transition>/",
        views.LotTransitionView.as_view(),
        name="lot_transition",
    ),
    path("lots/<int:pk>/release/", views.LotReleaseView.as_view(), name="lot_release"),
    path("lots/<int:pk>/disposition/", views.LotDispositionView.as_view(), name="lot_disposition"),
    path("lots/<int:pk>/genealogy/", views.LotGenealogyView.as_view(), name="lot_genealogy"),
    path("products/", views.ProductListView.as_view(), name="product_list"),
    path("products/add/", views.ProductEditView.as_view(), name="product_add"),
    path("products/<int:pk>/", views.ProductView.as_view(), name="product"),
    path("products/<int:pk>/edit/", views.ProductEditView.as_view(), name="product_edit"),
    path("products/<int:pk>/delete/", views.ProductDeleteView.as_view(), name="product_delete"),
    path("characteristics/", views.CharacteristicListView.as_view(), name="characteristic_list"),
    path("characteristics/add/", views.CharacteristicEditView.as_view(), name="characteristic_add"),
    path("characteristics/<int:pk>/", views.CharacteristicView.as_view(), name="characteristic"),
    path(
        "characteristics/<int:pk>/edit/", views.CharacteristicEditView.as_view(), name="characteristic_edit"
    ),
    path(
        "characteristics/<int:pk>/delete/",
        views.CharacteristicDeleteView.as_view(),
        name="characteristic_delete",
    ),
    path("characteristics/<int:pk>/lock/", views.LockLimitsView.as_view(), name="characteristic_lock"),
    path(
        "characteristics/<int:pk>/exclude/", views.ExcludePointView.as_view(), name="characteristic_exclude"
    ),
    path("characteristics/<int:pk>/check/", views.CheckValueView.as_view(), name="characteristic_check"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/add/", views.PlanEditView.as_view(), name="plan_add"),
    path("plans/<int:pk>/", views.PlanView.as_view(), name="plan"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/delete/", views.PlanDeleteView.as_view(), name="plan_delete"),
    path("plans/<int:pk>/entry/", views.EntryView.as_view(), name="entry"),
    path("records/<int:pk>/", views.RecordView.as_view(), name="record"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("analysis/", views.AnalysisView.as_view(), name="analysis"),
]
