"""Element snapshots (the data of a Gabbard diagram): osculating and mean elements at epochs.

Mean elements here are *single-averaged* elements: the osculating elements averaged over one
osculating period after the epoch (removing the short-periodic J2 terms, ~10 km in a), using the
trapezoid rule on states sampled every ``SAMPLE_S``. The eccentricity and argument of perigee are
averaged as the vector (e cos w, e sin w); the mean anomaly is the mean argument of latitude, fitted
linearly in time and evaluated at the epoch, minus the mean w. Apsis heights refer to the SATCAT
radius (``constants.R_EARTH_SATCAT_M``), as Gabbard diagrams do.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..elements import apsis_altitudes_m, period_s, rv_to_elements, true_to_mean
from ..tables import Table

SAMPLE_S = 300.0
WINDOW_S = 7200.0
"""Samples span two hours after each epoch: one period of any orbit below ~1700 km."""


def window_times(epochs_tt_s: NDArray) -> NDArray:
    """The sampling times of all snapshot windows, sorted, shape (len(epochs) * K,)."""
    offsets = np.arange(0.0, WINDOW_S + 0.5 * SAMPLE_S, SAMPLE_S)
    return (np.asarray(epochs_tt_s, dtype=float)[:, None] + offsets[None, :]).ravel()


def _row_elements(states: NDArray) -> dict[str, NDArray]:
    """Elements of (6, N) states."""
    el = rv_to_elements(states[:3], states[3:])
    return {"a": el.a_m, "e": el.e, "i": el.i_rad, "raan": el.raan_rad, "argp": el.argp_rad,
            "m": true_to_mean(el.nu_rad, el.e)}


def _table(fragment_id: NDArray, epoch_utc: str, kind: str, a: NDArray, e: NDArray, i: NDArray,
           raan: NDArray, argp: NDArray, m: NDArray) -> Table:
    apo, peri = apsis_altitudes_m(a, e)
    n = fragment_id.size
    return {
        "fragment_id": fragment_id,
        "epoch_utc": np.full(n, epoch_utc),
        "kind": np.full(n, kind),
        "period_min": period_s(a) / 60.0,
        "apogee_km": apo / 1e3,
        "perigee_km": peri / 1e3,
        "inclination_deg": np.degrees(i),
        "a_m": a,
        "e": e,
        "raan_deg": np.degrees(np.mod(raan, 2 * np.pi)),
        "argp_deg": np.degrees(np.mod(argp, 2 * np.pi)),
        "mean_anomaly_deg": np.degrees(np.mod(m, 2 * np.pi)),
    }


def snapshot_tables(fragment_id: NDArray, epoch_utc: str, window_states: NDArray) -> list[Table]:
    """Osculating and mean element tables at one epoch from its window's states (K, 6, N).

    Objects whose states are NaN at the epoch (decayed) are left out; objects that decay within
    the window get no mean elements.
    """
    k_samples = window_states.shape[0]
    alive = np.all(np.isfinite(window_states[0]), axis=0)
    out = []
    if not alive.any():
        return out
    osc = _row_elements(window_states[0][:, alive])
    ids = fragment_id[alive]
    out.append(_table(ids, epoch_utc, "osculating", osc["a"], osc["e"], osc["i"], osc["raan"],
                      osc["argp"], osc["m"]))
    full = alive & np.all(np.isfinite(window_states), axis=(0, 1))
    if not full.any():
        return out
    els = [_row_elements(window_states[k][:, full]) for k in range(k_samples)]
    stack = {key: np.array([el[key] for el in els]) for key in els[0]}  # (K, M)
    t = np.arange(k_samples) * SAMPLE_S
    per = period_s(stack["a"][0])
    # trapezoid weights over [0, P] with the last partial interval cut at P
    w = np.zeros_like(stack["a"])
    for k in range(k_samples - 1):
        seg = np.clip(per - t[k], 0.0, SAMPLE_S)
        frac = seg / SAMPLE_S
        w[k] += seg * (1.0 - 0.5 * frac)
        w[k + 1] += seg * 0.5 * frac
    w /= w.sum(axis=0)
    raan = np.unwrap(stack["raan"], axis=0)
    ex, ey = stack["e"] * np.cos(stack["argp"]), stack["e"] * np.sin(stack["argp"])
    mex, mey = (w * ex).sum(0), (w * ey).sum(0)
    argp = np.arctan2(mey, mex)
    u = np.unwrap(stack["argp"] + stack["m"], axis=0)
    # least-squares line u(t) = u0 + du t with the same weights, evaluated at t = 0
    tm = (w * t[:, None]).sum(0)
    um = (w * u).sum(0)
    du = (w * (t[:, None] - tm) * (u - um)).sum(0) / (w * (t[:, None] - tm) ** 2).sum(0)
    u0 = um - du * tm
    out.append(_table(fragment_id[full], epoch_utc, "mean", (w * stack["a"]).sum(0), np.hypot(mex, mey),
                      (w * stack["i"]).sum(0), (w * raan).sum(0), argp, u0 - argp))
    return out
