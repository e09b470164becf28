"""A small state machine: states, allowed transitions, the roles allowed for each, reasons where needed.

Kept in our own ~100 lines rather than django-fsm-2 (see docs/adr/0004-workflow-helper.md): the
table is plain data that the UI reads to show only the buttons a person may press, and a service
takes a step with ``core.services.workflow_step``, which checks and applies the transition on the
locked, freshly read row inside ``audit.tracking`` (docs/adr/0010-writes-act-on-the-locked-fresh-row.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from qualitas.core.exceptions import TransitionError
from qualitas.core.permissions import membership_of
from qualitas.core.types import Actor


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    label: str = ""
    reason_required: bool = False
    # Extra gate: returns an error message, or "" when the transition may happen.
    guard: Callable[[Any], str] | None = None
    # Whether the record's owner may take it even without one of ``roles``.
    owner_may: bool = False
    style: str = "primary"

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


@dataclass
class Workflow:
    field: str
    transitions: Iterable[Transition]
    owner_field: str | None = None
    _by_name: dict[str, Transition] = dc_field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.transitions = tuple(self.transitions)
        self._by_name = {t.name: t for t in self.transitions}

    def get(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise TransitionError(f"Unknown transition {name!r}.") from None

    def _is_owner(self, obj: Any, user: Actor) -> bool:
        return bool(self.owner_field) and getattr(obj, f"{self.owner_field}_id", None) == getattr(
            user, "pk", None
        )

    def begin(self, obj: Any, name: str, *, actor: Actor, reason: str = "") -> Transition:
        """Check the state, the actor's role and the reason, then set the target state.

        ``actor=None`` skips the role check: the system takes steps without roles (a signature
        completing a review, a release). The guard is checked by ``finish`` once the service has
        recorded what the step brings (a note, a verdict)."""
        t = self.get(name)
        state = getattr(obj, self.field)
        if state not in t.sources:
            raise TransitionError(f"Cannot {t.title.lower()} from the state “{state}”.")
        if actor is not None:
            m = membership_of(actor, obj.organization)
            if m is None or not (m.role in t.roles or (t.owner_may and self._is_owner(obj, actor))):
                raise TransitionError(f"Your role does not allow you to {t.title.lower()}.")
        if t.reason_required and not reason.strip():
            raise TransitionError(f"A reason is required to {t.title.lower()}.")
        setattr(obj, self.field, t.target)
        return t

    def finish(self, obj: Any, transition: Transition) -> None:
        """Check the transition's guard on the record as the step leaves it."""
        if transition.guard is not None:
            problem = transition.guard(obj)
            if problem:
                raise TransitionError(problem)

    def available(self, obj: Any, user: Actor) -> list[Transition]:
        """Transitions this user could take now (ignoring guards and reasons) — for buttons."""
        m = membership_of(user, obj.organization)
        if m is None:
            return []
        state = getattr(obj, self.field)
        return [
            t
            for t in self.transitions
            if state in t.sources and (m.role in t.roles or (t.owner_may and self._is_owner(obj, user)))
        ]
