"""Chart constants against the published table, and d2/c4 recomputed independently."""

import math

import numpy as np
import pytest

from qualitas.production import spc

# Published table (3 decimals; c4 to 4): n: (A2, A3, B3, B4, c4, d2, d3, D3, D4, E2)
PUBLISHED = {
    2: (1.880, 2.659, 0.000, 3.267, 0.7979, 1.128, 0.853, 0.000, 3.267, 2.660),
    3: (1.023, 1.954, 0.000, 2.568, 0.8862, 1.693, 0.888, 0.000, 2.574, 1.772),
    4: (0.729, 1.628, 0.000, 2.266, 0.9213, 2.059, 0.880, 0.000, 2.282, 1.457),
    5: (0.577, 1.427, 0.000, 2.089, 0.9400, 2.326, 0.864, 0.000, 2.114, 1.290),
    6: (0.483, 1.287, 0.030, 1.970, 0.9515, 2.534, 0.848, 0.000, 2.004, 1.184),
    7: (0.419, 1.182, 0.118, 1.882, 0.9594, 2.704, 0.833, 0.076, 1.924, 1.109),
    8: (0.373, 1.099, 0.185, 1.815, 0.9650, 2.847, 0.820, 0.136, 1.864, 1.054),
    9: (0.337, 1.032, 0.239, 1.761, 0.9693, 2.970, 0.808, 0.184, 1.816, 1.010),
    10: (0.308, 0.975, 0.284, 1.716, 0.9727, 3.078, 0.797, 0.223, 1.777, 0.975),
}
NAMES = ("A2", "A3", "B3", "B4", "c4", "d2", "d3", "D3", "D4", "E2")


@pytest.mark.parametrize("n", sorted(PUBLISHED))
def test_every_constant_matches_the_published_table(n: int) -> None:
    k = spc.constants(n)
    for name, expected in zip(NAMES, PUBLISHED[n], strict=True):
        assert getattr(k, name) == pytest.approx(expected, abs=0.0015), (n, name)


def _phi(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


@pytest.mark.parametrize("n", [2, 5, 10])
def test_d2_equals_the_expected_range_of_n_standard_normals_by_integration(n: int) -> None:
    # E[R] = ∫ 1 - Φ(x)^n - (1 - Φ(x))^n dx over the real line.
    x = np.linspace(-9, 9, 20001)
    f = _phi(x)
    integrand = 1 - f**n - (1 - f) ** n
    d2 = float(np.sum((integrand[1:] + integrand[:-1]) / 2 * np.diff(x)))
    assert spc.constants(n).d2 == pytest.approx(d2, abs=1e-4)


def test_c4_matches_the_gamma_formula_and_simulation() -> None:
    assert spc.c4(2) == pytest.approx(math.sqrt(2 / math.pi), abs=1e-12)
    rng = np.random.default_rng(1)
    s = rng.standard_normal((200_000, 5)).std(axis=1, ddof=1)
    assert float(s.mean()) == pytest.approx(spc.c4(5), abs=0.003)


def test_subgroup_size_outside_the_table_is_refused() -> None:
    with pytest.raises(ValueError):
        spc.constants(11)
    with pytest.raises(ValueError):
        spc.constants(1)
