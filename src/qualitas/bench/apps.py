from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Scale and speed tools: `qualitas bench generate|run|load` (no models, no pages)."""

    name = "qualitas.bench"
    label = "bench"
    verbose_name = "Benchmarks"
