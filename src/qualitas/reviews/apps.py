from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "qualitas.reviews"
    label = "reviews"
