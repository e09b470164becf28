"""The pure rules of a self-assessment: no database, unit-tested on their own."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MIN_LEVEL, MAX_LEVEL = 1, 5


def element_level(met_by_level: Mapping[int, Sequence[bool]]) -> int:
    """The "no gaps below" rule: the highest level whose criteria, and all criteria of every level
    below it, are met. Level 1 is the floor: an element with nothing in place is at the basic level.

    ``met_by_level`` maps a level number (1..5) to one boolean per criterion of that level. A level
    without criteria cannot be reached (there is nothing to show for it).
    """
    reached = MIN_LEVEL
    for number in range(MIN_LEVEL, MAX_LEVEL + 1):
        marks = list(met_by_level.get(number, ()))
        if not marks or not all(marks):
            break
        reached = number
    return reached


def met_above(met_by_level: Mapping[int, Sequence[bool]], level: int) -> int:
    """How many criteria are marked as met above the reached level (held back by a gap below)."""
    return sum(sum(1 for m in marks if m) for n, marks in met_by_level.items() if n > level)


@dataclass(frozen=True)
class Spread:
    count: int
    low: int | None
    high: int | None
    mean: float | None
    stdev: float | None

    @property
    def range(self) -> int:
        return (self.high - self.low) if self.low is not None and self.high is not None else 0

    @property
    def median(self) -> int | None:
        return None if self.mean is None else round(self.mean)


def spread(levels: Iterable[int]) -> Spread:
    """Min, max, mean and (population) standard deviation of the assessors' levels for one element."""
    values = [int(v) for v in levels if v is not None]
    if not values:
        return Spread(0, None, None, None, None)
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return Spread(len(values), min(values), max(values), round(mean, 2), round(sd, 2))


def by_disagreement(spreads: Mapping[str, Spread]) -> list[str]:
    """Element keys, most disagreement first (standard deviation, then range), stable otherwise."""
    order = list(spreads)
    return sorted(order, key=lambda k: (-(spreads[k].stdev or 0), -spreads[k].range, order.index(k)))


def trend(current: int | None, previous: int | None) -> str:
    """Per element, against the previous completed assessment: up, down, same or new."""
    if current is None:
        return "none"
    if previous is None:
        return "new"
    return "up" if current > previous else "down" if current < previous else "same"


def compare(current: Mapping[str, int | None], previous: Mapping[str, int | None]) -> dict[str, str]:
    return {number: trend(level, previous.get(number)) for number, level in current.items()}


def gap(level: int | None, target: int | None) -> int | None:
    if level is None or target is None:
        return None
    return max(target - level, 0)


CONTRADICTION_DISTANCE = 2


def contradicts(consensus: int | None, suggested: int | None) -> bool:
    """Whether the evidence contradicts the rating: the indicator suggests a level at least two away."""
    if consensus is None or suggested is None:
        return False
    return abs(int(consensus) - int(suggested)) >= CONTRADICTION_DISTANCE


def level_for_share(share: float | None) -> int | None:
    """A suggested level for a share (0..1) where more is better: <20 % → 1, … ≥80 % → 5."""
    if share is None:
        return None
    return min(MAX_LEVEL, max(MIN_LEVEL, int(share * 5) + 1))


def clause_levels(levels: Mapping[str, int | None], clause_of: Mapping[str, str]) -> dict[str, float | None]:
    """Mean level per clause from element levels (the radar's axes)."""
    grouped: dict[str, list[int]] = {}
    for number, level in levels.items():
        clause = clause_of[number]
        grouped.setdefault(clause, [])
        if level is not None:
            grouped[clause].append(level)
    return {c: (round(sum(v) / len(v), 2) if v else None) for c, v in grouped.items()}
