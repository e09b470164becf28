"""Test helpers of the improvement area."""

from __future__ import annotations

import itertools
from typing import Any

from qualitas.planning.models import Process

_codes = itertools.count(1)


def make_process(org: Any, name: str = "Machining") -> Process:
    # The planning area's services are not ours to call from here; a plain row is enough for a link.
    return Process.objects.create(organization=org, code=f"P{next(_codes):03d}", name=name)
