from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "qualitas.assessment"
    label = "assessment"
