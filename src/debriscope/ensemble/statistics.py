"""Ensemble statistics with their Monte Carlo standard errors, and sensitivities to the inputs.

- Means with ``sd / sqrt(n)``.
- Quantiles: the sample quantile (NumPy's default linear interpolation, Hyndman & Fan 1996
  definition 7) with a distribution-free standard error from the order statistics: the rank of
  the q-quantile among n draws is Binomial(n, q), so the quantile's 68 % interval runs between
  the order statistics ``n q -+ sqrt(n q (1 - q))`` (Conover 1999, *Practical Nonparametric
  Statistics*, 3rd ed., section 3.2, the confidence interval for a quantile); half its width is
  the standard error. It assumes nothing about the distribution and needs no resampling.
- Sensitivity: Spearman's rank correlation of each outcome with each uncertain input (Saltelli
  et al. 2008, *Global Sensitivity Analysis: The Primer*, section 1.2.4, rank-based measures for
  monotonic models), with its two-sided p-value; a 'choice' input enters by the position of the
  drawn value in its ``values`` list.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

QUANTILES = (0.05, 0.5, 0.95)
LC_BIN_EDGES_M = (0.0, 0.1, 0.2, 0.5, 1.0, math.inf)
"""Size bins of the decay statistics (characteristic length, m)."""
PERIOD_BIN_MIN = 1.0
"""Width of the period bins of the Gabbard envelopes, min."""


def _clean(x: ArrayLike) -> np.ndarray:
    a = np.asarray(x, dtype=float).reshape(-1)
    return a[np.isfinite(a)]


def quantile_with_se(x: ArrayLike, q: float) -> tuple[float, float]:
    """``(quantile, standard error)`` of the finite values of ``x``; NaNs when there are none."""
    a = np.sort(_clean(x))
    n = a.size
    if n == 0:
        return math.nan, math.nan
    value = float(np.quantile(a, q))
    half = math.sqrt(n * q * (1.0 - q))
    lo = int(min(max(math.floor(n * q - half), 0), n - 1))
    hi = int(min(max(math.ceil(n * q + half), 0), n - 1))
    return value, float((a[hi] - a[lo]) / 2.0)


def describe(x: ArrayLike, quantiles: Sequence[float] = QUANTILES) -> dict[str, Any]:
    """Count, mean with its standard error, sd, and quantiles with theirs (JSON-ready)."""
    a = _clean(x)
    out: dict[str, Any] = {"n": int(a.size)}
    if a.size == 0:
        return out
    sd = float(a.std(ddof=1)) if a.size > 1 else 0.0
    out.update(mean=float(a.mean()), mean_se=sd / math.sqrt(a.size), sd=sd, min=float(a.min()), max=float(a.max()))
    for q in quantiles:
        value, se = quantile_with_se(a, q)
        out[f"p{round(q * 100):02d}"] = value
        out[f"p{round(q * 100):02d}_se"] = se
    return out


def encode_input(values: Sequence[Any], alternatives: Sequence[Any] = ()) -> np.ndarray:
    """An input's drawn values as numbers (a choice's by position among its alternatives)."""
    if alternatives:
        index = {v: k for k, v in enumerate(alternatives)}
        return np.array([index.get(v, np.nan) for v in values], dtype=float)
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def spearman(outcome: ArrayLike, inputs: dict[str, ArrayLike]) -> dict[str, dict[str, float]]:
    """Spearman's rho (and p-value) of an outcome with each input, over realisations where both
    are finite; NaN where fewer than 3 pairs or either is constant."""
    y = np.asarray(outcome, dtype=float)
    out: dict[str, dict[str, float]] = {}
    for name, values in inputs.items():
        x = np.asarray(values, dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.sum() < 3 or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
            out[name] = {"rho": math.nan, "p_value": math.nan, "n": int(ok.sum())}
            continue
        res = stats.spearmanr(x[ok], y[ok])
        out[name] = {"rho": float(res.statistic), "p_value": float(res.pvalue), "n": int(ok.sum())}
    return out


def size_bin_labels(edges_m: Sequence[float] = LC_BIN_EDGES_M) -> list[str]:
    labels = []
    for lo, hi in zip(edges_m[:-1], edges_m[1:], strict=True):
        labels.append(f"< {hi * 100:g} cm" if lo == 0 else (f">= {lo * 100:g} cm" if math.isinf(hi)
                      else f"{lo * 100:g}-{hi * 100:g} cm"))
    return labels


def lifetimes_by_size(lc_m: ArrayLike, lifetime_days: ArrayLike,
                      edges_m: Sequence[float] = LC_BIN_EDGES_M) -> dict[str, np.ndarray]:
    """One realisation's decay figures per size bin: the count, the median lifetime and the
    last decay (days after the event; NaN where the bin is empty or a fragment outlived the
    propagation span, since its decay is then unknown)."""
    lc = np.asarray(lc_m, dtype=float)
    life = np.asarray(lifetime_days, dtype=float)
    k = len(edges_m) - 1
    count, median, last = np.zeros(k), np.full(k, np.nan), np.full(k, np.nan)
    which = np.digitize(lc, edges_m[1:-1])
    for b in range(k):
        sel = life[which == b]
        count[b] = sel.size
        if sel.size and np.isfinite(sel).all():
            median[b], last[b] = np.median(sel), sel.max()
        elif sel.size and np.isfinite(sel).sum() * 2 > sel.size:
            median[b] = np.median(np.where(np.isfinite(sel), sel, np.inf))
    return {"count": count, "median_lifetime_days": median, "last_decay_days": last}


def gabbard_envelope(period_min: ArrayLike, apogee_km: ArrayLike, perigee_km: ArrayLike,
                     bins_min: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One realisation's Gabbard envelope on period bins: the highest apogee and the lowest
    perigee in each bin (NaN where the bin is empty)."""
    p = np.asarray(period_min, dtype=float)
    apo = np.asarray(apogee_km, dtype=float)
    per = np.asarray(perigee_km, dtype=float)
    ok = np.isfinite(p) & np.isfinite(apo) & np.isfinite(per)
    which = np.digitize(p[ok], bins_min) - 1
    k = len(bins_min) - 1
    top, bottom = np.full(k, np.nan), np.full(k, np.nan)
    inside = (which >= 0) & (which < k)
    np.fmax.at(top, which[inside], apo[ok][inside])
    np.fmin.at(bottom, which[inside], per[ok][inside])
    return top, bottom


def percentile_bands(rows: np.ndarray, quantiles: Sequence[float] = QUANTILES) -> np.ndarray:
    """Quantiles over realisations (axis 0) of per-bin values, NaN-aware: shape (len(q), bins)."""
    rows = np.asarray(rows, dtype=float)
    out = np.full((len(quantiles), rows.shape[1]), np.nan)
    for b in range(rows.shape[1]):
        col = _clean(rows[:, b])
        if col.size:
            out[:, b] = np.quantile(col, quantiles)
    return out
