"""Signals become work: out-of-specification readings and broken rules hold the lot, open or
join a nonconformity and give the process owner an action."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.services import workflow_step
from qualitas.production import analysis, spc
from qualitas.production.choices import LotStatus, SignalAction, SignalKind
from qualitas.production.models import Characteristic, InspectionRecord, Lot, Signal
from qualitas.production.queries import recent_rule_nonconformity
from qualitas.production.workflow import LOT_WORKFLOW


def raise_signals(
    record: InspectionRecord,
    ch: Characteristic,
    lot: Lot,
    actor: Any,
    first_new: int,
    oos: np.ndarray,
    shown: list[Any],
) -> list[Signal]:
    signals: list[Signal] = []
    n_oos = int(oos.sum())
    if n_oos:
        bad = [shown[i] for i in np.flatnonzero(oos)[:5].tolist()]
        spec = (
            f"{ch.lsl if ch.lsl is not None else '−∞'} … {ch.usl if ch.usl is not None else '+∞'} {ch.unit}"
        )
        detail = (
            f"{n_oos} reading(s) of {ch.name} outside {spec.strip()} on lot {lot.number}: "
            f"{', '.join(str(b) for b in bad)}"
            if ch.is_numeric
            else f"{n_oos} sample(s) of {ch.name} with more than {ch.acceptance_number} defect(s) "
            f"on lot {lot.number}"
        )
        signals.append(_signal(record, ch, lot, actor, SignalKind.OUT_OF_SPEC, detail[:300], [], [], n_oos))
    if ch.limits_locked:
        broken = analysis.new_violations(ch, first_new)
        if broken:
            rules = sorted({code for codes in broken.values() for code in codes})
            names = "; ".join(f"{c} ({spc.RULES[c].name})" for c in rules)
            detail = f"{ch.name} on lot {lot.number}: {names}"
            signals.append(
                _signal(record, ch, lot, actor, SignalKind.RULE, detail[:300], rules, sorted(broken), None)
            )
    return signals


def _signal(
    record: InspectionRecord,
    ch: Characteristic,
    lot: Lot,
    actor: Any,
    kind: str,
    detail: str,
    rules: list[str],
    subgroups: list[int],
    quantity: int | None,
) -> Signal:
    signal = Signal(
        organization=record.organization,
        kind=kind,
        characteristic=ch,
        lot=lot,
        record=record,
        rules=rules,
        subgroups=subgroups,
        detail=detail,
        created_by=actor,
    )
    mode = ch.signal_action
    earlier = recent_rule_nonconformity(record, ch) if kind == SignalKind.RULE else None
    if earlier is not None:
        # The same process problem is already under investigation: add the signal to its nonconformity.
        signal.nonconformity_id, signal.nonconformity_reference = earlier
        mode = SignalAction.NONE
    elif mode == SignalAction.CREATE:
        nc = _open_nc(record, ch, lot, actor, kind, detail, quantity)
        if nc is not None:
            signal.nonconformity_id, signal.nonconformity_reference = nc.pk, nc.reference
    if mode != SignalAction.NONE:
        signal.action_id = _notify_owner(ch, lot, actor, signal, proposal=mode == SignalAction.PROPOSE)
    with audit.tracking(signal, actor=actor, action="signal.create"):
        signal.save()
    hold = kind == SignalKind.OUT_OF_SPEC or mode == SignalAction.CREATE
    if hold and audit.lock(lot).status == LotStatus.IN_PROCESS:
        # The system holds the lot (whatever the recorder's role): the signal is the reason.
        with workflow_step(
            lot, LOT_WORKFLOW, "hold", actor=actor, reason=f"Signal: {detail}"[:500], system=True
        ):
            pass
    return signal


def _open_nc(
    record: InspectionRecord,
    ch: Characteristic,
    lot: Lot,
    actor: Any,
    kind: str,
    detail: str,
    quantity: int | None,
) -> Any:
    try:
        from qualitas.improvement.services import open_nonconformity
    except ImportError:  # the improvement area is not installed: the signal stays on the chart and lot
        return None
    title = (
        f"Out of specification: {ch.name} on lot {lot.number}"
        if kind == SignalKind.OUT_OF_SPEC
        else f"Process signal: {ch.name} on lot {lot.number}"
    )
    data = {
        "title": title[:200],
        "description": detail,
        "source": "inspection",
        "severity": ch.criticality,
        "product": str(ch.product)[:200],
        "lot": lot.number,
        "quantity": quantity,
    }
    return open_nonconformity(organization=record.organization, actor=actor, data=data, related=[record])


def _notify_owner(ch: Characteristic, lot: Lot, actor: Any, signal: Signal, *, proposal: bool) -> int | None:
    from qualitas.actions.services import create_action

    owner = ch.product.owner or actor
    if owner is None:
        return None
    if signal.nonconformity_reference:
        kind = signal.get_kind_display().lower()
        title = f"Review {signal.nonconformity_reference}: {kind} on lot {lot.number}"
    elif proposal:
        title = f"Decide: open a nonconformity for {ch.name} on lot {lot.number}?"
    else:
        title = f"Signal on lot {lot.number}: {ch.name}"
    action = create_action(
        organization=lot.organization,
        actor=actor,
        subject=lot,
        data={
            "title": title[:200],
            "owner": owner,
            "priority": "high" if ch.criticality == "critical" else "normal",
            "due_date": timezone.localdate() + dt.timedelta(days=2),
            "description": signal.detail,
        },
    )
    return int(action.pk)
