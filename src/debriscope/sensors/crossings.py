"""Crossing times refined on the sampled ephemeris: Illinois regula falsi, compiled.

A fan crossing is a root of ``el(t) - fan elevation``, a fence crossing a root of ``n(t) . r(t)``
(:mod:`debriscope.sensors.detect`, :mod:`debriscope.sensors.fence`). Both evaluate, at a time
between two samples ``k, k+1`` of the chunk's grid,

- the fragment's position, the cubic Hermite polynomial through the two samples' positions and
  velocities (:meth:`debriscope.sensors.ephemeris.SampledStates.interpolate`; Montenbruck & Gill,
  *Satellite Orbits*, 2000, sec. 4.3), and
- the Earth-fixed site position and axis (or the fence's pole) of sample ``k`` turned about TEME's
  z axis by the fraction of the Earth's rotation between the samples
  (:func:`debriscope.sensors.geometry.turned`),

so the functions are written here once, in Numba, with the whole iteration (Dowell & Jarratt, "A
modified regula falsi method for computing the root of an equation", BIT 11 (1971) 168: the
retained end's value is halved when the same end is kept twice). As in the NumPy loop this
replaces, all brackets iterate together until the largest residual is below the tolerance.
"""

from __future__ import annotations

import numba as nb
import numpy as np
from numpy.typing import NDArray

from .ephemeris import SampledStates
from .geometry import turn_angles


def refine(sampled: SampledStates, origin: NDArray, axis: NDArray, k: NDArray, col: NDArray, fa: NDArray,
           fb: NDArray, target: float, *, angle: bool, tol: float, iterations: int) -> NDArray:
    """Times (TT s) of the roots bracketed by samples ``k, k+1`` of fragment columns ``col``, where
    the function (``target`` subtracted) is ``fa`` and ``fb``, of opposite signs.

    The function is ``asin(u . axis) - target`` (``u`` the unit vector from ``origin`` to the
    fragment: an elevation when ``axis`` is the site's up) with ``angle``, else ``(r - origin) .
    axis - target`` (a signed distance to a plane). ``origin`` and ``axis`` (3, T) are Earth-fixed
    vectors given in TEME at the sample times. Iterates until every residual is below ``tol`` or
    ``iterations`` steps.
    """
    times = sampled.times_tt_s
    return _refine(times, sampled.states, turn_angles(times), np.ascontiguousarray(origin.T),
                   np.ascontiguousarray(axis.T), np.ascontiguousarray(k, dtype=np.int64), np.ascontiguousarray(col, dtype=np.int64),
                   np.array(fa, dtype=float), np.array(fb, dtype=float), float(target), bool(angle), float(tol), int(iterations))


def evaluate(sampled: SampledStates, origin: NDArray, axis: NDArray, t_tt_s: NDArray, col: NDArray, *,
             angle: bool) -> NDArray:
    """The function of :func:`refine` (without ``target``) at times ``t_tt_s`` of columns ``col``,
    as it is evaluated there (times slightly outside the grid use its first or last interval)."""
    times = sampled.times_tt_s
    t = np.ascontiguousarray(t_tt_s, dtype=float)
    col = np.ascontiguousarray(col, dtype=np.int64)  # contiguous: one compiled version
    return _evaluate(times, sampled.states, turn_angles(times), np.ascontiguousarray(origin.T),
                     np.ascontiguousarray(axis.T), t, col, bool(angle))


@nb.njit(cache=True)
def _value(times: NDArray, states: NDArray, turn: NDArray, origin: NDArray, axis: NDArray, t: float, col: int,
           angle: bool) -> float:
    """``asin(u . axis)`` or ``(r - origin) . axis`` at time ``t`` for fragment column ``col``."""
    n_t = times.size
    k = np.searchsorted(times, t, side="right") - 1
    k = min(max(k, 0), n_t - 2)
    h = times[k + 1] - times[k]
    s = (t - times[k]) / h
    s2, s3 = s * s, s * s * s
    h00, h10, h01, h11 = 2 * s3 - 3 * s2 + 1, s3 - 2 * s2 + s, -2 * s3 + 3 * s2, s3 - s2
    phi = turn[k] * (t - times[k]) / h
    c, sn = np.cos(phi), np.sin(phi)
    rho = np.empty(3)
    for i in range(3):  # Hermite position minus the origin, turned
        rho[i] = (h00 * states[k, i, col] + h10 * h * states[k, 3 + i, col] + h01 * states[k + 1, i, col]
                  + h11 * h * states[k + 1, 3 + i, col])
    ox, oy = origin[k, 0], origin[k, 1]
    rho[0] -= c * ox - sn * oy
    rho[1] -= sn * ox + c * oy
    rho[2] -= origin[k, 2]
    ax, ay = axis[k, 0], axis[k, 1]
    d = rho[0] * (c * ax - sn * ay) + rho[1] * (sn * ax + c * ay) + rho[2] * axis[k, 2]
    if not angle:
        return d
    x = d / np.sqrt(rho[0] * rho[0] + rho[1] * rho[1] + rho[2] * rho[2])
    return np.arcsin(min(1.0, max(-1.0, x)))


@nb.njit(cache=True)
def _evaluate(times: NDArray, states: NDArray, turn: NDArray, origin: NDArray, axis: NDArray, t: NDArray,
              col: NDArray, angle: bool) -> NDArray:
    out = np.empty(t.size)
    for j in range(t.size):
        out[j] = _value(times, states, turn, origin, axis, t[j], col[j], angle)
    return out


@nb.njit(cache=True)
def _refine(times: NDArray, states: NDArray, turn: NDArray, origin: NDArray, axis: NDArray, k: NDArray,
            col: NDArray, fa: NDArray, fb: NDArray, target: float, angle: bool, tol: float, iterations: int) -> NDArray:
    m = k.size
    ta, tb, t, ft = np.empty(m), np.empty(m), np.empty(m), np.empty(m)
    for j in range(m):
        ta[j], tb[j] = times[k[j]], times[k[j] + 1]
        t[j] = ta[j]
    for _ in range(iterations):
        converged = True
        for j in range(m):
            t[j] = tb[j] - fb[j] * (tb[j] - ta[j]) / (fb[j] - fa[j]) if fb[j] != fa[j] else tb[j]
            ft[j] = _value(times, states, turn, origin, axis, t[j], col[j], angle) - target
            if not abs(ft[j]) < tol:  # NaN too
                converged = False
        if m == 0 or converged:
            break
        for j in range(m):
            if np.sign(ft[j]) != np.sign(fb[j]):
                ta[j], fa[j] = tb[j], fb[j]
            else:
                fa[j] *= 0.5
            tb[j], fb[j] = t[j], ft[j]
    return t
