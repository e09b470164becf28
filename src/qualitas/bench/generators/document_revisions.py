"""One revision's way through review: submitted, signed (a few rejected once and resubmitted), approved
and scheduled, as ``transition_revision``, ``sign_revision`` and ``release_revision`` write it."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from qualitas.bench.generators.common import MS, History, stamp

REJECT_COMMENTS = ["Step 3 contradicts the drawing tolerance.", "The gauge named is not in our register."]

REVISION_INITIAL = {
    "status": "draft",
    "cycle": 0,
    "submitted_at": None,
    "approved_at": None,
    "effective_date": None,
    "effective_reason": "",
    "effective_at": None,
    "superseded_at": None,
    "content_sha256": "",
}


def revision_cycle(
    ctx: Any,
    rng: random.Random,
    rev: Any,
    start: dt.datetime,
    limit: dt.datetime | None,
    author: Any,
    reviewers: list[Any],
    approvers: list[Any],
) -> tuple[History, dt.datetime | None, list[Any]]:
    """Submit, sign, approve and schedule one revision (``transition_revision``, ``sign_revision``,
    ``release_revision``); steps after ``limit`` (the next revision) or the end of history are not
    taken. Returns the revision's history, the release time (None while open) and its signatures."""
    from qualitas.documents.models import Signature

    rejected = rng.random() < 0.06
    final_text = rev.text
    if rejected:  # the first round used a draft the reviewers turned down
        rev.text = final_text.replace("\n1. ", "\n1. (draft) ", 1)
    hist = History(**REVISION_INITIAL, text=rev.text)
    # Durations in days, squeezed when the next revision starts soon after this one.
    plan = [rng.uniform(0.05, 4)]
    plan += [rng.uniform(0.1, 2), rng.uniform(0.2, 3), rng.uniform(0.05, 1)] if rejected else []
    plan += [rng.uniform(0.05, 3) for _ in reviewers + approvers] + [rng.uniform(0.0, 5)]
    squeeze = 1.0
    if limit is not None:
        squeeze = min(1.0, 0.9 * (limit - start).total_seconds() / 86400 / sum(plan))
    times, t = [], start
    for days in plan:
        t += dt.timedelta(days=days * squeeze) + 4 * MS
        times.append(t)
    end = ctx.end
    clock = iter(times)
    sigs: list[Any] = []

    def sign(signer: Any, meaning: str, when: dt.datetime, comment: str = "") -> Any:
        sig = Signature(
            revision=rev,
            cycle=hist.state["cycle"],
            signer_id=signer.pk,
            signer_name=signer.display_name,
            signer_username=signer.get_username(),
            meaning=meaning,
            signed_at=when,
            comment=comment,
            content_sha256=hist.state["content_sha256"],
        )
        sig.signer = signer
        sigs.append(stamp(ctx, sig, when, when, signer))
        return sig

    def submit(when: dt.datetime) -> None:
        hist.step(
            when,
            author,
            "revision.submit",
            status="in_review",
            cycle=hist.state["cycle"] + 1,
            submitted_at=when,
            content_sha256=rev.compute_content_hash(),
        )

    when = next(clock)
    if when >= end:
        return hist, None, sigs
    submit(when)
    if rejected:
        who = (reviewers or approvers)[0]
        when = next(clock)
        if when >= end:
            return hist, None, sigs
        comment = rng.choice(REJECT_COMMENTS)
        sign(who, "rejected", when, comment)
        hist.step(when + MS, who, "revision.reject", comment, status="draft")
        when = next(clock)
        if when >= end:
            return hist, None, sigs
        rev.text = final_text
        hist.step(when, author, "revision.update", text=final_text)
        when = next(clock)
        if when >= end:
            return hist, None, sigs
        submit(when)
    for signer, meaning in [(p, "reviewed") for p in reviewers] + [(p, "approved") for p in approvers]:
        when = next(clock)
        if when >= end:
            return hist, None, sigs
        sig = sign(signer, meaning, when)
    hist.step(when + MS, sig.signer, "revision.approve", status="approved", approved_at=sig.signed_at)
    released = next(clock)
    if released >= end - 4 * MS:
        return hist, None, sigs
    hist.step(released, author, "revision.schedule", effective_date=released.date())
    return hist, released, sigs
