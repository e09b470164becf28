"""Factories that build one record of a model in a given organization, through services.

Each area registers its models' factories in ``<area>/tests/factories.py``; the tenancy walker
(tests/test_tenancy_walk.py) uses them to put a record in organization B for every routed model and
prove that every role of organization A gets a 404 for it, on every page and endpoint.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from django.apps import apps

FACTORIES: dict[type, Callable[[Any, Any], Any]] = {}


def factory(model: type) -> Callable[[Callable[[Any, Any], Any]], Callable[[Any, Any], Any]]:
    def register(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        FACTORIES[model] = fn
        return fn

    return register


def load_all() -> dict[type, Callable[[Any, Any], Any]]:
    for config in apps.get_app_configs():
        if config.name.startswith("qualitas."):
            try:
                importlib.import_module(f"{config.name}.tests.factories")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tests.factories" and exc.name != f"{config.name}.tests":
                    raise
    return FACTORIES


def make(model: type, org: Any, actor: Any) -> Any:
    load_all()
    return FACTORIES[model](org, actor)
