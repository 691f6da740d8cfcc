"""Lambert's problem over many pairs at once: Izzo's (2015) solver, vectorised in NumPy.

Izzo, D. (2015), "Revisiting Lambert's problem", Celest. Mech. Dyn. Astr. 121, 1-15: prograde,
zero-revolution (single-arc) transfers. With the chord c, the semi-perimeter s of the triangle
(r1, r2, c) and lambda^2 = 1 - c/s (sign from the transfer's sense), the non-dimensional time of
flight T = sqrt(2 mu / s^3) tof is solved for x (y = sqrt(1 - lambda^2 (1 - x^2))) by Householder
iterations (fourth order) on T(x) from the initial guess of eq. 30, with the corrected middle branch
(poliastro issue 1362); T(x) is eq. 18 with the auxiliary angle psi of eq. 17, or, near the parabola
(0.6 < x^2 < 1.4), Battin's hypergeometric form with 2F1(3, 1; 5/2; S) summed until it stops
changing; its derivatives are eq. 22; the velocities' radial and tangential parts follow the
paper's Algorithm 1. Every pair iterates alone (a converged one is left as it is), all of them in
array operations: no compiled code, nothing to compile on a first run.

A pair that cannot be solved (a transfer time of zero or less, collinear or non-finite positions,
no convergence within :data:`MAX_ITERATIONS`) gets status :data:`FAILED` and NaN velocities; the
batch never aborts. ``tests/mission/test_lambert.py`` checks Curtis's worked example and agreement
with lamberthub's ``izzo2015`` (an independent implementation of the same method).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

OK = 0
FAILED = 1

MAX_ITERATIONS = 35
ATOL, RTOL = 1e-5, 1e-7
"""Householder iterations stop when the step in x is below ``RTOL |x| + ATOL`` (Izzo 2015 uses the
same order of tolerance; x is of order 1); a pair not converged after ``MAX_ITERATIONS`` fails."""


def _norm(v: NDArray) -> NDArray:
    return np.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])


def _hyp2f1b(x: NDArray) -> NDArray:
    """Gauss's hypergeometric 2F1(3, 1; 5/2; x) for x < 1 (Battin 1999, sec. 7.3), each element's
    series summed until adding a term no longer changes it; inf for x >= 1."""
    res = np.where(x >= 1.0, np.inf, 1.0)
    term = np.ones_like(x)
    active = x < 1.0
    ii = 0
    while np.any(active):
        term = np.where(active, term * (3 + ii) * (1 + ii) / (5 / 2 + ii) * x / (ii + 1), term)
        new = np.where(active, res + term, res)
        active &= new != res
        res = new
        ii += 1
    return res


def _time_of_flight(x: NDArray, y: NDArray, ll: NDArray) -> NDArray:
    """Non-dimensional time of flight T(x) of the zero-revolution arc (Izzo 2015 eqs. 17-18; near
    x = 1 Battin's series, eq. 20)."""
    near = (x > np.sqrt(0.6)) & (x < np.sqrt(1.4))
    eta = y - ll * x
    s1 = (1 - ll - x * eta) * 0.5
    q = 4 / 3 * _hyp2f1b(np.where(near, s1, 0.0))
    t_series = (eta**3 * q + 4 * ll * eta) * 0.5
    with np.errstate(invalid="ignore", divide="ignore"):
        elliptic = (x >= -1) & (x < 1)
        psi = np.where(elliptic, np.arccos(np.clip(x * y + ll * (1 - x**2), -1.0, 1.0)),
                       np.where(x > 1, np.arcsinh((y - x * ll) * np.sqrt(np.abs(x**2 - 1))), 0.0))
        t_general = (psi / np.sqrt(np.abs(1 - x**2)) - x + ll * y) / (1 - x**2)
    return np.where(near, t_series, t_general)


def _initial_guess(T: NDArray, ll: NDArray) -> NDArray:
    """Izzo 2015 eq. 30 (zero revolutions): T_0 (eq. 19), T_1 (eq. 21); the middle branch as
    corrected in poliastro issue 1362."""
    t0 = np.arccos(ll) + ll * np.sqrt(1 - ll**2)
    t1 = 2 * (1 - ll**3) / 3
    with np.errstate(invalid="ignore", divide="ignore"):
        long_ = (t0 / T) ** (2 / 3) - 1
        short = 5 / 2 * t1 / T * (t1 - T) / (1 - ll**5) + 1
        middle = np.exp(np.log(2) * np.log(T / t0) / np.log(t1 / t0)) - 1
    return np.where(T >= t0, long_, np.where(T < t1, short, middle))


def _householder(x: NDArray, T: NDArray, ll: NDArray) -> tuple[NDArray, NDArray]:
    """Roots x of T(x) = T (fourth-order Householder steps, derivatives Izzo 2015 eq. 22), each
    element until its step is below the tolerance; returns (x, converged)."""
    done = np.zeros(x.shape, dtype=bool)
    idx = np.arange(x.size)
    for _ in range(MAX_ITERATIONS):
        if idx.size == 0:
            break
        p0, tt, lam = x[idx], T[idx], ll[idx]
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            y = np.sqrt(1 - lam**2 * (1 - p0**2))
            fval = _time_of_flight(p0, y, lam) - tt
            t_now = fval + tt
            d1 = (3 * t_now * p0 - 2 + 2 * lam**3 * p0 / y) / (1 - p0**2)
            d2 = (3 * t_now + 5 * p0 * d1 + 2 * (1 - lam**2) * lam**3 / y**3) / (1 - p0**2)
            d3 = (7 * p0 * d2 + 8 * d1 - 6 * (1 - lam**2) * lam**5 * p0 / y**5) / (1 - p0**2)
            p = p0 - fval * ((d1**2 - fval * d2 / 2) / (d1 * (d1**2 - fval * d2) + d3 * fval**2 / 6))
            conv = np.abs(p - p0) < RTOL * np.abs(p0) + ATOL
        x[idx] = p
        done[idx[conv]] = True
        idx = idx[~conv & np.isfinite(p)]
    return x, done


def solve_lambert(
    mu_m3_s2: float, r1_m: ArrayLike, r2_m: ArrayLike, tof_s: ArrayLike
) -> tuple[NDArray, NDArray, NDArray]:
    """Velocities at both ends of the prograde single-arc conics through ``r1`` and ``r2``.

    Parameters
    ----------
    mu_m3_s2 : float
        Gravitational parameter of the central body, m^3/s^2.
    r1_m, r2_m : array (3, N) or (3,)
        Positions at departure and arrival, m (any inertial frame; the result is in the same frame).
    tof_s : array (N,) or float
        Times of flight, s.

    Returns
    -------
    v1_mps, v2_mps : arrays (3, N)
        Velocities at departure and arrival, m/s (NaN where the solver failed).
    status : int8 array (N,)
        :data:`OK` or :data:`FAILED` per pair.
    """
    tof = np.array(tof_s, dtype=float, ndmin=1).reshape(-1)
    n = tof.size
    r1 = np.broadcast_to(np.asarray(r1_m, dtype=float).reshape(3, -1), (3, n))
    r2 = np.broadcast_to(np.asarray(r2_m, dtype=float).reshape(3, -1), (3, n))
    mu = float(mu_m3_s2)
    with np.errstate(invalid="ignore", divide="ignore"):
        c_norm, r1_norm, r2_norm = _norm(r2 - r1), _norm(r1), _norm(r2)
        s = (r1_norm + r2_norm + c_norm) * 0.5  # semi-perimeter
        i_r1, i_r2 = r1 / r1_norm, r2 / r2_norm
        i_h = np.cross(i_r1, i_r2, axis=0)
        i_h = i_h / _norm(i_h)
        ll = np.sqrt(1 - np.minimum(1.0, c_norm / s))
        retro = i_h[2] < 0  # the prograde arc passes the other way: lambda < 0, tangents flipped
        ll = np.where(retro, -ll, ll)
        i_t1 = np.where(retro, np.cross(i_r1, i_h, axis=0), np.cross(i_h, i_r1, axis=0))
        i_t2 = np.where(retro, np.cross(i_r2, i_h, axis=0), np.cross(i_h, i_r2, axis=0))
        T = np.sqrt(2 * mu / s**3) * tof
    ok = (tof > 0.0) & np.isfinite(T) & (np.abs(ll) < 1) & np.all(np.isfinite(i_t1) & np.isfinite(i_t2), axis=0)
    x = np.zeros(n)
    x[ok], conv = _householder(_initial_guess(T[ok], ll[ok]), T[ok], ll[ok])
    ok[ok] = conv
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.sqrt(1 - ll**2 * (1 - x**2))
        gamma = np.sqrt(mu * s / 2)
        rho = (r1_norm - r2_norm) / c_norm
        sigma = np.sqrt(1 - rho**2)
        v_r1 = gamma * ((ll * y - x) - rho * (ll * y + x)) / r1_norm
        v_r2 = -gamma * ((ll * y - x) + rho * (ll * y + x)) / r2_norm
        v_t1 = gamma * sigma * (y + ll * x) / r1_norm
        v_t2 = gamma * sigma * (y + ll * x) / r2_norm
        v1 = v_r1 * i_r1 + v_t1 * i_t1
        v2 = v_r2 * i_r2 + v_t2 * i_t2
    ok &= np.all(np.isfinite(v1) & np.isfinite(v2), axis=0)
    v1[:, ~ok] = np.nan
    v2[:, ~ok] = np.nan
    return v1, v2, np.where(ok, OK, FAILED).astype(np.int8)
