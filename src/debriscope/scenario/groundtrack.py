"""The parent's ground track on the parking orbit: insertion to the event and on past it.

The track starts from ``event.json``'s insertion state (or, without a launch, the parents' state at
the event) and follows the scenario stage's own coast model, two-body + J2 without drag
(:func:`debriscope.scenario.launch.j2_acceleration`, DOP853 at rtol 1e-11, as
:func:`~debriscope.scenario.launch.j2_coast`), so it passes through the event point of
``event.json``; ``revolutions_after_event`` more show the orbit as if the stage had survived.
Positions go to geodetic coordinates (WGS-84) through :mod:`debriscope.frames`. The scenario stage
writes it to ``groundtrack.csv``; the report draws it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.integrate import solve_ivp

from ..constants import MU_EARTH_M3_S2
from ..elements import rv_to_elements
from ..frames import ecef_to_geodetic, teme_to_itrf
from ..tables import Table
from ..timescale import tt_s_to_utc_iso
from .launch import j2_acceleration


def _rhs(_t: float, y: np.ndarray) -> np.ndarray:
    return np.concatenate([y[3:], j2_acceleration(y[:3])])


def parking_orbit_track(event: dict[str, Any], revolutions_after_event: float = 1.5, step_s: float = 20.0) -> Table:
    """Sub-satellite track every ``step_s`` seconds (and at the event) from insertion to
    ``revolutions_after_event`` periods past the event.

    Returns a table: ``time_utc``, ``lat_deg`` (geodetic), ``lon_deg`` and ``after_event`` (bool);
    the row at the event has the event's ``time_utc``.
    """
    start = event.get("insertion") or {}
    if "r_teme_m" not in start:
        parent = event["parents"][0]
        start = {"t_tt_s": event["event"]["t_tt_s"], "r_teme_m": parent["r_teme_m"], "v_teme_mps": parent["v_teme_mps"]}
    t0 = float(start["t_tt_s"])
    t_event = float(event["event"]["t_tt_s"])
    state0 = np.concatenate([start["r_teme_m"], start["v_teme_mps"]]).astype(float)
    a = float(rv_to_elements(state0[:3], state0[3:]).a_m[0])
    period = 2.0 * np.pi * np.sqrt(a**3 / MU_EARTH_M3_S2)
    times = np.union1d(np.arange(t0, t_event + revolutions_after_event * period, step_s), [t_event])
    dt = times - t0
    sol = solve_ivp(_rhs, (0.0, float(dt[-1])), state0, method="DOP853", rtol=1e-11, atol=1e-6, t_eval=dt)
    r_itrf, _ = teme_to_itrf(sol.y[:3], None, times)
    lat, lon, _ = ecef_to_geodetic(r_itrf)
    return {"time_utc": np.asarray(tt_s_to_utc_iso(times)), "lat_deg": np.degrees(lat), "lon_deg": np.degrees(lon),
            "after_event": times > t_event}
