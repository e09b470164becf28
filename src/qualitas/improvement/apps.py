from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "qualitas.improvement"
    label = "improvement"
