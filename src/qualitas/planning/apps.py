from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "qualitas.planning"
    label = "planning"
