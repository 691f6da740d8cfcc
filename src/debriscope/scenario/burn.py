"""A finite burn cut short: constant thrust along the velocity, mass flowing out at the exhaust speed.

Equations of motion (Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed., sec. 6.11,
eqs. 6.110-6.111, with the J2 term of Vallado 2013 eq. 8-31 added):

    r'' = -mu r / |r|^3 + a_J2(r) + (F / m) v / |v|,    m' = -F / (Isp g0)

integrated with SciPy's DOP853 (rtol 1e-11). Without gravity losses the speed gained is the rocket
equation's Isp g0 ln(m0 / m1) (Tsiolkovsky); the test checks that limit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from ..constants import G0_MPS2
from .launch import j2_acceleration


def finite_burn(
    state_teme: NDArray, duration_s: float, thrust_n: float, isp_s: float, mass_kg: float, *, gravity: bool = True
) -> tuple[NDArray, float]:
    """State (6,) after ``duration_s`` of tangential thrust from ``state_teme`` (6,), and the final mass, kg.

    ``gravity=False`` drops gravity (a test of the rocket equation).
    """
    c = isp_s * G0_MPS2
    if thrust_n * duration_s / c >= mass_kg:
        raise ValueError(f"the burn of {duration_s} s uses more than the {mass_kg} kg available")

    def rhs(_t: float, y: NDArray) -> NDArray:
        v = y[3:6]
        acc = thrust_n / y[6] * v / np.linalg.norm(v)
        if gravity:
            acc = acc + j2_acceleration(y[:3])
        return np.concatenate([v, acc, [-thrust_n / c]])

    y0 = np.concatenate([np.asarray(state_teme, dtype=float).reshape(6), [mass_kg]])
    if duration_s == 0.0:
        return y0[:6].copy(), float(mass_kg)
    sol = solve_ivp(rhs, (0.0, duration_s), y0, method="DOP853", rtol=1e-11, atol=1e-6)
    return sol.y[:6, -1], float(sol.y[6, -1])
