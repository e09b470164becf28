"""What the whole suite shares: one folder per run for the databases it builds once
(``qualitas.core.testing.databases``), and a snapshot of each worker's freshly migrated database."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

from qualitas.core.testing.databases import RUN_DIR_ENV, snapshot_migrated


def pytest_configure(config: pytest.Config) -> None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        os.environ[RUN_DIR_ENV] = workerinput[RUN_DIR_ENV]
    elif RUN_DIR_ENV not in os.environ:
        config.stash[_OWN_RUN_DIR] = os.environ[RUN_DIR_ENV] = tempfile.mkdtemp(prefix="qualitas-tests-")


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: hand the folder to each worker
def pytest_configure_node(node: Any) -> None:
    node.workerinput[RUN_DIR_ENV] = os.environ[RUN_DIR_ENV]


def pytest_unconfigure(config: pytest.Config) -> None:
    own = config.stash.get(_OWN_RUN_DIR, None)
    if own:
        shutil.rmtree(own, ignore_errors=True)
        os.environ.pop(RUN_DIR_ENV, None)


_OWN_RUN_DIR = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        snapshot_migrated()
    yield
