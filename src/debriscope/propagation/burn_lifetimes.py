"""The cloud's lifetimes with the breakup on the parking orbit and at the end of the partial burn.

A scenario whose event interrupted a burn (``[event.burn]``) has two candidate event states, both in
``event.json`` (``event.burn.parking_orbit_state`` and ``event.burn.burn_end_state``): the run's own
cloud starts from the one ``applied`` chose; the same fragments (same sizes, A/m and ejection
velocities) are started from the other one and carried to decay with the same force model
(:func:`debriscope.propagation.batch.predict_decay`). The table ``lifetimes_burn_vs_parking.csv``
holds both lifetimes per fragment; the report draws it.

Quantiles of the lifetime are those of the whole cloud, fragments still in orbit at the horizon
counted as living longer (a censored sample): a quantile beyond the horizon is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..elements import apsis_altitudes_m, rv_to_elements
from ..timescale import tt_s_to_utc_iso
from .batch import predict_decay
from .forces import ForceModel
from .results import STATUS_TEXT, Status

CASES = ("parking_orbit", "after_burn")
"""The two event states compared: the coasting parking orbit, the end of the partial burn."""

_STATE_KEY = {"parking_orbit": "parking_orbit_state", "after_burn": "burn_end_state"}


def burn_states(event: Mapping[str, Any]) -> dict[str, NDArray] | None:
    """The two event states (6,) of ``event.json`` by case, or ``None`` if it has no partial burn."""
    burn = (event.get("event") or {}).get("burn") or {}
    if not all(_STATE_KEY[c] in burn for c in CASES):
        return None
    return {c: np.array([*burn[_STATE_KEY[c]]["r_teme_m"], *burn[_STATE_KEY[c]]["v_teme_mps"]], float) for c in CASES}


def lifetime_quantile_days(lifetime_days: NDArray, q: float) -> float | None:
    """Quantile ``q`` (0-1) of lifetimes, NaN = still in orbit (longer than any decayed one); ``None``
    if the quantile falls among those still in orbit."""
    life = np.sort(np.where(np.isfinite(lifetime_days), lifetime_days, np.inf))
    if life.size == 0:
        return None
    value = float(life[min(int(np.ceil(q * life.size)) - 1, life.size - 1)]) if q > 0 else float(life[0])
    return value if np.isfinite(value) else None


def _case_summary(state: NDArray, t0_tt_s: float, lifetime_days: NDArray) -> dict[str, Any]:
    el = rv_to_elements(state[:3], state[3:])
    apogee_m, perigee_m = apsis_altitudes_m(el.a_m, el.e)
    decayed = np.isfinite(lifetime_days)
    last = float(np.max(lifetime_days[decayed])) if decayed.any() else None
    return {
        "event_perigee_km": round(float(perigee_m[0]) / 1e3, 1),
        "event_apogee_km": round(float(apogee_m[0]) / 1e3, 1),
        "n_decayed": int(decayed.sum()),
        "fraction_decayed": round(float(decayed.mean()), 4) if decayed.size else 0.0,
        "lifetime_days_p50": lifetime_quantile_days(lifetime_days, 0.5),
        "lifetime_days_p90": lifetime_quantile_days(lifetime_days, 0.9),
        "last_decay_utc": tt_s_to_utc_iso(t0_tt_s + last * 86400.0) if last is not None else None,
    }


def compare_lifetimes(
    event: Mapping[str, Any], parent_names: NDArray, state0_teme: NDArray, t0_tt_s: float, am_m2_kg: NDArray,
    lifetime_days: NDArray, status: NDArray, model: ForceModel, max_days: float,
    progress: Callable[[int], None] | None = None,
) -> tuple[dict[str, NDArray], dict[str, Any]] | None:
    """Lifetimes of the cloud from the other event state, beside the run's own.

    Parameters
    ----------
    event : the ``event.json`` record (its parents' states and ``event.burn``).
    parent_names : (N,) each fragment's parent.
    state0_teme : (6, N) the fragments' states at the event (the run's own event state + ejection).
    t0_tt_s : the event epoch, TT s.
    am_m2_kg, lifetime_days, status : (N,) A/m, and the run's own lifetimes (days, NaN if not decayed)
        and status codes.
    model, max_days : the run's force model and horizon.

    Returns
    -------
    (table, summary) or None
        ``table``: columns ``lifetime_days_<case>`` and ``status_<case>`` for both cases, in the
        fragments' order; ``summary``: per case the event orbit, decayed count and fraction, lifetime quantiles,
        last decay, and which case the run applied. ``None`` if ``event`` holds no partial burn.
    """
    states = burn_states(event)
    if states is None:
        return None
    applied = bool(event["event"]["burn"]["applied"])
    own, other = ("after_burn", "parking_orbit") if applied else ("parking_orbit", "after_burn")
    parents = {p["name"]: np.array([*p["r_teme_m"], *p["v_teme_mps"]], float) for p in event["parents"]}
    names = np.asarray(parent_names).astype(str)
    unknown = sorted(set(names) - set(parents))
    if unknown:
        raise ValueError(f"fragments of parents {unknown} not in event.json's parents; re-run the breakup stage")
    shift = np.zeros_like(state0_teme)
    for name, parent_state in parents.items():
        shift[:, names == name] = (states[other] - parent_state)[:, None]
    res = predict_decay(state0_teme + shift, t0_tt_s, am_m2_kg, model, max_days, progress)
    other_status = np.asarray(res.status, dtype=np.int64)
    other_life = np.where(other_status == int(Status.DECAYED), (res.decay_tt_s - t0_tt_s) / 86400.0, np.nan)
    life = {own: np.asarray(lifetime_days, float), other: other_life}
    codes = {own: np.asarray(status, dtype=np.int64), other: other_status}
    table: dict[str, NDArray] = {}
    for case in CASES:
        table[f"lifetime_days_{case}"] = life[case]
        table[f"status_{case}"] = np.array([STATUS_TEXT[Status(s)] for s in codes[case]])
    summary: dict[str, Any] = {"applied": own}
    summary.update({case: _case_summary(states[case], t0_tt_s, life[case]) for case in CASES})
    return table, summary
