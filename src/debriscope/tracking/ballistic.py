"""A minimum-energy ballistic trajectory between two named places, for tests and users.

The free-flight arc joins a burnout point above the launch site to the target on the rotating
Earth with the minimum-energy conic of Lambert's problem (Vallado 2013, algorithm 56 "Lambert
minimum energy": a_min = s/2, p_min = r1 r2 (1 - cos dnu)/c, the velocity from the f and g functions, and the
time of flight of the minimum-energy ellipse). The target's inertial position depends on the
flight time (the Earth turns under the missile), so the flight time is iterated to a fixed point.
Two-body geometry; the returned true impact comes from the same two-body + J2 model that the
tracker uses, so the two differ by the J2 effect only (tens of km at most).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ..constants import MU_EARTH_M3_S2
from ..frames import geodetic_to_ecef, itrf_to_teme
from .discrimination import impact_point


class BallisticTrajectory(NamedTuple):
    """Burnout state (TEME) and the resulting impact."""

    t0_tt_s: float
    state0_teme: NDArray
    """(6,) state at burnout, SI."""
    time_of_flight_s: float
    """Two-body flight time of the minimum-energy arc to the target."""
    impact_tt_s: float
    impact_lat_deg: float
    impact_lon_deg: float
    """Impact of ``state0_teme`` propagated with two-body + J2 down to the ellipsoid."""


def _min_energy_velocity(r1: NDArray, r2: NDArray, mu: float) -> tuple[NDArray, float]:
    """Vallado 2013, alg. 56: minimum-energy velocity at r1 and the flight time (short way)."""
    n1, n2 = np.linalg.norm(r1), np.linalg.norm(r2)
    cos_dnu = float(r1 @ r2) / (n1 * n2)
    sin_dnu = np.sqrt(max(1.0 - cos_dnu**2, 0.0))  # short way: 0 < dnu < pi
    c = np.linalg.norm(r2 - r1)
    s = 0.5 * (n1 + n2 + c)
    a_min = 0.5 * s
    p_min = n1 * n2 * (1.0 - cos_dnu) / c
    beta = 2.0 * np.arcsin(np.sqrt((s - c) / s))
    tof = np.sqrt(a_min**3 / mu) * (np.pi - (beta - np.sin(beta)))  # alpha_e = pi
    v0 = np.sqrt(mu * p_min) / (n1 * n2 * sin_dnu) * (r2 - (1.0 - n2 / p_min * (1.0 - cos_dnu)) * r1)
    return v0, float(tof)


def ballistic_trajectory(
    launch_lat_deg: float,
    launch_lon_deg: float,
    target_lat_deg: float,
    target_lon_deg: float,
    t0_tt_s: float,
    *,
    burnout_altitude_m: float = 150e3,
    mu: float = MU_EARTH_M3_S2,
) -> BallisticTrajectory:
    """Minimum-energy trajectory from a burnout point above the launch site to a target.

    Parameters
    ----------
    launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg : float
        Geodetic coordinates (WGS-84), degrees east positive.
    t0_tt_s : float
        Burnout time (TT seconds since J2000).
    burnout_altitude_m : float
        Burnout height above the launch site (the powered ascent is not modelled).
    """
    r1_itrf = geodetic_to_ecef(np.radians(launch_lat_deg), np.radians(launch_lon_deg), burnout_altitude_m)
    r2_itrf = geodetic_to_ecef(np.radians(target_lat_deg), np.radians(target_lon_deg), 0.0)
    r1 = itrf_to_teme(r1_itrf.reshape(3), None, t0_tt_s)[0].reshape(3)
    tof = 1800.0
    for _ in range(30):  # the target moves with the Earth during the flight: fixed point in tof
        r2 = itrf_to_teme(r2_itrf.reshape(3), None, t0_tt_s + tof)[0].reshape(3)
        v0, new_tof = _min_energy_velocity(r1, r2, mu)
        if abs(new_tof - tof) < 1e-6:
            break
        tof = new_tof
    state0 = np.concatenate([r1, v0])
    imp = impact_point(state0, t0_tt_s)
    return BallisticTrajectory(t0_tt_s, state0, tof, float(imp.t_tt_s[0]), float(imp.lat_deg[0]),
                               float(imp.lon_deg[0]))
