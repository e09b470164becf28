"""Statistical process control, in pure NumPy: control-chart constants, control limits for the
variables charts (X̄-R, X̄-S, I-MR) and the attribute charts (p, np, c, u), the Western Electric and
Nelson run rules, and process capability (Cp, Cpk, Pp, Ppk).

Nothing here touches the database. Every rule is evaluated with whole-array operations (cumulative
sums over boolean masks); there is no Python loop over the points, so a million readings take a
few tens of milliseconds.

Rule results are the indices of the points that *complete* a pattern: for "2 of 3 beyond 2σ" the
flagged index is the last point of each qualifying window of three.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

# --- constants -----------------------------------------------------------------------------------

# d2 (mean of the relative range) and d3 (its standard deviation) of n normal values, n = 2..10,
# to four decimals. Every other factor below is derived from d2, d3 and c4.
_D2 = {2: 1.1284, 3: 1.6926, 4: 2.0588, 5: 2.3259, 6: 2.5344, 7: 2.7044, 8: 2.8472, 9: 2.9700, 10: 3.0775}
_D3_SMALL = {
    2: 0.8525,
    3: 0.8884,
    4: 0.8798,
    5: 0.8641,
    6: 0.8480,
    7: 0.8332,
    8: 0.8198,
    9: 0.8078,
    10: 0.7971,
}

MIN_N, MAX_N = 2, 10


def c4(n: int) -> float:
    """Bias factor of the sample standard deviation: E[s] = c4·σ (exact, from the gamma function)."""
    return math.sqrt(2.0 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


@dataclass(frozen=True)
class Constants:
    n: int
    d2: float
    d3: float
    c4: float
    A2: float  # X̄ limits from R̄:   X̿ ± A2·R̄
    A3: float  # X̄ limits from s̄:   X̿ ± A3·s̄
    D3: float  # R chart lower:      D3·R̄
    D4: float  # R chart upper:      D4·R̄
    B3: float  # S chart lower:      B3·s̄
    B4: float  # S chart upper:      B4·s̄
    E2: float  # individuals limits: X̄ ± E2·MR̄ (moving range of 2)


def _build(n: int) -> Constants:
    d2, d3, c = _D2[n], _D3_SMALL[n], c4(n)
    root = math.sqrt(n)
    s_spread = 3 * math.sqrt(1 - c * c) / c
    return Constants(
        n=n,
        d2=d2,
        d3=d3,
        c4=c,
        A2=3 / (d2 * root),
        A3=3 / (c * root),
        D3=max(0.0, 1 - 3 * d3 / d2),
        D4=1 + 3 * d3 / d2,
        B3=max(0.0, 1 - s_spread),
        B4=1 + s_spread,
        E2=3 / d2,
    )


CONSTANTS: dict[int, Constants] = {n: _build(n) for n in range(MIN_N, MAX_N + 1)}


def constants(n: int) -> Constants:
    if n not in CONSTANTS:
        raise ValueError(f"subgroup size must be between {MIN_N} and {MAX_N}, not {n}")
    return CONSTANTS[n]


# --- charts --------------------------------------------------------------------------------------

VARIABLE_CHARTS = ("xbar_r", "xbar_s", "imr")
ATTRIBUTE_CHARTS = ("p", "np", "c", "u")


@dataclass
class ChartResult:
    """The plotted statistic with its limits (arrays for per-point limits of p and u charts)."""

    kind: str
    points: NDArray[np.float64]  # X̄, x, p, np, c or u per subgroup
    center: float
    lcl: NDArray[np.float64]
    ucl: NDArray[np.float64]
    # The second chart of a pair (R, S or MR); None for attribute charts.
    spread: NDArray[np.float64] | None = None
    spread_center: float | None = None
    spread_lcl: float | None = None
    spread_ucl: float | None = None
    sigma_within: float | None = None  # process σ estimated from R̄/d2, s̄/c4 or MR̄/d2
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def sigma(self) -> NDArray[np.float64]:
        """One chart σ per point (the distance from the centre to a limit, divided by three)."""
        return (self.ucl - self.center) / 3.0


def _as2d(subgroups: ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(subgroups, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] < 1:
        raise ValueError("subgroups must be a 2-D array: one row per subgroup")
    return arr


def _full(value: float, k: int) -> NDArray[np.float64]:
    return np.full(k, float(value))


def xbar_r(subgroups: ArrayLike) -> ChartResult:
    x = _as2d(subgroups)
    k = constants(x.shape[1])
    means = x.mean(axis=1)
    ranges = x.max(axis=1) - x.min(axis=1)
    grand, rbar = float(means.mean()), float(ranges.mean())
    return ChartResult(
        "xbar_r",
        means,
        grand,
        _full(grand - k.A2 * rbar, len(means)),
        _full(grand + k.A2 * rbar, len(means)),
        spread=ranges,
        spread_center=rbar,
        spread_lcl=k.D3 * rbar,
        spread_ucl=k.D4 * rbar,
        sigma_within=rbar / k.d2,
    )


def xbar_s(subgroups: ArrayLike) -> ChartResult:
    x = _as2d(subgroups)
    k = constants(x.shape[1])
    means = x.mean(axis=1)
    sds = x.std(axis=1, ddof=1)
    grand, sbar = float(means.mean()), float(sds.mean())
    return ChartResult(
        "xbar_s",
        means,
        grand,
        _full(grand - k.A3 * sbar, len(means)),
        _full(grand + k.A3 * sbar, len(means)),
        spread=sds,
        spread_center=sbar,
        spread_lcl=k.B3 * sbar,
        spread_ucl=k.B4 * sbar,
        sigma_within=sbar / k.c4,
    )


def imr(values: ArrayLike) -> ChartResult:
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size < 2:
        raise ValueError("an individuals chart needs at least two values")
    mr = np.abs(np.diff(x))
    k = CONSTANTS[2]
    mean, mrbar = float(x.mean()), float(mr.mean())
    # The first point has no moving range: NaN keeps the two series aligned.
    spread = np.concatenate(([np.nan], mr))
    return ChartResult(
        "imr",
        x,
        mean,
        _full(mean - k.E2 * mrbar, x.size),
        _full(mean + k.E2 * mrbar, x.size),
        spread=spread,
        spread_center=mrbar,
        spread_lcl=0.0,
        spread_ucl=k.D4 * mrbar,
        sigma_within=mrbar / k.d2,
    )


def p_chart(defectives: ArrayLike, sizes: ArrayLike) -> ChartResult:
    d = np.asarray(defectives, dtype=np.float64)
    n = np.asarray(sizes, dtype=np.float64)
    pbar = float(d.sum() / n.sum())
    half = 3 * np.sqrt(pbar * (1 - pbar) / n)
    return ChartResult(
        "p", d / n, pbar, np.clip(pbar - half, 0, None), np.minimum(pbar + half, 1.0), extra={"pbar": pbar}
    )


def np_chart(defectives: ArrayLike, size: int) -> ChartResult:
    d = np.asarray(defectives, dtype=np.float64)
    pbar = float(d.mean() / size)
    center = size * pbar
    half = 3 * math.sqrt(center * (1 - pbar))
    return ChartResult(
        "np",
        d,
        center,
        _full(max(center - half, 0.0), d.size),
        _full(center + half, d.size),
        extra={"pbar": pbar},
    )


def c_chart(counts: ArrayLike) -> ChartResult:
    c = np.asarray(counts, dtype=np.float64)
    cbar = float(c.mean())
    half = 3 * math.sqrt(cbar)
    return ChartResult("c", c, cbar, _full(max(cbar - half, 0.0), c.size), _full(cbar + half, c.size))


def u_chart(counts: ArrayLike, units: ArrayLike) -> ChartResult:
    c = np.asarray(counts, dtype=np.float64)
    n = np.asarray(units, dtype=np.float64)
    ubar = float(c.sum() / n.sum())
    half = 3 * np.sqrt(ubar / n)
    return ChartResult("u", c / n, ubar, np.clip(ubar - half, 0, None), ubar + half)


# --- run rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    code: str
    family: str  # "WE" or "Nelson"
    name: str
    zone: bool  # uses the ±1σ/±2σ zones (off by default on attribute charts)


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule("WE1", "WE", "1 point beyond 3σ", False),
        Rule("WE2", "WE", "2 of 3 beyond 2σ, same side", True),
        Rule("WE3", "WE", "4 of 5 beyond 1σ, same side", True),
        Rule("WE4", "WE", "8 in a row on one side of the centre", False),
        Rule("N1", "Nelson", "1 point beyond 3σ", False),
        Rule("N2", "Nelson", "9 in a row on one side of the centre", False),
        Rule("N3", "Nelson", "6 in a row steadily rising or falling", False),
        Rule("N4", "Nelson", "14 in a row alternating up and down", False),
        Rule("N5", "Nelson", "2 of 3 beyond 2σ, same side", True),
        Rule("N6", "Nelson", "4 of 5 beyond 1σ, same side", True),
        Rule("N7", "Nelson", "15 in a row within 1σ (hugging the centre)", True),
        Rule("N8", "Nelson", "8 in a row outside 1σ, either side", True),
    )
}

DEFAULT_VARIABLE_RULES = ("WE1", "WE2", "WE3", "WE4")
DEFAULT_ATTRIBUTE_RULES = ("WE1", "WE4")


def default_rules(chart: str) -> tuple[str, ...]:
    return DEFAULT_ATTRIBUTE_RULES if chart in ATTRIBUTE_CHARTS else DEFAULT_VARIABLE_RULES


def window_count(mask: NDArray[np.bool_], width: int) -> NDArray[np.int32]:
    """How many True values each window of ``width`` ending at index i holds (0 before a full window)."""
    out = np.zeros(mask.size, dtype=np.int32)
    if mask.size < width:
        return out
    cs = np.cumsum(mask, dtype=np.int32)
    out[width - 1] = cs[width - 1]
    np.subtract(cs[width:], cs[:-width], out=out[width:])
    return out


def run_length(mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Length of the run of True values ending at each index (0 where the mask is False)."""
    idx = np.arange(1, mask.size + 1)
    last_false = np.maximum.accumulate(np.where(mask, 0, idx))
    return idx - last_false


def _k_of_m(mask: NDArray[np.bool_], k: int, m: int) -> NDArray[np.bool_]:
    return window_count(mask, m) >= k


def _run(mask: NDArray[np.bool_], length: int) -> NDArray[np.bool_]:
    return run_length(mask) >= length


def _diff_run(mask: NDArray[np.bool_], length: int, total: int) -> NDArray[np.bool_]:
    """``mask`` is over the n-1 successive differences; True at point i when the ``length``
    differences ending at i all hold (i.e. ``length + 1`` points)."""
    out = np.zeros(total, dtype=bool)
    out[1:] = _run(mask, length)
    return out


def standardize(points: ArrayLike, center: float, sigma: ArrayLike) -> NDArray[np.float64]:
    x = np.asarray(points, dtype=np.float64)
    if np.ndim(sigma) == 0:
        if not float(sigma) > 0:  # type: ignore[arg-type]
            return np.zeros_like(x)
        return np.nan_to_num((x - center) / float(sigma), nan=0.0)  # type: ignore[arg-type]
    s = np.broadcast_to(np.asarray(sigma, dtype=np.float64), x.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(s > 0, (x - center) / s, 0.0)
    return np.nan_to_num(z, nan=0.0)


def evaluate(
    points: ArrayLike, center: float, sigma: ArrayLike, rules: Iterable[str] = DEFAULT_VARIABLE_RULES
) -> dict[str, NDArray[np.int64]]:
    """Evaluate the chosen rules; returns {rule code: indices of the points that broke it}.

    ``sigma`` is the chart's σ: a scalar, or one value per point (p and u charts with varying
    sample sizes). Zones are measured in those units, so variable limits need no special case.
    """
    x = np.asarray(points, dtype=np.float64)
    n = x.size
    z = standardize(x, center, sigma)
    above, below = z > 0, z < 0
    cache: dict[str, NDArray[np.bool_]] = {}
    runs: dict[str, NDArray[np.int64]] = {}

    def beyond(k: float) -> NDArray[np.bool_]:
        key = f"b{k}"
        if key not in cache:
            cache[key] = np.abs(z) > k
        return cache[key]

    def same_side(k: int, m: int, level: float) -> NDArray[np.bool_]:
        return _k_of_m(z > level, k, m) | _k_of_m(z < -level, k, m)

    def side_run(length: int) -> NDArray[np.bool_]:
        if "side" not in runs:
            runs["side"] = np.maximum(run_length(above), run_length(below))
        return runs["side"] >= length

    d = np.diff(x)
    same = {"N1": "WE1", "N5": "WE2", "N6": "WE3"}  # identical tests under two names: compute once
    hits: dict[str, NDArray[np.bool_]] = {}
    result: dict[str, NDArray[np.int64]] = {}
    for code in rules:
        key = same.get(code, code)
        if key in hits:
            result[code] = result.get(key, np.flatnonzero(hits[key]))
            continue
        if key == "WE1":
            hit = beyond(3)
        elif key == "WE2":
            hit = same_side(2, 3, 2)
        elif key == "WE3":
            hit = same_side(4, 5, 1)
        elif key == "WE4":
            hit = side_run(8)
        elif key == "N2":
            hit = side_run(9)
        elif key == "N3":
            hit = _diff_run(d > 0, 5, n) | _diff_run(d < 0, 5, n)
        elif key == "N4":
            # 14 points: 13 differences whose signs alternate, i.e. 12 successive products < 0.
            alt = np.zeros(n, dtype=bool)
            if n >= 3:
                alt[2:] = _run((d[1:] * d[:-1]) < 0, 12)
            hit = alt
        elif key == "N7":
            hit = _run(np.abs(z) < 1, 15)
        elif key == "N8":
            hit = _run(beyond(1), 8)
        else:
            raise ValueError(f"unknown rule {code!r}")
        hits[key] = hit
        result[code] = np.flatnonzero(hit)
    return result


def violations_by_point(result: dict[str, NDArray[np.int64]]) -> dict[int, list[str]]:
    """{point index: [rule codes]} for labelling a chart."""
    out: dict[int, list[str]] = {}
    for code, idx in result.items():
        for i in idx.tolist():
            out.setdefault(i, []).append(code)
    return out


# --- capability ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Capability:
    n: int
    mean: float
    sigma_within: float | None
    sigma_overall: float | None
    cp: float | None
    cpk: float | None
    pp: float | None
    ppk: float | None


def _indices(
    mean: float, sigma: float | None, lsl: float | None, usl: float | None
) -> tuple[float | None, float | None]:
    if sigma is None or not sigma > 0:
        return None, None
    cp = (usl - lsl) / (6 * sigma) if lsl is not None and usl is not None else None
    sides = [
        v
        for v in ((usl - mean) if usl is not None else None, (mean - lsl) if lsl is not None else None)
        if v is not None
    ]
    cpk = min(sides) / (3 * sigma) if sides else None
    return cp, cpk


def capability(
    values: ArrayLike, *, lsl: float | None, usl: float | None, sigma_within: float | None
) -> Capability:
    """Cp/Cpk use the within-subgroup σ (R̄/d2, s̄/c4 or MR̄/d2); Pp/Ppk the overall sample σ."""
    x = np.asarray(values, dtype=np.float64).ravel()
    x = x[~np.isnan(x)]
    if x.size < 2:
        return Capability(
            int(x.size), float(x.mean()) if x.size else math.nan, sigma_within, None, None, None, None, None
        )
    mean = float(x.mean())
    overall = float(x.std(ddof=1))
    cp, cpk = _indices(mean, sigma_within, lsl, usl)
    pp, ppk = _indices(mean, overall, lsl, usl)
    return Capability(int(x.size), mean, sigma_within, overall, cp, cpk, pp, ppk)


def compute_chart(
    kind: str,
    *,
    values: Sequence[float] | NDArray[np.float64] = (),
    subgroups: NDArray[np.float64] | None = None,
    counts: ArrayLike = (),
    sizes: ArrayLike = (),
) -> ChartResult:
    """Dispatch by chart type (the characteristic's setting)."""
    if kind == "xbar_r":
        assert subgroups is not None
        return xbar_r(subgroups)
    if kind == "xbar_s":
        assert subgroups is not None
        return xbar_s(subgroups)
    if kind == "imr":
        return imr(values)
    if kind == "p":
        return p_chart(counts, sizes)
    if kind == "np":
        s = np.asarray(sizes)
        return np_chart(counts, int(s[0]) if s.size else 1)
    if kind == "c":
        return c_chart(counts)
    if kind == "u":
        return u_chart(counts, sizes)
    raise ValueError(f"unknown chart {kind!r}")
