from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "qualitas.standards"
    label = "standards"
