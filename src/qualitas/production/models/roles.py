"""Who may set up production data and who may release lots."""

from qualitas.accounts.choices import WRITERS, Role

SETUP = WRITERS | {Role.PROCESS_OWNER}
RELEASERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER})
