"""The departure hyperbola and the injection from the parking orbit.

Outgoing asymptote: C3 = |v_inf|^2; its right ascension (RLA) and declination (DLA) in the Earth's
equatorial frame (ICRF axes) (Vallado 2013, sec. 12.2; Kemble, *Interplanetary Mission Analysis and
Design*, 2006, sec. 4.2).

Impulsive injection at the ignition point, tangential, the ignition point becoming the perigee of
the departure hyperbola (Curtis 2020, eqs. 8.40-8.42): v_p = sqrt(C3 + 2 mu / r), delta-v =
v_p - |v_parking|.

Reaching the asymptote from the parking plane: a plane of inclination i contains directions of
declination up to i (prograde) only, |DLA| <= min(i, 180 deg - i) (Kemble 2006, sec. 4.2.2); for the
actual plane at ignition the asymptote's angle out of the plane, asin(s . h), must be zero. In the
plane, the asymptote lies nu_inf = acos(-1/e) ahead of the hyperbola's perigee, e = 1 + r_p C3 / mu
(Curtis 2020, eq. 8.43): the ideal ignition point sits that far behind the asymptote's projection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..constants import MU_EARTH_M3_S2
from ..frames import teme_to_gcrf


@dataclass(frozen=True)
class Departure:
    """The departure asymptote and the injection at the ignition point. SI except where named.

    ``reachable``: |DLA| <= min(i, 180 deg - i), the parking plane's inclination can contain the
    asymptote; ``out_of_plane_deg``: the asymptote's angle out of the actual plane at ignition.
    """

    c3_km2_s2: float
    v_inf_mps: float
    rla_deg: float
    dla_deg: float
    ignition_radius_m: float
    parking_speed_mps: float
    perigee_speed_mps: float
    delta_v_mps: float
    inclination_deg: float
    reachable: bool
    out_of_plane_deg: float
    asymptote_ahead_of_ignition_deg: float
    ideal_asymptote_ahead_deg: float


def asymptote(v_inf_icrf_mps: ArrayLike) -> tuple[float, float, float]:
    """C3 (km^2/s^2), RLA and DLA (deg) of an excess-velocity vector (3,) in ICRF axes."""
    v = np.asarray(v_inf_icrf_mps, dtype=float).reshape(3)
    vn = float(np.linalg.norm(v))
    return vn**2 / 1e6, float(np.degrees(np.arctan2(v[1], v[0])) % 360.0), float(np.degrees(np.arcsin(v[2] / vn)))


def departure(v_inf_icrf_mps: ArrayLike, state_teme: ArrayLike, t_tt_s: float) -> Departure:
    """The departure from a parking-orbit state (6,) in TEME at ``t_tt_s`` towards ``v_inf`` (ICRF)."""
    c3, rla, dla = asymptote(v_inf_icrf_mps)
    state = np.asarray(state_teme, dtype=float).reshape(6)
    r_gcrf, v_gcrf = teme_to_gcrf(state[:3], state[3:], t_tt_s)
    r = np.ravel(r_gcrf)
    v = np.ravel(v_gcrf)
    rn = float(np.linalg.norm(r))
    vn = float(np.linalg.norm(v))
    h = np.cross(r, v)
    h_hat = h / np.linalg.norm(h)
    s_hat = np.asarray(v_inf_icrf_mps, dtype=float).reshape(3)
    s_hat = s_hat / np.linalg.norm(s_hat)
    inc = float(np.degrees(np.arccos(h_hat[2])))
    v_p = float(np.sqrt(c3 * 1e6 + 2.0 * MU_EARTH_M3_S2 / rn))  # Curtis eq. 8.41
    e = 1.0 + rn * c3 * 1e6 / MU_EARTH_M3_S2  # Curtis eq. 8.38 with r_p = r
    s_in_plane = s_hat - (s_hat @ h_hat) * h_hat
    ahead = np.arctan2(np.cross(r, s_in_plane) @ h_hat, r @ s_in_plane)
    return Departure(
        c3_km2_s2=c3, v_inf_mps=float(np.sqrt(c3) * 1e3), rla_deg=rla, dla_deg=dla,
        ignition_radius_m=rn, parking_speed_mps=vn, perigee_speed_mps=v_p, delta_v_mps=v_p - vn,
        inclination_deg=inc,
        reachable=bool(abs(dla) <= min(inc, 180.0 - inc) + 1e-9),
        out_of_plane_deg=float(np.degrees(np.arcsin(np.clip(s_hat @ h_hat, -1.0, 1.0)))),
        asymptote_ahead_of_ignition_deg=float(np.degrees(ahead) % 360.0),
        ideal_asymptote_ahead_deg=float(np.degrees(np.arccos(-1.0 / e))),  # Curtis eq. 8.43
    )
