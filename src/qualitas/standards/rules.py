"""Plausibility rules for non-applicability (ISO 9001 4.3). Pure functions, unit-tested.

The product refuses a non-applicable requirement without a justification (services) and warns where
a justification is unlikely to convince a certification auditor (these rules)."""

from __future__ import annotations

from typing import Any


def implausible_reasons(number: str, *, outsourced_design: bool = False) -> list[str]:
    """Why declaring ``number`` not applicable is likely to be challenged; empty when it looks fine."""
    reasons: list[str] = []
    if number == "8.4" or number.startswith("8.4."):
        reasons.append(
            "Control of external providers (8.4) applies to almost every organization: anything "
            "bought in or outsourced falls under it. An auditor will challenge this exclusion."
        )
    if (number == "8.3" or number.startswith("8.3.")) and outsourced_design:
        reasons.append(
            "The scope says design is outsourced: the organization remains responsible for it and "
            "must control it (8.3 with 8.4). Outsourced design is not a valid reason for N/A."
        )
    credible = number.startswith(("7.1.5", "8.")) or number == "8"
    if not credible:
        reasons.append(
            f"Non-applicability outside 7.1.5 and clause 8 is rarely credible: {number} describes "
            "how every quality system works."
        )
    return reasons


def warnings_for(numbers: list[str], scope: Any) -> list[str]:
    outsourced = bool(getattr(scope, "outsourced_design", False))
    seen: list[str] = []
    for n in numbers:
        for r in implausible_reasons(n, outsourced_design=outsourced):
            if r not in seen:
                seen.append(r)
    return seen
