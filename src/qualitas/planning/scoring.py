"""Pure arithmetic of the planning area: risk matrix levels and KPI status. No database access."""

from __future__ import annotations

from qualitas.planning.choices import Direction, KpiStatus, RiskLevel

MIN_MATRIX, MAX_MATRIX = 3, 5

# Level boundaries as a share of the largest score (size × size). On a 5×5 matrix this gives
# 1–4 low, 5–9 medium, 10–16 high, 20–25 critical; on 3×3: 1 low, 2–3 medium, 4 high, 6–9 critical.
LEVEL_BOUNDS: tuple[tuple[float, str], ...] = (
    (0.16, RiskLevel.LOW),
    (0.36, RiskLevel.MEDIUM),
    (0.64, RiskLevel.HIGH),
    (1.0, RiskLevel.CRITICAL),
)
LEVEL_ORDER = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2, RiskLevel.CRITICAL: 3}


def check_matrix_size(size: int) -> int:
    if not MIN_MATRIX <= int(size) <= MAX_MATRIX:
        raise ValueError(f"The matrix size must be between {MIN_MATRIX} and {MAX_MATRIX}.")
    return int(size)


def risk_score(likelihood: int, impact: int, size: int) -> int:
    """Likelihood × impact, each on the scale 1..size."""
    check_matrix_size(size)
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if not 1 <= int(value) <= size:
            raise ValueError(f"The {name} must be between 1 and {size}.")
    return int(likelihood) * int(impact)


def risk_level(score: int, size: int) -> str:
    """The level band of a score on a size × size matrix."""
    check_matrix_size(size)
    top = size * size
    if not 1 <= score <= top:
        raise ValueError(f"A score on a {size}×{size} matrix lies between 1 and {top}.")
    share = score / top
    for bound, level in LEVEL_BOUNDS:
        if share <= bound + 1e-9:
            return str(level)
    return str(RiskLevel.CRITICAL)  # pragma: no cover - the last bound is 1.0


def level_of(likelihood: int, impact: int, size: int) -> tuple[int, str]:
    score = risk_score(likelihood, impact, size)
    return score, risk_level(score, size)


def _meets(value: float, threshold: float, direction: str) -> bool:
    return value >= threshold if direction == Direction.HIGHER else value <= threshold


def kpi_status(
    value: float | None,
    *,
    direction: str,
    target: float,
    warning: float | None = None,
    alarm: float | None = None,
) -> str:
    """On target when the value meets the warning threshold (the target when no warning threshold is
    set); off target when it misses the alarm threshold; at risk in between."""
    if value is None:
        return str(KpiStatus.NO_DATA)
    green_edge = target if warning is None else warning
    if _meets(value, green_edge, direction):
        return str(KpiStatus.ON_TARGET)
    if alarm is not None and not _meets(value, alarm, direction):
        return str(KpiStatus.OFF_TARGET)
    return str(KpiStatus.AT_RISK)


STATUS_RANK = {KpiStatus.NO_DATA: -1, KpiStatus.ON_TARGET: 0, KpiStatus.AT_RISK: 1, KpiStatus.OFF_TARGET: 2}


def worse(a: str, b: str) -> str:
    return a if STATUS_RANK.get(a, -1) >= STATUS_RANK.get(b, -1) else b  # type: ignore[call-overload]


def crossed(previous: str | None, current: str) -> bool:
    """Whether a new measurement crossed a threshold for the worse (the alert rule)."""
    if current in (KpiStatus.ON_TARGET, KpiStatus.NO_DATA):
        return False
    before = STATUS_RANK.get(previous or KpiStatus.ON_TARGET, 0)  # type: ignore[call-overload]
    return STATUS_RANK[current] > max(before, 0)  # type: ignore[index]


def check_thresholds(
    direction: str, target: float, warning: float | None, alarm: float | None
) -> dict[str, str]:
    """Threshold order errors by field: for 'higher is better', target ≥ warning ≥ alarm."""
    errors: dict[str, str] = {}
    sign = 1 if direction == Direction.HIGHER else -1
    if warning is not None and sign * (target - warning) < 0:
        errors["warning"] = (
            "The warning threshold must not be better than the target "
            f"({'at or below' if sign > 0 else 'at or above'} {target:g})."
        )
    edge = target if warning is None else warning
    if alarm is not None and sign * (edge - alarm) < 0:
        errors["alarm"] = (
            "The alarm threshold must lie beyond the warning threshold "
            f"({'at or below' if sign > 0 else 'at or above'} {edge:g})."
        )
    return errors
