"""Compiled (Numba) kernels: zonal gravity, drag with a gridded NRLMSIS, RK4 with decay events.

Everything here works on one object at a time (scalars and length-6 arrays) and is driven over
objects in parallel by :func:`rk4_advance`. Kernels return status codes, they never raise.
Compiled with ``cache=True``: the first import in a fresh environment compiles (some seconds),
later runs load the cache.

Models (equations cited at the line):
- zonal gravity J2-J4 as the gradient of the zonal potential
  U = mu/r [1 - sum_n J_n (R/r)^n P_n(z/r)] (Montenbruck & Gill 2000, eq. 3.33 with m = 0);
- drag a = -1/2 Cd (A/m) rho |v_rel| v_rel, v_rel = v - omega x r (Vallado 2013 eq. 8-29 with a
  co-rotating atmosphere);
- geodetic latitude and height on WGS-84 by Bowring's (1976) formula, one iteration
  (Survey Review 23(181), eqs. 1-3; sub-millimetre below 1000 km);
- classical fixed-step Runge-Kutta 4 (Hairer, Norsett & Wanner 1993, table 1.2), decay located on
  the cubic Hermite interpolant of the step by bisection.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from ..constants import WGS84_A_M, WGS84_E2

OK, DECAYED, FAILED = 0, 1, 2  # mirror of debriscope.propagation.Status (kernels use ints)
_B_M = WGS84_A_M * math.sqrt(1.0 - WGS84_E2)
_EP2 = WGS84_E2 / (1.0 - WGS84_E2)
_DEG = 180.0 / math.pi


@nb.njit(cache=True)
def geodetic(x: float, y: float, z: float) -> tuple[float, float]:
    """Geodetic latitude (rad) and height (m) on WGS-84 (Bowring 1976, one iteration)."""
    a = WGS84_A_M
    p = math.sqrt(x * x + y * y)
    theta = math.atan2(z * a, p * _B_M)
    st, ct = math.sin(theta), math.cos(theta)
    lat = math.atan2(z + _EP2 * _B_M * st * st * st, p - WGS84_E2 * a * ct * ct * ct)
    sl, cl = math.sin(lat), math.cos(lat)
    h = p * cl + z * sl - a * math.sqrt(1.0 - WGS84_E2 * sl * sl)
    return lat, h


@nb.njit(cache=True)
def grid_log_density(grid, alt_nodes, lat0, dlat, dlst, alt_km, lat_deg, lst_h):
    """Trilinear ln(rho) in one slice ``grid[alt, lat, lst]`` (lst periodic, others clamped)."""
    nalt = alt_nodes.shape[0]
    if alt_km <= alt_nodes[0]:
        ia, fa = 0, 0.0
    elif alt_km >= alt_nodes[nalt - 1]:
        ia, fa = nalt - 2, 1.0
    else:
        ia = np.searchsorted(alt_nodes, alt_km) - 1
        fa = (alt_km - alt_nodes[ia]) / (alt_nodes[ia + 1] - alt_nodes[ia])
    nlat = grid.shape[1]
    u = (lat_deg - lat0) / dlat
    il = min(max(int(math.floor(u)), 0), nlat - 2)
    fl = min(max(u - il, 0.0), 1.0)
    nlst = grid.shape[2]
    w = (lst_h % 24.0) / dlst
    it = int(math.floor(w))
    ft = w - it
    it = it % nlst
    it1 = (it + 1) % nlst
    out = 0.0
    for da in range(2):
        wa = fa if da else 1.0 - fa
        for dl in range(2):
            wl = fl if dl else 1.0 - fl
            row = grid[ia + da, il + dl]
            out += wa * wl * ((1.0 - ft) * row[it] + ft * row[it1])
    return out


@nb.njit(cache=True)
def acceleration(t, y, out, cd_am, prm, grid, alt_nodes, gax):
    """Acceleration (m/s^2) into ``out[0:3]``.

    ``prm`` = [mu, R, J2, J3, J4, omega, theta_ref, t_ref, drag_on, t_origin, slice_s, k_offset];
    ``gax`` = [lat0_deg, dlat_deg, dlst_h]. Returns the geodetic height (m).
    """
    mu, re = prm[0], prm[1]
    x, yy, z = y[0], y[1], y[2]
    r2 = x * x + yy * yy + z * z
    r = math.sqrt(r2)
    s = z / r  # sin of the geocentric latitude
    mur3 = mu / (r2 * r)
    # gradient of U = mu/r [1 - sum J_n (R/r)^n P_n(s)] (Montenbruck & Gill 2000 eq. 3.33, m = 0):
    # a = -mu/r^3 r_vec + sum mu/r^3 J_n (R/r)^n {[(n+1) P_n + s P_n'] r_vec - r P_n' z_hat}
    p2, dp2 = 0.5 * (3.0 * s * s - 1.0), 3.0 * s
    p3, dp3 = 0.5 * (5.0 * s**3 - 3.0 * s), 0.5 * (15.0 * s * s - 3.0)
    p4, dp4 = 0.125 * (35.0 * s**4 - 30.0 * s * s + 3.0), 0.5 * (35.0 * s**3 - 15.0 * s)
    q = re / r
    c2, c3, c4 = prm[2] * q * q, prm[3] * q**3, prm[4] * q**4
    radial = -1.0 + c2 * (3.0 * p2 + s * dp2) + c3 * (4.0 * p3 + s * dp3) + c4 * (5.0 * p4 + s * dp4)
    polar = -(c2 * dp2 + c3 * dp3 + c4 * dp4) * r
    out[0] = mur3 * radial * x
    out[1] = mur3 * radial * yy
    out[2] = mur3 * (radial * z + polar)
    lat, h = geodetic(x, yy, z)
    if prm[8] != 0.0:
        omega = prm[5]
        vrx = y[3] + omega * yy  # v - omega x r (Vallado 2013 eq. 8-29)
        vry = y[4] - omega * x
        vrz = y[5]
        theta = prm[6] + omega * (t - prm[7])
        lon = math.atan2(yy, x) - theta
        dt = t - prm[9]
        u = dt / prm[10] - 0.5  # slices are evaluated at their centres; linear in time between
        kf = math.floor(u)
        ft = u - kf
        k = int(kf) - int(prm[11])
        if k < 0:
            k, ft = 0, 0.0
        if k >= grid.shape[0] - 1:
            k, ft = grid.shape[0] - 2, 1.0
        ut_h = (dt / 3600.0) % 24.0
        lst = (ut_h + lon * _DEG / 15.0) % 24.0  # NRLMSIS mean local solar time
        lat_deg, alt_km = lat * _DEG, h * 1e-3
        lr0 = grid_log_density(grid[k], alt_nodes, gax[0], gax[1], gax[2], alt_km, lat_deg, lst)
        lr1 = grid_log_density(grid[k + 1], alt_nodes, gax[0], gax[1], gax[2], alt_km, lat_deg, lst)
        rho = math.exp((1.0 - ft) * lr0 + ft * lr1)
        vr = math.sqrt(vrx * vrx + vry * vry + vrz * vrz)
        f = -0.5 * cd_am * rho * vr  # Vallado 2013 eq. 8-29
        out[0] += f * vrx
        out[1] += f * vry
        out[2] += f * vrz
    return h


@nb.njit(cache=True)
def _deriv(t, y, dy, cd_am, prm, grid, alt_nodes, gax):
    dy[0], dy[1], dy[2] = y[3], y[4], y[5]
    return acceleration(t, y, dy[3:], cd_am, prm, grid, alt_nodes, gax)


@nb.njit(cache=True)
def _hermite(y0, f0, y1, f1, hstep, s, out):
    """Cubic Hermite position at fraction s of a step (positions and velocities as slopes)."""
    h00 = 2 * s**3 - 3 * s**2 + 1
    h10 = s**3 - 2 * s**2 + s
    h01 = -2 * s**3 + 3 * s**2
    h11 = s**3 - s**2
    for i in range(3):
        out[i] = h00 * y0[i] + h10 * hstep * f0[i] + h01 * y1[i] + h11 * hstep * f1[i]


@nb.njit(cache=True)
def _rk4_one(t0, t1, y, cd_am, prm, grid, alt_nodes, gax, h, decay_alt):
    """Advance one object from t0 to t1 in place. Returns (status, decay time)."""
    k1 = np.empty(6)
    k2 = np.empty(6)
    k3 = np.empty(6)
    k4 = np.empty(6)
    tmp = np.empty(6)
    y0 = np.empty(6)
    f0 = np.empty(6)
    pos = np.empty(3)
    t = t0
    _deriv(t, y, k1, cd_am, prm, grid, alt_nodes, gax)
    while t < t1:
        step = min(h, t1 - t)
        for i in range(6):
            y0[i] = y[i]
            tmp[i] = y[i] + 0.5 * step * k1[i]
        _deriv(t + 0.5 * step, tmp, k2, cd_am, prm, grid, alt_nodes, gax)
        for i in range(6):
            tmp[i] = y[i] + 0.5 * step * k2[i]
        _deriv(t + 0.5 * step, tmp, k3, cd_am, prm, grid, alt_nodes, gax)
        for i in range(6):
            tmp[i] = y[i] + step * k3[i]
        _deriv(t + step, tmp, k4, cd_am, prm, grid, alt_nodes, gax)
        for i in range(6):
            y[i] = y[i] + step / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])
        for i in range(6):
            f0[i] = k1[i]
        h_alt = _deriv(t + step, y, k1, cd_am, prm, grid, alt_nodes, gax)
        finite = True
        for i in range(6):
            if not math.isfinite(y[i]):
                finite = False
        if not finite:
            return FAILED, math.nan
        if h_alt < decay_alt:
            lo, hi = 0.0, 1.0
            for _ in range(40):  # bisection on the Hermite interpolant
                mid = 0.5 * (lo + hi)
                _hermite(y0, f0, y, k1, step, mid, pos)
                if geodetic(pos[0], pos[1], pos[2])[1] < decay_alt:
                    hi = mid
                else:
                    lo = mid
            return DECAYED, t + hi * step
        t += step
    return OK, math.nan


@nb.njit(cache=True, parallel=True)
def rk4_advance(t0, t1, states, active, cd_am, prm, grid, alt_nodes, gax, h, decay_alt, status, decay_t):
    """Advance the active rows of ``states`` (N, 6) from t0 to t1, in parallel over objects.

    Rows that decay or fail get ``status`` DECAYED/FAILED, ``decay_t`` and ``active`` False.
    The step is ``h`` (the last one shortened to end at t1).
    """
    n = states.shape[0]
    for j in nb.prange(n):
        if not active[j]:
            continue
        y = states[j].copy()
        st, td = _rk4_one(t0, t1, y, cd_am[j], prm, grid, alt_nodes, gax, h, decay_alt)
        if st != OK:
            status[j] = st
            decay_t[j] = td
            active[j] = False
        states[j] = y
