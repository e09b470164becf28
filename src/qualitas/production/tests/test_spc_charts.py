"""Control limits of every chart family against worked examples computed by hand."""

import math

import numpy as np
import pytest

from qualitas.production import spc

# Four subgroups of three, small numbers so every figure can be checked on paper.
SUBGROUPS = [[10, 12, 11], [11, 11, 14], [9, 10, 11], [12, 13, 11]]
# means 11, 12, 10, 12 -> grand mean 11.25; ranges 2, 3, 2, 2 -> R̄ 2.25


def test_xbar_r_limits_from_a_hand_worked_example() -> None:
    r = spc.xbar_r(SUBGROUPS)
    assert r.points.tolist() == [11, 12, 10, 12]
    assert r.center == pytest.approx(11.25)
    assert r.spread_center == pytest.approx(2.25)
    assert r.ucl[0] == pytest.approx(11.25 + 1.023 * 2.25, abs=0.002)  # A2(3) = 1.023
    assert r.lcl[0] == pytest.approx(11.25 - 1.023 * 2.25, abs=0.002)
    assert r.spread_ucl == pytest.approx(2.574 * 2.25, abs=0.002)  # D4(3)
    assert r.spread_lcl == 0
    assert r.sigma_within == pytest.approx(2.25 / 1.693, abs=0.001)


def test_xbar_s_limits_from_a_hand_worked_example() -> None:
    # Standard deviations: [1, sqrt(3), 1, 1] -> s̄ = (3 + 1.7320508) / 4
    sbar = (3 + math.sqrt(3)) / 4
    r = spc.xbar_s(SUBGROUPS)
    assert r.spread_center == pytest.approx(sbar)
    assert r.ucl[0] == pytest.approx(11.25 + 1.954 * sbar, abs=0.002)  # A3(3)
    assert r.spread_ucl == pytest.approx(2.568 * sbar, abs=0.002)  # B4(3)
    assert r.sigma_within == pytest.approx(sbar / 0.8862, abs=0.001)


def test_individuals_and_moving_range_limits() -> None:
    x = [5, 7, 6, 9, 8]  # moving ranges 2, 1, 3, 1 -> MR̄ 1.75; mean 7
    r = spc.imr(x)
    assert r.center == 7
    assert r.spread_center == pytest.approx(1.75)
    assert r.ucl[0] == pytest.approx(7 + 2.660 * 1.75, abs=0.005)
    assert r.lcl[0] == pytest.approx(7 - 2.660 * 1.75, abs=0.005)
    assert r.spread_ucl == pytest.approx(3.267 * 1.75, abs=0.002)
    assert math.isnan(r.spread[0]) and r.spread[1:].tolist() == [2, 1, 3, 1]
    assert r.sigma_within == pytest.approx(1.75 / 1.128, abs=0.001)


def test_p_chart_limits_vary_with_the_sample_size() -> None:
    r = spc.p_chart([5, 10, 3], [100, 200, 50])
    pbar = 18 / 350
    assert r.center == pytest.approx(pbar)
    for i, n in enumerate([100, 200, 50]):
        half = 3 * math.sqrt(pbar * (1 - pbar) / n)
        assert r.ucl[i] == pytest.approx(pbar + half)
        assert r.lcl[i] == pytest.approx(max(0.0, pbar - half))
    assert r.ucl[2] > r.ucl[0] > r.ucl[1]  # smaller samples get wider limits


def test_np_chart_limits() -> None:
    r = spc.np_chart([4, 6, 2, 4], 100)  # n·p̄ = 4, p̄ = 0.04
    assert r.center == pytest.approx(4)
    assert r.ucl[0] == pytest.approx(4 + 3 * math.sqrt(4 * 0.96))
    assert r.lcl[0] == 0  # 4 - 5.88 clipped


def test_c_chart_limits() -> None:
    r = spc.c_chart([9, 7, 8])  # c̄ = 8
    assert r.ucl[0] == pytest.approx(8 + 3 * math.sqrt(8))
    assert r.lcl[0] == 0


def test_u_chart_limits_vary_with_the_units_inspected() -> None:
    r = spc.u_chart([4, 6], [2, 4])  # ū = 10 / 6
    u = 10 / 6
    assert r.points.tolist() == [2.0, 1.5]
    assert r.ucl[0] == pytest.approx(u + 3 * math.sqrt(u / 2))
    assert r.ucl[1] == pytest.approx(u + 3 * math.sqrt(u / 4))


def test_capability_within_and_overall() -> None:
    values = np.array([9.8, 10.1, 10.0, 10.2, 9.9, 10.0])
    cap = spc.capability(values, lsl=9.0, usl=11.5, sigma_within=0.1)
    assert cap.cp == pytest.approx(2.5 / 0.6)
    assert cap.cpk == pytest.approx((10.0 - 9.0) / 0.3)  # mean 10.0 is nearer the LSL
    sd = float(np.std(values, ddof=1))
    assert cap.pp == pytest.approx(2.5 / (6 * sd))
    assert cap.ppk == pytest.approx(1.0 / (3 * sd))


def test_capability_with_a_one_sided_specification_has_no_cp() -> None:
    cap = spc.capability([1.0, 1.2, 1.1], lsl=None, usl=2.0, sigma_within=0.1)
    assert cap.cp is None
    assert cap.cpk == pytest.approx((2.0 - 1.1) / 0.3)
