"""The heliocentric transfer between two planets: Lambert's problem between their DE421 positions.

Patched conics (Curtis 2020, sec. 8.3 and 8.7; Vallado 2013, sec. 12.2): the spacecraft leaves the
departure planet's centre at ``t_dep`` and reaches the target's centre at ``t_arr`` on a Sun-centred
conic; the hyperbolic excess velocities are the differences from the planets' velocities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import AU_M, GM_SUN_M3_S2, SECONDS_PER_DAY
from ..elements import period_s, rv_to_elements
from .ephemeris import heliocentric_state, icrf_to_ecliptic
from .lambert import OK, solve_lambert


@dataclass(frozen=True)
class HeliocentricOrbit:
    """A Sun-centred conic in the J2000 ecliptic: apsides (AU), eccentricity, inclination (deg), period (d)."""

    perihelion_au: float
    aphelion_au: float
    eccentricity: float
    inclination_deg: float
    period_days: float

    @classmethod
    def from_state(cls, r_icrf_m: ArrayLike, v_icrf_mps: ArrayLike) -> HeliocentricOrbit:
        el = rv_to_elements(icrf_to_ecliptic(r_icrf_m), icrf_to_ecliptic(v_icrf_mps), mu=GM_SUN_M3_S2)
        a, e = float(el.a_m[0]), float(el.e[0])
        return cls(a * (1 - e) / AU_M, a * (1 + e) / AU_M, e, float(np.degrees(el.i_rad[0])),
                   float(period_s(a, mu=GM_SUN_M3_S2)) / SECONDS_PER_DAY)


@dataclass(frozen=True)
class Transfer:
    """One transfer: epochs (TT s), end states (ICRF, Sun-centred, (3,)), excess velocities (m/s)."""

    target: str
    t_dep_tt_s: float
    t_arr_tt_s: float
    r_dep_icrf_m: NDArray
    v_dep_icrf_mps: NDArray
    r_arr_icrf_m: NDArray
    v_arr_icrf_mps: NDArray
    v_inf_dep_icrf_mps: NDArray
    v_inf_arr_icrf_mps: NDArray

    @property
    def time_of_flight_days(self) -> float:
        return (self.t_arr_tt_s - self.t_dep_tt_s) / SECONDS_PER_DAY

    @property
    def c3_km2_s2(self) -> float:
        """Departure energy C3 = v_inf^2, km^2/s^2."""
        return float(self.v_inf_dep_icrf_mps @ self.v_inf_dep_icrf_mps) / 1e6

    @property
    def v_inf_arr_mps(self) -> float:
        return float(np.linalg.norm(self.v_inf_arr_icrf_mps))

    @property
    def orbit(self) -> HeliocentricOrbit:
        return HeliocentricOrbit.from_state(self.r_dep_icrf_m, self.v_dep_icrf_mps)


def solve_transfer(target: str, t_dep_tt_s: float, t_arr_tt_s: float, origin: str = "earth") -> Transfer:
    """The prograde single-arc transfer from ``origin`` at ``t_dep_tt_s`` to ``target`` at ``t_arr_tt_s``."""
    if not t_arr_tt_s > t_dep_tt_s:
        raise ValueError("the arrival must follow the departure")
    r1, vp1 = heliocentric_state(origin, t_dep_tt_s)
    r2, vp2 = heliocentric_state(target, t_arr_tt_s)
    v1, v2, status = solve_lambert(GM_SUN_M3_S2, r1, r2, t_arr_tt_s - t_dep_tt_s)
    if status[0] != OK:
        raise ValueError("Lambert's problem did not converge for this departure and arrival")
    return Transfer(target, float(t_dep_tt_s), float(t_arr_tt_s), r1[:, 0], v1[:, 0], r2[:, 0], v2[:, 0],
                    (v1 - vp1)[:, 0], (v2 - vp2)[:, 0])


def kepler_state(r0_m: ArrayLike, v0_mps: ArrayLike, dt_s: ArrayLike, mu: float = GM_SUN_M3_S2) -> NDArray:
    """Positions (3, N) along the elliptic conic through (r0, v0) after ``dt_s`` (N,) (Kepler's equation).

    Vallado 2013, algorithm 10 with the mean anomaly advanced by n dt; elliptic orbits only.
    """
    from ..elements import elements_to_rv, mean_to_true

    el = rv_to_elements(r0_m, v0_mps, mu=mu)
    dt = np.atleast_1d(np.asarray(dt_s, dtype=float))
    if not el.e[0] < 1.0:
        raise ValueError("kepler_state handles elliptic orbits only")
    n = np.sqrt(mu / el.a_m[0] ** 3)
    nu = mean_to_true(el.mean_anomaly_rad[0] + n * dt, np.full(dt.shape, el.e[0]))
    r, _ = elements_to_rv(el.a_m[0], el.e[0], el.i_rad[0], el.raan_rad[0], el.argp_rad[0], nu, mu=mu)
    return r
