import uuid
from typing import Any

from qualitas.accounts import services
from qualitas.accounts.models import Membership
from qualitas.core.testing.factories import factory


@factory(Membership)
def make_membership(org: Any, actor: Any) -> Membership:
    return services.add_member(org, actor=actor, username=f"person-{uuid.uuid4().hex[:8]}")
