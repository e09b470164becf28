from typing import Any

from qualitas.actions import services
from qualitas.actions.models import Action
from qualitas.core.testing.factories import factory


@factory(Action)
def make_action(org: Any, actor: Any, **overrides: Any) -> Action:
    data = {"title": "Recalibrate gauge G-12", "owner": actor, **overrides}
    return services.create_action(organization=org, actor=actor, data=data)
