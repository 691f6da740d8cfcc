"""Covariance transport: Keplerian motion in equinoctial elements, mapped to Cartesian at both ends.

The estimator's mean states follow the full force model of :mod:`debriscope.propagation`; their
covariances are carried with the Keplerian transition in equinoctial elements
``(a, h, k, p, q, lambda)`` (Broucke & Cefola 1972, Celest. Mech. 5, 303; nonsingular for
circular and equatorial orbits), where two-body motion only shears the mean longitude
(``d lambda = -3/2 n/a da dt``), mapped to Cartesian with the element Jacobians of the actual
states at both ends: ``Phi = (d el/d x)(x_to)^-1 S (d el/d x)(x_from)``. Evaluated this way along a
J2-perturbed reference the transport stays consistent step after step (the Cartesian Keplerian
matrix chained along such a reference grows errors exponentially: in tests/tracking/maintenance,
1,800 s steps along a 400 x 600 km orbit gave 6,900 km after 36 h where the integrator's own
finite-difference matrix gives 2,000 km; this transport gives 2,020 km at any step). Montenbruck
& Gill 2000, sec. 7.1.2 on the Keplerian transition matrix as the short-arc approximation.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ...constants import MU_EARTH_M3_S2
from ...elements import elements_to_rv, mean_to_true

_STEP = np.array([10.0, 10.0, 10.0, 0.01, 0.01, 0.01])
"""Central-difference steps of the element Jacobians, m and m/s."""


def to_equinoctial(states: NDArray) -> NDArray:
    """Equinoctial elements (6, N): a (m), h, k, p, q, mean longitude (rad) of TEME states (6, N),
    directly from position and velocity (Broucke & Cefola 1972; the equinoctial frame ``f, g``
    and the eccentric longitude ``F`` as in Vallado 2013, sec. 2.4.2): ``p, q`` from the unit
    angular momentum, ``k, h`` the eccentricity vector on ``f, g``, and
    ``lambda = F + h cos F - k sin F``."""
    rx, ry, rz, vx, vy, vz = states  # component rows: no stacking of small arrays (a hot path)
    out = np.empty((6, states.shape[1]))
    with np.errstate(invalid="ignore", divide="ignore"):
        rn = np.sqrt(rx * rx + ry * ry + rz * rz)
        vn2 = vx * vx + vy * vy + vz * vz
        a = 1.0 / (2.0 / rn - vn2 / MU_EARTH_M3_S2)
        hx, hy, hz = ry * vz - rz * vy, rz * vx - rx * vz, rx * vy - ry * vx
        hn = np.sqrt(hx * hx + hy * hy + hz * hz)
        p = hx / hn / (1.0 + hz / hn)
        q = -hy / hn / (1.0 + hz / hn)
        s2 = 1.0 + p * p + q * q
        fx, fy, fz = (1.0 - p * p + q * q) / s2, 2.0 * p * q / s2, -2.0 * p / s2
        gx, gy, gz = 2.0 * p * q / s2, (1.0 + p * p - q * q) / s2, 2.0 * q / s2
        c1 = (vn2 - MU_EARTH_M3_S2 / rn) / MU_EARTH_M3_S2
        c2 = (rx * vx + ry * vy + rz * vz) / MU_EARTH_M3_S2
        ex, ey, ez = c1 * rx - c2 * vx, c1 * ry - c2 * vy, c1 * rz - c2 * vz
        k = ex * fx + ey * fy + ez * fz
        h = ex * gx + ey * gy + ez * gz
        x = rx * fx + ry * fy + rz * fz
        y = rx * gx + ry * gy + rz * gz
        root = np.sqrt(1.0 - h * h - k * k)
        beta = 1.0 / (1.0 + root)
        cos_f = k + ((1.0 - k * k * beta) * x - h * k * beta * y) / (a * root)
        sin_f = h + ((1.0 - h * h * beta) * y - h * k * beta * x) / (a * root)
        ecc_lon = np.arctan2(sin_f, cos_f)
        out[5] = np.mod(ecc_lon + h * np.cos(ecc_lon) - k * np.sin(ecc_lon), 2.0 * np.pi)
    out[0], out[1], out[2], out[3], out[4] = a, h, k, p, q
    return out


def from_equinoctial(q: NDArray) -> NDArray:
    """TEME states (6, N) of equinoctial elements (6, N) (elliptic orbits)."""
    a, h, k, p, qq, lam = q
    lp = np.arctan2(h, k)
    raan = np.arctan2(p, qq)
    e = np.hypot(h, k)
    r, v = elements_to_rv(a, e, 2.0 * np.arctan(np.hypot(p, qq)), raan, lp - raan, mean_to_true(lam - lp, e))
    return np.concatenate([r, v])


def kepler(states: NDArray, dt_s: NDArray) -> NDArray:
    """Two-body states (6, N) after ``dt_s`` (N,) seconds (elliptic orbits; NaN otherwise)."""
    q = to_equinoctial(states)
    with np.errstate(invalid="ignore"):
        q[5] += np.sqrt(MU_EARTH_M3_S2 / np.where(q[0] > 0, q[0], np.nan) ** 3) * dt_s
    return from_equinoctial(q)


def element_jacobian(states: NDArray) -> NDArray:
    """d(equinoctial)/d(state) (N, 6, 6) by central differences."""
    n = states.shape[1]
    stacked = np.repeat(states[:, None, :], 12, axis=1)  # (6, 12, N): +/- each component
    for i in range(6):
        stacked[i, 2 * i] += _STEP[i]
        stacked[i, 2 * i + 1] -= _STEP[i]
    q = to_equinoctial(stacked.reshape(6, 12 * n)).reshape(6, 12, n)
    d = q[:, 0::2, :] - q[:, 1::2, :]
    d[5] = np.mod(d[5] + np.pi, 2.0 * np.pi) - np.pi
    return np.transpose(d / (2.0 * _STEP)[None, :, None], (2, 0, 1))


def kepler_stm(states: NDArray, dt_s: NDArray, states_to: NDArray | None = None) -> NDArray:
    """Transition matrices (N, 6, 6) over ``dt_s`` (N,) from states (6, N) to ``states_to`` (6, N),
    the reference states at the end (default: the two-body ones)."""
    if states_to is None:
        states_to = kepler(states, dt_s)
    bad = ~np.all(np.isfinite(states_to), axis=0)
    if bad.any():
        states_to = np.where(bad[None, :], kepler(states, dt_s), states_to)
    same = states.shape[1] > 1 and bool(np.all(states == states[:, :1]))  # one start, several ends
    start = states[:, :1] if same else states
    a = to_equinoctial(start)[0]
    shear = np.repeat(np.eye(6)[None], states.shape[1], axis=0)
    with np.errstate(invalid="ignore"):
        shear[:, 5, 0] = -1.5 * np.sqrt(MU_EARTH_M3_S2 / a**3) / a * dt_s
    return np.linalg.solve(element_jacobian(states_to), shear @ element_jacobian(start))
