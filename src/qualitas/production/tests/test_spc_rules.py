"""Each Western Electric and Nelson rule fires on a hand-made series and stays quiet on a near miss.

Series are in σ units around a centre of 0 with σ = 1, so each value is its own zone."""

import numpy as np
import pytest

from qualitas.production import spc


def fired(series: list[float], rule: str, sigma: float | list[float] = 1.0) -> list[int]:
    return spc.evaluate(np.array(series, dtype=float), 0.0, sigma, [rule])[rule].tolist()


@pytest.mark.parametrize("rule", ["WE1", "N1"])
def test_one_point_beyond_three_sigma(rule: str) -> None:
    assert fired([0, 1, -3.1, 2.9, 3.5], rule) == [2, 4]


@pytest.mark.parametrize("rule", ["WE2", "N5"])
def test_two_of_three_beyond_two_sigma_on_the_same_side(rule: str) -> None:
    assert fired([2.5, 0, 2.1, 0, 0], rule) == [2]
    # one above and one below is not the same side
    assert fired([2.5, 0, -2.1, 0, 0], rule) == []


@pytest.mark.parametrize("rule", ["WE3", "N6"])
def test_four_of_five_beyond_one_sigma_on_the_same_side(rule: str) -> None:
    assert fired([1.5, 1.2, 0, 1.1, 1.9], rule) == [4]
    assert fired([1.5, 1.2, 0, 1.1, 0.9], rule) == []


def test_we4_eight_in_a_row_on_one_side() -> None:
    assert fired([0.1] * 8, "WE4") == [7]
    assert fired([0.1] * 7 + [-0.1], "WE4") == []
    assert fired([-0.2] * 9, "WE4") == [7, 8]


def test_n2_nine_in_a_row_on_one_side() -> None:
    assert fired([0.3] * 8, "N2") == []
    assert fired([0.3] * 9, "N2") == [8]


def test_n3_six_points_steadily_rising_or_falling() -> None:
    assert fired([0, 0.1, 0.2, 0.3, 0.4, 0.5], "N3") == [5]
    assert fired([0, 0.1, 0.2, 0.3, 0.4, 0.4], "N3") == []  # a tie breaks the trend
    assert fired([0.5, 0.4, 0.3, 0.2, 0.1, 0.0, -0.1], "N3") == [5, 6]


def test_n4_fourteen_points_alternating() -> None:
    zigzag = [0.5 if i % 2 else -0.5 for i in range(14)]
    assert fired(zigzag, "N4") == [13]
    assert fired(zigzag[:13], "N4") == []


def test_n7_fifteen_points_within_one_sigma() -> None:
    hugging = [0.2, -0.3] * 7 + [0.1]
    assert fired(hugging, "N7") == [14]
    assert fired([*hugging[:14], 1.2], "N7") == []


def test_n8_eight_points_outside_one_sigma_on_either_side() -> None:
    assert fired([1.5, -1.5] * 4, "N8") == [7]
    assert fired([1.5, -1.5] * 3 + [0.5, 1.5], "N8") == []


def test_zones_follow_variable_limits_per_point() -> None:
    # The same value is beyond 3σ where σ is small and inside where σ is large.
    assert fired([0.6, 0.6], "WE1", sigma=[0.1, 1.0]) == [0]


def test_unknown_rule_is_an_error() -> None:
    with pytest.raises(ValueError):
        spc.evaluate(np.zeros(3), 0.0, 1.0, ["X9"])


def test_attribute_charts_default_to_no_zone_rules() -> None:
    assert not any(spc.RULES[c].zone for c in spc.default_rules("p"))
    assert any(spc.RULES[c].zone for c in spc.default_rules("xbar_r"))


def test_a_long_series_is_evaluated_and_finds_an_injected_shift() -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal(100_000) * 0.3
    x[50_000:50_010] += 2.0
    result = spc.evaluate(x, 0.0, 1.0, list(spc.RULES))
    assert any(50_000 <= i < 50_020 for i in result["WE2"].tolist())
    assert set(result) == set(spc.RULES)
