import uuid
from typing import Any

from qualitas.core.background import notices
from qualitas.core.background.models import Notice
from qualitas.core.testing.factories import factory


@factory(Notice)
def make_notice(org: Any, actor: Any) -> Notice:
    notice = notices.notify(org, actor, "core.job_done", key=f"test:{uuid.uuid4().hex}", title="Pack ready")
    assert notice is not None
    return notice
