from typing import Any

from qualitas.assessment import queries


def ratings_owed_tile(organization: Any, user: Any) -> dict[str, Any]:
    """Assessments in rating where this person is an assessor and has not submitted yet."""
    owed = queries.ratings_owed(organization, user)
    return {
        "template": "assessment/partials/_ratings_owed.html" if owed else "assessment/partials/_empty.html",
        "owed": owed,
    }
