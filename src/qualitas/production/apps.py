from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "qualitas.production"
    label = "production"
