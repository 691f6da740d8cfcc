"""Initial orbit determination from position vectors (TEME, SI), vectorised where it helps.

- :func:`gibbs`: Gibbs' method, three coplanar position vectors -> velocity at the middle one
  (Vallado 2013, *Fundamentals of Astrodynamics and Applications*, 4th ed., algorithm 54).
- :func:`herrick_gibbs`: the Herrick-Gibbs Taylor-series variant for closely spaced vectors
  (Vallado 2013, algorithm 55), preferred when the vectors span less than a few degrees.
- :func:`fg_series_fit`: a short-arc method for two or more positions: a linear least-squares fit
  of ``r(t) = f(tau) r0 + g(tau) v0`` with the Lagrange f and g series to fourth order in tau
  (Escobal 1965, *Methods of Orbit Determination*, ch. 3; Bate, Mueller & White 1971,
  *Fundamentals of Astrodynamics*, ch. 5), iterated so the series coefficients use the fitted
  velocity. With exactly two positions it is a short-arc Lambert solution, as the FPS-50 site
  computer used on the two fan crossings.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import MU_EARTH_M3_S2

GIBBS_MIN_ANGLE_RAD = np.radians(3.0)
"""Below this spacing between vectors Herrick-Gibbs beats Gibbs (Vallado 2013, ch. 7: Gibbs
degrades under about 1 deg, Herrick-Gibbs is good to a few degrees)."""


class IodResult(NamedTuple):
    """Velocity at the middle vector and the geometry checks of Vallado's algorithms."""

    v2_mps: NDArray
    coplanarity_rad: float
    theta12_rad: float
    theta23_rad: float


def _angle(a: NDArray, b: NDArray) -> float:
    return float(np.arctan2(np.linalg.norm(np.cross(a, b)), np.dot(a, b)))


def _coplanarity(r1: NDArray, r2: NDArray, r3: NDArray) -> float:
    z23 = np.cross(r2, r3)
    return float(np.pi / 2 - np.arccos(np.dot(z23, r1) / (np.linalg.norm(z23) * np.linalg.norm(r1))))


def gibbs(r1_m: ArrayLike, r2_m: ArrayLike, r3_m: ArrayLike, mu: float = MU_EARTH_M3_S2) -> IodResult:
    """Gibbs' method (Vallado 2013, algorithm 54): velocity at ``r2`` from three positions."""
    r1, r2, r3 = (np.asarray(r, dtype=float) for r in (r1_m, r2_m, r3_m))
    n1, n2, n3 = (np.linalg.norm(r) for r in (r1, r2, r3))
    z12, z23, z31 = np.cross(r1, r2), np.cross(r2, r3), np.cross(r3, r1)
    big_n = n1 * z23 + n2 * z31 + n3 * z12  # alg. 54: N
    big_d = z12 + z23 + z31  # D
    big_s = (n2 - n3) * r1 + (n3 - n1) * r2 + (n1 - n2) * r3  # S
    big_b = np.cross(big_d, r2)  # B = D x r2
    lg = np.sqrt(mu / (np.linalg.norm(big_n) * np.linalg.norm(big_d)))  # L_g
    v2 = lg / n2 * big_b + lg * big_s
    return IodResult(v2, _coplanarity(r1, r2, r3), _angle(r1, r2), _angle(r2, r3))


def herrick_gibbs(
    r1_m: ArrayLike,
    r2_m: ArrayLike,
    r3_m: ArrayLike,
    t1_s: float,
    t2_s: float,
    t3_s: float,
    mu: float = MU_EARTH_M3_S2,
) -> IodResult:
    """Herrick-Gibbs (Vallado 2013, algorithm 55): velocity at ``r2`` from three timed positions."""
    r1, r2, r3 = (np.asarray(r, dtype=float) for r in (r1_m, r2_m, r3_m))
    n1, n2, n3 = (np.linalg.norm(r) for r in (r1, r2, r3))
    dt31, dt32, dt21 = t3_s - t1_s, t3_s - t2_s, t2_s - t1_s
    v2 = (
        -dt32 * (1.0 / (dt21 * dt31) + mu / (12.0 * n1**3)) * r1
        + (dt32 - dt21) * (1.0 / (dt21 * dt32) + mu / (12.0 * n2**3)) * r2
        + dt21 * (1.0 / (dt32 * dt31) + mu / (12.0 * n3**3)) * r3
    )
    return IodResult(v2, _coplanarity(r1, r2, r3), _angle(r1, r2), _angle(r2, r3))


def three_position_state(t_s: ArrayLike, r_m: ArrayLike, mu: float = MU_EARTH_M3_S2) -> tuple[float, NDArray]:
    """State at the middle of three timed positions ``(3, 3)``: Gibbs or Herrick-Gibbs by spacing.

    Returns ``(t2_s, state (6,))``.
    """
    t = np.asarray(t_s, dtype=float)
    r = np.asarray(r_m, dtype=float)
    res = herrick_gibbs(r[:, 0], r[:, 1], r[:, 2], t[0], t[1], t[2], mu)
    if min(res.theta12_rad, res.theta23_rad) > GIBBS_MIN_ANGLE_RAD:
        res = gibbs(r[:, 0], r[:, 1], r[:, 2], mu)
    return float(t[1]), np.concatenate([r[:, 1], res.v2_mps])


def _fg(tau: NDArray, u: float, p: float, q: float) -> tuple[NDArray, NDArray]:
    """Lagrange f and g series to tau^4 (Escobal 1965, ch. 3), u = mu/r^3, p = r.v/r^2, q = v^2/r^2 - u."""
    f = 1.0 - u * tau**2 / 2.0 + u * p * tau**3 / 2.0 + u * (u - 15.0 * p * p + 3.0 * q) * tau**4 / 24.0
    g = tau - u * tau**3 / 6.0 + u * p * tau**4 / 4.0
    return f, g


def fg_series_fit(
    t_s: ArrayLike,
    r_m: ArrayLike,
    t0_s: float | None = None,
    weights: ArrayLike | None = None,
    mu: float = MU_EARTH_M3_S2,
    n_iter: int = 3,
) -> NDArray:
    """Short-arc state at ``t0`` from two or more timed positions ``(3, M)`` (f and g series).

    Each component obeys ``x(t_k) = f_k x0 + g_k vx0``: a 2-unknown weighted linear least squares,
    shared by the three components. The series coefficients u = mu/r0^3, p = r0.v0/r0^2 and
    q = v0^2/r0^2 - u start from the nearest position with p = q = 0 and are refined ``n_iter`` times.
    Valid for arcs that are a small fraction of a revolution (tens of degrees at most).

    Returns
    -------
    numpy.ndarray
        State ``(6,)`` at ``t0`` (default: the mean time).
    """
    t = np.asarray(t_s, dtype=float)
    r = np.asarray(r_m, dtype=float).reshape(3, -1)
    if t.size < 2:
        raise ValueError("fg_series_fit needs at least two positions")
    t0 = float(np.mean(t)) if t0_s is None else float(t0_s)
    w = np.ones(t.size) if weights is None else np.asarray(weights, dtype=float)
    sw = np.sqrt(w)
    tau = t - t0
    r0 = float(np.linalg.norm(r[:, np.argmin(np.abs(tau))]))
    u, p, q = mu / r0**3, 0.0, 0.0
    state = np.zeros(6)
    for _ in range(n_iter + 1):
        f, g = _fg(tau, u, p, q)
        design = np.stack([f, g], axis=1) * sw[:, None]
        sol, *_ = np.linalg.lstsq(design, (r * sw).T, rcond=None)  # (2, 3): rows r0, v0
        state = np.concatenate([sol[0], sol[1]])
        rn = np.linalg.norm(sol[0])
        u, p, q = mu / rn**3, float(sol[0] @ sol[1]) / rn**2, float(sol[1] @ sol[1]) / rn**2 - mu / rn**3
    return state
