"""Compact two-body + J2 dynamics for orbit determination, vectorised over objects.

Orbit determination over one radar pass (minutes) or a few revolutions (linking) needs a fast,
smooth, drag-free model: central gravity plus the J2 zonal term (Vallado 2013, ch. 8, the
J2 acceleration in an Earth-centred inertial frame, here TEME), integrated by the classical
fourth-order Runge-Kutta method with a fixed maximum step that lands exactly on each requested
time. States are ``(6, N)`` TEME SI arrays; times are TT seconds since J2000.

The fixed step keeps every column in lock-step, so perturbed copies of a state (finite-difference
partials) and Monte Carlo samples propagate in one array operation. With the default 10 s step
the truncation error is below a metre per revolution in LEO (step error ~ (h n)^5 r).
:func:`propagate_j2` and :func:`propagate_to_height` run the compiled RK4 of :func:`propagate_drag`
with B = 0 and J2 alone; :func:`rk4_step` is its NumPy form (per-column step sizes).

Multi-pass orbit determination (hours to a day at a 180 km perigee) adds J3, J4 and drag:
:func:`propagate_drag` integrates zonal gravity (J2..J4, as the truth propagator) + drag with a
per-column ballistic coefficient
B = Cd A/m in the static piecewise exponential atmosphere of Vallado 2013 (table 8-4, eq. 8-33),
a Numba RK4 kernel (the same scheme, 20 s step).
"""

from __future__ import annotations

import numba as nb
import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import J2, J3, J4, MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_EARTH_GRAVITY_M, WGS84_A_M, WGS84_E2
from ..propagation.atmosphere import _EXPONENTIAL_TABLE

DEFAULT_STEP_S = 10.0


def accel_j2(r_m: NDArray, j2: float = J2) -> NDArray:
    """Two-body + J2 acceleration, m/s^2, for positions ``(3, N)`` (Vallado 2013, ch. 8).

    a = -mu r / r^3 [1 - 3/2 J2 (R/r)^2 (5 z^2/r^2 - 1)] for x and y, with (5 z^2/r^2 - 3) for z.
    """
    x, y, z = r_m
    r2 = x * x + y * y + z * z
    r = np.sqrt(r2)
    mu_r3 = MU_EARTH_M3_S2 / (r2 * r)
    k = 1.5 * j2 * (R_EARTH_GRAVITY_M * R_EARTH_GRAVITY_M) / r2  # 3/2 J2 (R/r)^2
    z2 = 5.0 * z * z / r2
    return np.stack(
        [
            -mu_r3 * x * (1.0 - k * (z2 - 1.0)),
            -mu_r3 * y * (1.0 - k * (z2 - 1.0)),
            -mu_r3 * z * (1.0 - k * (z2 - 3.0)),
        ]
    )


def _deriv(state: NDArray, j2: float) -> NDArray:
    return np.concatenate([state[3:], accel_j2(state[:3], j2)])


def rk4_step(state: NDArray, h: float | NDArray, j2: float = J2) -> NDArray:
    """One classical Runge-Kutta 4 step of size ``h`` seconds (scalar or per column)."""
    k1 = _deriv(state, j2)
    k2 = _deriv(state + 0.5 * h * k1, j2)
    k3 = _deriv(state + 0.5 * h * k2, j2)
    k4 = _deriv(state + h * k3, j2)
    return state + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


def propagate_j2(
    state0_teme: ArrayLike,
    t0_tt_s: float,
    times_tt_s: ArrayLike,
    *,
    step_s: float = DEFAULT_STEP_S,
    j2: float = J2,
) -> NDArray:
    """Propagate states ``(6, N)`` from ``t0`` to each of ``times`` (any order, either side of t0).

    Returns
    -------
    numpy.ndarray
        States of shape ``(T, 6, N)`` at the requested times.
    """
    x0 = np.asarray(state0_teme, dtype=float)
    squeeze = x0.ndim == 1
    x0 = x0.reshape(6, -1)
    times = np.atleast_1d(np.asarray(times_tt_s, dtype=float))
    out = np.empty((times.size, 6, x0.shape[1]))
    for sign in (1.0, -1.0):
        sel = np.flatnonzero((times - t0_tt_s) * sign >= 0.0) if sign > 0 else np.flatnonzero(times < t0_tt_s)
        if sel.size == 0:
            continue
        order = sel[np.argsort((times[sel] - t0_tt_s) * sign)]
        # the compiled RK4 of propagate_drag, with B = 0 and J2 alone
        out[order] = _rk4_drag_through(np.ascontiguousarray(x0), np.zeros(x0.shape[1]), t0_tt_s,
                                       np.ascontiguousarray(times[order]), float(step_s), _DENSITY_TABLE,
                                       np.array([j2, 0.0, 0.0]))
    return out[:, :, 0] if squeeze else out


def ellipsoid_height_m(r_m: NDArray) -> NDArray:
    """Approximate height above the WGS-84 ellipsoid of positions ``(3, N)``, m.

    The radius of the ellipsoid at the point's geocentric latitude, r_e = a sqrt((1 - e^2) /
    (1 - e^2 cos^2 phi')), is subtracted from the geocentric distance; near the surface this
    differs from the geodetic height by under a metre (the normal and the radius differ by at
    most 0.19 deg), which is all a ground-impact search needs and needs no frame rotation.
    """
    r = np.linalg.norm(r_m, axis=0)
    cos2 = (r_m[0] ** 2 + r_m[1] ** 2) / (r * r)
    return r - WGS84_A_M * np.sqrt((1.0 - WGS84_E2) / (1.0 - WGS84_E2 * cos2))


def propagate_to_height(
    state0_teme: ArrayLike,
    t0_tt_s: float,
    height_m: float,
    max_duration_s: float,
    *,
    step_s: float = DEFAULT_STEP_S,
    j2: float = J2,
) -> tuple[NDArray, NDArray]:
    """Propagate forward (two-body + J2) until each column first descends through ``height_m``
    above the ellipsoid.

    RK4 steps of ``step_s`` in a Numba kernel, one column at a time (each stops at its own
    crossing); the crossing is located by bisection on RK4 sub-steps inside the bracketing step.

    Returns
    -------
    t_cross_tt_s : numpy.ndarray
        ``(N,)`` crossing times; NaN where no crossing within ``max_duration_s``.
    state_cross : numpy.ndarray
        ``(6, N)`` states at the crossing (NaN where none).
    """
    x = np.ascontiguousarray(np.asarray(state0_teme, dtype=float).reshape(6, -1))
    n_steps = int(np.ceil(max_duration_s / step_s))
    dt_cross, x_cross = _descend(x, float(height_m), float(step_s), n_steps, _DENSITY_TABLE,
                                 np.array([j2, 0.0, 0.0]))
    return t0_tt_s + dt_cross, x_cross


@nb.njit(cache=True)
def _height(y: NDArray) -> float:  # pragma: no cover
    r2 = y[0, 0] ** 2 + y[1, 0] ** 2 + y[2, 0] ** 2
    r = np.sqrt(r2)
    cos2 = (y[0, 0] ** 2 + y[1, 0] ** 2) / r2
    return r - WGS84_A_M * np.sqrt((1.0 - WGS84_E2) / (1.0 - WGS84_E2 * cos2))  # ellipsoid_height_m, compiled


@nb.njit(cache=True)
def _descend(x: NDArray, height_m: float, step_s: float, n_steps: int, tab: NDArray,
             zonal: NDArray) -> tuple[NDArray, NDArray]:  # pragma: no cover
    """Time after start (NaN: none) and state of each column's first descent through ``height_m``."""
    n = x.shape[1]
    t_out = np.full(n, np.nan)
    x_out = np.full((6, n), np.nan)
    b = np.zeros(1)
    for k in range(n):
        y = x[:, k : k + 1].copy()
        if not _height(y) > height_m:
            continue
        for i in range(n_steps):
            yn = _rk4_drag(y, b, step_s, 1, tab, zonal)
            if _height(yn) <= height_m:
                lo, hi = 0.0, step_s
                for _ in range(40):  # bisection to ~1e-11 of the step
                    mid = 0.5 * (lo + hi)
                    if _height(_rk4_drag(y, b, mid, 1, tab, zonal)) <= height_m:
                        hi = mid
                    else:
                        lo = mid
                t_out[k] = i * step_s + hi
                x_out[:, k] = _rk4_drag(y, b, hi, 1, tab, zonal)[:, 0]
                break
            y = yn
    return t_out, x_out


def propagate_to_epoch(
    states_teme: ArrayLike, epochs_tt_s: ArrayLike, t_tt_s: float, *, step_s: float = DEFAULT_STEP_S,
    j2: float = J2,
) -> NDArray:
    """Move states ``(6, N)``, each at its own epoch, to one common time ``t_tt_s``, (6, N).

    All columns take the same number of RK4 steps, each its own step size (at most ``step_s``).
    """
    x = np.asarray(states_teme, dtype=float).reshape(6, -1)
    span = t_tt_s - np.asarray(epochs_tt_s, dtype=float).reshape(-1)
    n = int(np.ceil(np.max(np.abs(span), initial=0.0) / step_s - 1e-9))
    h = span / max(n, 1)
    for _ in range(n):
        x = rk4_step(x, h, j2)
    return x


# --- two-body + J2 + drag, for multi-pass orbit determination ------------------------------------

DRAG_STEP_S = 20.0
"""RK4 step of the drag propagator, s: under a metre per revolution at 180 km perigee."""


@nb.njit(cache=True)
def _accel_drag(x: NDArray, b: NDArray, out: NDArray, tab: NDArray, zonal: NDArray) -> None:  # pragma: no cover
    """Zonal gravity (J2..J4) + drag derivative of states ``x (6, K)`` into ``out (6, K)``.

    Gravity: the gradient of U = mu/r [1 - sum J_n (R/r)^n P_n(sin phi')] (Montenbruck & Gill
    2000, eq. 3.33 with m = 0), as in :mod:`debriscope.propagation.kernels`; ``zonal`` = (J2, J3, J4).
    Drag (Vallado 2013 eq. 8-29): a = -1/2 B rho |v_rel| v_rel with B = Cd A/m and
    v_rel = v - omega x r (co-rotating atmosphere); rho from the piecewise exponential model
    (Vallado 2013 table 8-4, eq. 8-33) at the height above the WGS-84 ellipsoid.
    """
    mu, re, w = MU_EARTH_M3_S2, R_EARTH_GRAVITY_M, OMEGA_EARTH_RAD_S
    n_band = tab.shape[0]
    for k in range(x.shape[1]):
        px, py, pz = x[0, k], x[1, k], x[2, k]
        vx, vy, vz = x[3, k], x[4, k], x[5, k]
        r2 = px * px + py * py + pz * pz
        r = np.sqrt(r2)
        s = pz / r
        mur3 = mu / (r2 * r)
        p2, dp2 = 0.5 * (3.0 * s * s - 1.0), 3.0 * s
        p3, dp3 = 0.5 * (5.0 * s**3 - 3.0 * s), 0.5 * (15.0 * s * s - 3.0)
        p4, dp4 = 0.125 * (35.0 * s**4 - 30.0 * s * s + 3.0), 0.5 * (35.0 * s**3 - 15.0 * s)
        q = re / r
        c2, c3, c4 = zonal[0] * q * q, zonal[1] * q**3, zonal[2] * q**4
        # Montenbruck & Gill 2000 eq. 3.33 (m = 0): radial and polar parts
        radial = -1.0 + c2 * (3.0 * p2 + s * dp2) + c3 * (4.0 * p3 + s * dp3) + c4 * (5.0 * p4 + s * dp4)
        polar = -(c2 * dp2 + c3 * dp3 + c4 * dp4) * r
        cos2 = (px * px + py * py) / r2
        h = r - WGS84_A_M * np.sqrt((1.0 - WGS84_E2) / (1.0 - WGS84_E2 * cos2))
        h = max(h, 0.0)
        band = 0
        while band + 1 < n_band and tab[band + 1, 0] <= h:
            band += 1
        rho = tab[band, 1] * np.exp(-(h - tab[band, 0]) / tab[band, 2])  # Vallado 2013 eq. 8-33
        wx, wy = vx + w * py, vy - w * px  # v_rel = v - omega x r, omega along z
        vr = np.sqrt(wx * wx + wy * wy + vz * vz)
        f = -0.5 * b[k] * rho * vr  # Vallado 2013 eq. 8-29
        out[0, k], out[1, k], out[2, k] = vx, vy, vz
        out[3, k] = mur3 * radial * px + f * wx
        out[4, k] = mur3 * radial * py + f * wy
        out[5, k] = mur3 * (radial * pz + polar) + f * vz


@nb.njit(cache=True)
def _rk4_drag(x: NDArray, b: NDArray, span: float, n: int, tab: NDArray, zonal: NDArray) -> NDArray:  # pragma: no cover
    """``n`` equal RK4 steps covering ``span`` seconds."""
    h = span / n
    k1, k2, k3, k4 = np.empty_like(x), np.empty_like(x), np.empty_like(x), np.empty_like(x)
    y = x.copy()
    for _ in range(n):
        _accel_drag(y, b, k1, tab, zonal)
        _accel_drag(y + 0.5 * h * k1, b, k2, tab, zonal)
        _accel_drag(y + 0.5 * h * k2, b, k3, tab, zonal)
        _accel_drag(y + h * k3, b, k4, tab, zonal)
        y = y + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return y


def _density_table_si() -> NDArray:
    """Vallado 2013 table 8-4 in SI: base height m, nominal density kg/m^3, scale height m."""
    return np.ascontiguousarray(_EXPONENTIAL_TABLE * np.array([1e3, 1.0, 1e3]))


_DENSITY_TABLE = _density_table_si()


def exponential_density_kg_m3(height_m: ArrayLike) -> NDArray:
    """Density of the piecewise exponential atmosphere (Vallado 2013 table 8-4, eq. 8-33), kg/m^3."""
    h = np.maximum(np.atleast_1d(np.asarray(height_m, dtype=float)), 0.0)
    band = np.clip(np.searchsorted(_DENSITY_TABLE[:, 0], h, side="right") - 1, 0, None)
    h0, rho0, scale = _DENSITY_TABLE[band].T
    return rho0 * np.exp(-(h - h0) / scale)


def propagate_drag(
    state0_teme: ArrayLike,
    b_m2_kg: ArrayLike,
    t0_tt_s: float,
    times_tt_s: ArrayLike,
    *,
    step_s: float = DRAG_STEP_S,
    zonal: tuple[float, float, float] = (J2, J3, J4),
) -> NDArray:
    """Propagate states ``(6, K)`` with zonal gravity (J2..J4) + drag to each of ``times`` (either side of t0).

    ``b_m2_kg`` (K,) is each column's ballistic coefficient B = Cd A/m, m^2/kg, in the static
    piecewise exponential atmosphere of Vallado 2013 table 8-4 (co-rotating with the Earth).
    Returns states ``(T, 6, K)`` (``(T, 6)`` for a 1-D state).
    """
    x0 = np.asarray(state0_teme, dtype=float)
    squeeze = x0.ndim == 1
    x0 = np.ascontiguousarray(x0.reshape(6, -1))
    b = np.ascontiguousarray(np.broadcast_to(np.asarray(b_m2_kg, dtype=float), (x0.shape[1],)))
    times = np.atleast_1d(np.asarray(times_tt_s, dtype=float))
    out = np.empty((times.size, 6, x0.shape[1]))
    for sign in (1.0, -1.0):
        sel = np.flatnonzero(times >= t0_tt_s) if sign > 0 else np.flatnonzero(times < t0_tt_s)
        if sel.size == 0:
            continue
        order = sel[np.argsort((times[sel] - t0_tt_s) * sign)]
        out[order] = _rk4_drag_through(x0, b, t0_tt_s, np.ascontiguousarray(times[order]), float(step_s),
                                       _DENSITY_TABLE, np.asarray(zonal, dtype=float))
    return out[:, :, 0] if squeeze else out


@nb.njit(cache=True)
def _rk4_drag_through(x0: NDArray, b: NDArray, t0: float, times: NDArray, step_s: float, tab: NDArray,
                      zonal: NDArray) -> NDArray:  # pragma: no cover
    """States (T, 6, K) at ``times`` (monotonic away from t0): equal RK4 steps of at most
    ``step_s`` between consecutive times, in one compiled call."""
    out = np.empty((times.size, x0.shape[0], x0.shape[1]))
    x, t = x0.copy(), t0
    for i in range(times.size):
        span = times[i] - t
        n = int(np.ceil(abs(span) / step_s - 1e-9))
        if n > 0:
            x = _rk4_drag(x, b, span, n, tab, zonal)
        t = times[i]
        out[i] = x
    return out
