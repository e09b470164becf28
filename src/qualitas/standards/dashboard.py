from typing import Any

from qualitas.standards import readiness


def readiness_tile(organization: Any, user: Any) -> dict[str, Any]:
    figures = readiness.compute(organization)
    return {
        "template": "standards/partials/_readiness_tile.html",
        "overall": figures["overall"],
        "groups": figures["groups"],
        "gap_count": figures["gap_count"],
    }
