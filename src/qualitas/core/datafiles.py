"""Data files that ship with an area: ``<area>/data/<name>.toml``, read with ``tomllib``.

    rows = datafiles.load("documents", "demo")["documents"]     # documents/data/demo.toml

Demo data, question banks and similar tables live in such files instead of Python tuples: one
loader, one format, a clear error naming the file when it is wrong. ``name`` may name a file in a
subfolder (``"demo/documents"``); it cannot leave the area's ``data`` folder.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


class DataFileError(ImproperlyConfigured):
    """A data file that is missing or not valid TOML."""


def path(app_label: str, name: str) -> Path:
    """Where ``load(app_label, name)`` reads from (the file need not exist)."""
    base = (Path(apps.get_app_config(app_label).path) / "data").resolve()
    parts = Path(name)
    if parts.is_absolute() or ".." in parts.parts or not name:
        raise DataFileError(f"{name!r} is not a data file name")
    return base / f"{name}.toml"


@functools.lru_cache(maxsize=64)
def _read(file: Path, stamp: float) -> dict[str, Any]:
    with file.open("rb") as fh:
        return tomllib.load(fh)


def load(app_label: str, name: str) -> dict[str, Any]:
    """The parsed TOML of ``<app>/data/<name>.toml`` (read once while the file is unchanged).
    Raises ``DataFileError`` naming the file when it is missing or not valid TOML. The result is
    shared: copy what you change."""
    file = path(app_label, name)
    try:
        return _read(file, file.stat().st_mtime)
    except FileNotFoundError:
        raise DataFileError(f"missing data file {file}") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{file}: {exc}") from None
