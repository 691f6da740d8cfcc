"""Where on the parking orbit the injection towards the asymptote belongs, and what a burn cut short
there would have left.

For a tangential impulsive injection the burn point becomes the perigee of the departure hyperbola,
and the outgoing asymptote lies nu_inf = acos(-1/e) ahead of it, e = 1 + r C3 / mu (Curtis 2020,
eqs. 8.38 and 8.43; Vallado 2013, sec. 12.2): the ideal point is where the asymptote's projection on
the parking plane is nu_inf ahead. Coasting on from a given state, the first such point is found by
sampling the angle error each ``step_s`` over one revolution and bisecting its sign change.

A finite burn is placed symmetrically about the impulsive point (an estimate: the usual first
approximation of a finite departure burn; Robbins 1966, "An analytical study of the impulsive
approximation", AIAA J. 4(8)), so its ignition is half the planned duration earlier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import R_EARTH_SATCAT_M
from ..elements import apsis_altitudes_m, period_s, rv_to_elements
from ..scenario.burn import finite_burn
from ..scenario.launch import Coast, j2_coast
from ..scenario.schema import Burn
from .departure import departure


@dataclass(frozen=True)
class InjectionPoint:
    """The ideal impulsive injection point on the parking orbit after the plan's departure epoch.

    ``after_departure_s``: its time after that epoch (the ignition of ``[event.burn]`` unless
    ``mission.departure_utc`` is given); ``true_anomaly_deg``: its place on the parking orbit
    (0 = perigee); ``burn_perigee_km``/``burn_apogee_km``: the orbit a burn of the scenario's
    ``[event.burn]`` would have left, ignited half the planned duration before the point and cut
    short after ``ignition_before_event_s`` (NaN without ``planned_duration_s``).
    """

    t_tt_s: float
    after_departure_s: float
    altitude_km: float
    true_anomaly_deg: float
    burn_ignition_tt_s: float
    burn_perigee_km: float
    burn_apogee_km: float


def _angle_error_deg(v_inf_icrf_mps: NDArray, state_teme: NDArray, t_tt_s: float) -> float:
    d = departure(v_inf_icrf_mps, state_teme, t_tt_s)
    return (d.asymptote_ahead_of_ignition_deg - d.ideal_asymptote_ahead_deg + 180.0) % 360.0 - 180.0


def ideal_injection(
    v_inf_icrf_mps: ArrayLike, state_teme: ArrayLike, t_tt_s: float, burn: Burn | None = None,
    coast: Coast = j2_coast, step_s: float = 60.0,
) -> InjectionPoint:
    """The first ideal injection point at or after ``t_tt_s`` on the orbit of ``state_teme`` (6,) (TEME).

    ``v_inf_icrf_mps``: the departure excess velocity (3,), ICRF; ``burn``: the ``[event.burn]`` to
    centre on the point (optional); ``coast``: the parking-orbit propagator; ``step_s``: the search grid.
    """
    v_inf = np.asarray(v_inf_icrf_mps, dtype=float).reshape(3)
    state = np.asarray(state_teme, dtype=float).reshape(6)
    el = rv_to_elements(state[:3], state[3:])
    n_steps = int(np.ceil(float(period_s(el.a_m)[0]) / step_s)) + 1
    t, s, err = t_tt_s, state, _angle_error_deg(v_inf, state, t_tt_s)
    for _ in range(n_steps):
        s_next = coast(s.reshape(6, 1), t, t + step_s)[:, 0]
        err_next = _angle_error_deg(v_inf, s_next, t + step_s)
        if err > 0.0 >= err_next:  # the asymptote comes down to nu_inf ahead (not the wrap at +-180 deg)
            break
        t, s, err = t + step_s, s_next, err_next
    else:
        raise ValueError("no ideal injection point within one revolution (the asymptote is out of the plane?)")
    lo_t, lo_s, lo_err, span = t, s, err, step_s
    for _ in range(30):  # bisection to ~ step_s / 2^30
        span /= 2.0
        mid_s = coast(lo_s.reshape(6, 1), lo_t, lo_t + span)[:, 0]
        mid_err = _angle_error_deg(v_inf, mid_s, lo_t + span)
        if np.sign(mid_err) == np.sign(lo_err):
            lo_t, lo_s, lo_err = lo_t + span, mid_s, mid_err
    t_ideal, s_ideal = lo_t, lo_s
    el_ideal = rv_to_elements(s_ideal[:3], s_ideal[3:])
    perigee = apogee = t_ign = float("nan")
    if burn is not None and burn.planned_duration_s is not None:
        t_ign = t_ideal - burn.planned_duration_s / 2.0
        s_ign = coast(s_ideal.reshape(6, 1), t_ideal, t_ign)[:, 0]
        after, _ = finite_burn(s_ign, burn.ignition_before_event_s, burn.thrust_n, burn.isp_s,
                               burn.mass_at_ignition_kg)
        el_after = rv_to_elements(after[:3], after[3:])
        apogee_m, perigee_m = apsis_altitudes_m(el_after.a_m[0], el_after.e[0])
        perigee, apogee = float(perigee_m) / 1e3, float(apogee_m) / 1e3
    return InjectionPoint(
        t_tt_s=t_ideal, after_departure_s=t_ideal - t_tt_s,
        altitude_km=(float(np.linalg.norm(s_ideal[:3])) - R_EARTH_SATCAT_M) / 1e3,
        true_anomaly_deg=float(np.degrees(el_ideal.nu_rad[0]) % 360.0),
        burn_ignition_tt_s=t_ign, burn_perigee_km=perigee, burn_apogee_km=apogee,
    )
