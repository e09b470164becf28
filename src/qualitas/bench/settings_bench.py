"""Settings for running the bench commands before ``qualitas.bench`` is in INSTALLED_APPS:

    DJANGO_SETTINGS_MODULE=qualitas.bench.settings_bench uv run qualitas bench generate --scale S --org Bench

``QUALITAS_BENCH_AREAS=planning,documents`` (or ``none``) limits the installed QMS areas, e.g. to
benchmark the areas that are finished while another is half-built in the same checkout.
"""

import os

from qualitas.settings import *  # noqa: F403
from qualitas.settings import INSTALLED_APPS, QUALITAS_AREAS

_areas = os.environ.get("QUALITAS_BENCH_AREAS")
if _areas is not None:
    _keep = [a for a in _areas.split(",") if a and a != "none"]
    INSTALLED_APPS = [
        app
        for app in INSTALLED_APPS
        if not (
            app.startswith("qualitas.")
            and app.split(".")[1] in QUALITAS_AREAS
            and app.split(".")[1] not in _keep
        )
    ]
    QUALITAS_AREAS = [a for a in QUALITAS_AREAS if a in _keep]

if "qualitas.bench" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "qualitas.bench"]
