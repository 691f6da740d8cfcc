"""The planned approach to the target: hyperbolic flyby geometry for a stated aim point (a plan).

Flyby hyperbola (Curtis 2020, sec. 8.9, eqs. 8.38-8.44 and 8.55): for excess speed v_inf and
periapsis radius r_p, e = 1 + r_p v_inf^2 / mu, turn angle delta = 2 asin(1/e), periapsis speed
sqrt(v_inf^2 + 2 mu / r_p), aiming radius |B| = r_p sqrt(1 + 2 mu / (r_p v_inf^2)).
B-plane (Kizner 1961; Vallado 2013, sec. 12.5): S along v_inf, T = S x k / |S x k| with k the
J2000 ecliptic pole, R = S x T; the aim point B = |B| (cos theta T + sin theta R).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import OBLIQUITY_J2000_RAD

ECLIPTIC_POLE_ICRF = np.array([0.0, -np.sin(OBLIQUITY_J2000_RAD), np.cos(OBLIQUITY_J2000_RAD)])


@dataclass(frozen=True)
class Flyby:
    """A flyby for one aim point. SI; ``b_icrf_m`` is the aim point in ICRF axes, (3,)."""

    v_inf_mps: float
    periapsis_radius_m: float
    periapsis_speed_mps: float
    eccentricity: float
    turn_angle_deg: float
    b_magnitude_m: float
    b_dot_t_m: float
    b_dot_r_m: float
    b_icrf_m: NDArray


def flyby(v_inf_icrf_mps: ArrayLike, mu_m3_s2: float, periapsis_radius_m: float,
          b_plane_angle_deg: float = 0.0) -> Flyby:
    """The flyby hyperbola and B-plane aim point for an approach ``v_inf`` (ICRF, (3,))."""
    v = np.asarray(v_inf_icrf_mps, dtype=float).reshape(3)
    vn = float(np.linalg.norm(v))
    s = v / vn
    t = np.cross(s, ECLIPTIC_POLE_ICRF)
    t /= np.linalg.norm(t)
    r = np.cross(s, t)
    rp = float(periapsis_radius_m)
    e = 1.0 + rp * vn**2 / mu_m3_s2  # Curtis eq. 8.38
    b = rp * np.sqrt(1.0 + 2.0 * mu_m3_s2 / (rp * vn**2))  # Curtis eq. 8.55 with h = rp v_p
    theta = np.radians(b_plane_angle_deg)
    return Flyby(
        v_inf_mps=vn, periapsis_radius_m=rp, periapsis_speed_mps=float(np.sqrt(vn**2 + 2 * mu_m3_s2 / rp)),
        eccentricity=e, turn_angle_deg=float(np.degrees(2.0 * np.arcsin(1.0 / e))),
        b_magnitude_m=float(b), b_dot_t_m=float(b * np.cos(theta)), b_dot_r_m=float(b * np.sin(theta)),
        b_icrf_m=b * (np.cos(theta) * t + np.sin(theta) * r),
    )
