"""How a status looks: each area declares the tone of its statuses next to its choices.

    # documents/choices.py
    declare_tones(RevisionStatus, {RevisionStatus.DRAFT: "muted", RevisionStatus.EFFECTIVE: "ok"})

The ``{% badge value label %}`` tag colours a status by its tone: ``ok`` (green), ``warn`` (amber),
``bad`` (red), ``info`` (blue, also for anything not declared) or ``muted`` (grey). A status word
means one tone wherever it appears: two areas that declare the same word with different tones stop
the start-up with an error naming both (a word that means something else in one place, such as a
risk level, gets that place's own tag).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

TONES = ("ok", "warn", "bad", "info", "muted")
DEFAULT_TONE = "info"

_declared: dict[str, tuple[str, str]] = {}  # status value -> (tone, "module.Choices")


def declare_tones(choices: Any, tones: Mapping[Any, str]) -> None:
    """Declare the tone of some of ``choices``' values (members or their values)."""
    where = f"{choices.__module__}.{choices.__name__}"
    for member, tone in tones.items():
        value = str(getattr(member, "value", member))
        if tone not in TONES:
            known = ", ".join(TONES)
            raise ImproperlyConfigured(f"{where}: tone {tone!r} for {value!r} is not one of {known}")
        if value not in choices.values:
            raise ImproperlyConfigured(f"{where} has no value {value!r}")
        previous = _declared.get(value)
        if previous is not None and previous[0] != tone:
            raise ImproperlyConfigured(
                f"{where} makes {value!r} {tone}, but {previous[1]} made it {previous[0]}: one word, one tone"
            )
        _declared.setdefault(value, (tone, where))


def tone_for(value: Any) -> str:
    found = _declared.get(str(value))
    return found[0] if found else DEFAULT_TONE


def declared() -> dict[str, str]:
    """Every declared status value and its tone."""
    return {value: tone for value, (tone, _where) in _declared.items()}
