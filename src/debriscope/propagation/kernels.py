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


_FM = {"nsz", "arcp", "contract", "afn", "reassoc"}
"""fastmath flags for the right-hand side: no ``nnan``/``ninf`` (non-finite states must stay
detectable)."""


@nb.njit(cache=True, fastmath=_FM, inline="always")
def geodetic_sc(x: float, y: float, z: float) -> tuple[float, float, float, float]:
    """Bowring's (1976) one-iteration geodetic latitude on WGS-84 without trigonometric calls.

    Returns (sin lat, cos lat, tan-free numerator and denominator of lat, height m): the parametric
    latitude's sine and cosine come from the normalised (z a, p b), so only square roots are
    evaluated; ``atan2(num, den)`` is the latitude (Survey Review 23(181), eqs. 1-3).
    """
    a = WGS84_A_M
    p = math.sqrt(x * x + y * y)
    za, pb = z * a, p * _B_M
    d = 1.0 / math.sqrt(za * za + pb * pb)
    st, ct = za * d, pb * d  # sin, cos of the parametric latitude (Bowring eq. 1)
    num = z + _EP2 * _B_M * st * st * st  # Bowring eq. 2
    den = p - WGS84_E2 * a * ct * ct * ct
    dn = 1.0 / math.sqrt(num * num + den * den)
    sl, cl = num * dn, den * dn
    h = p * cl + z * sl - a * math.sqrt(1.0 - WGS84_E2 * sl * sl)  # Bowring eq. 3
    return num, den, sl, h


@nb.njit(cache=True)
def geodetic(x: float, y: float, z: float) -> tuple[float, float]:
    """Geodetic latitude (rad) and height (m) on WGS-84 (Bowring 1976, one iteration)."""
    num, den, _, h = geodetic_sc(x, y, z)
    return math.atan2(num, den), h


@nb.njit(cache=True)
def grid_log_density(grid, k, alt_nodes, lat0, dlat, dlst, alt_km, lat_deg, lst_h):
    """Trilinear ln(rho) in slice ``k`` of ``grid[k, alt, lat, lst]`` (lst periodic, others clamped)."""
    nalt = alt_nodes.shape[0]
    if alt_km <= alt_nodes[0]:
        ia, fa = 0, 0.0
    elif alt_km >= alt_nodes[nalt - 1]:
        ia, fa = nalt - 2, 1.0
    else:
        ia = np.searchsorted(alt_nodes, alt_km) - 1
        fa = (alt_km - alt_nodes[ia]) / (alt_nodes[ia + 1] - alt_nodes[ia])
    nlat = grid.shape[2]
    u = (lat_deg - lat0) / dlat
    il = min(max(int(math.floor(u)), 0), nlat - 2)
    fl = min(max(u - il, 0.0), 1.0)
    nlst = grid.shape[3]
    w = lst_h / dlst
    wf = math.floor(w)
    ft = w - wf
    it = int(wf) % nlst
    it1 = (it + 1) % nlst
    ga, gl = 1.0 - fa, 1.0 - fl
    gt = 1.0 - ft
    return (ga * gl * (gt * grid[k, ia, il, it] + ft * grid[k, ia, il, it1])
            + ga * fl * (gt * grid[k, ia, il + 1, it] + ft * grid[k, ia, il + 1, it1])
            + fa * gl * (gt * grid[k, ia + 1, il, it] + ft * grid[k, ia + 1, il, it1])
            + fa * fl * (gt * grid[k, ia + 1, il + 1, it] + ft * grid[k, ia + 1, il + 1, it1]))


@nb.njit(cache=True, fastmath=_FM, inline="always")
def grid_log_density2(grid, k, fk, alt_nodes, alt_lut, lat0, dlat, dlst, alt_km, lat_deg, lst_h):
    """ln(rho) interpolated trilinearly in slices ``k`` and ``k + 1`` and linearly (weight ``fk``)
    between them: the same values as two :func:`grid_log_density` calls, with the cell found once.

    ``alt_lut[i]`` is the index of the altitude cell holding ``alt_nodes[0] + i`` km (whole-km
    nodes), which replaces the binary search.
    """
    nalt = alt_nodes.shape[0]
    if alt_km <= alt_nodes[0]:
        ia, fa = 0, 0.0
    elif alt_km >= alt_nodes[nalt - 1]:
        ia, fa = nalt - 2, 1.0
    else:
        ia = alt_lut[int(alt_km - alt_nodes[0])]
        if alt_km >= alt_nodes[ia + 1]:
            ia += 1
        fa = (alt_km - alt_nodes[ia]) / (alt_nodes[ia + 1] - alt_nodes[ia])
    nlat = grid.shape[2]
    u = (lat_deg - lat0) / dlat
    il = min(max(int(math.floor(u)), 0), nlat - 2)
    fl = min(max(u - il, 0.0), 1.0)
    nlst = grid.shape[3]
    w = lst_h / dlst
    wf = math.floor(w)
    ft = w - wf
    it = int(wf) % nlst
    it1 = (it + 1) % nlst
    w00, w01 = (1.0 - fa) * (1.0 - fl), (1.0 - fa) * fl
    w10, w11 = fa * (1.0 - fl), fa * fl
    out = 0.0
    for kk in range(k, k + 2):
        v0 = (w00 * grid[kk, ia, il, it] + w01 * grid[kk, ia, il + 1, it]
              + w10 * grid[kk, ia + 1, il, it] + w11 * grid[kk, ia + 1, il + 1, it])
        v1 = (w00 * grid[kk, ia, il, it1] + w01 * grid[kk, ia, il + 1, it1]
              + w10 * grid[kk, ia + 1, il, it1] + w11 * grid[kk, ia + 1, il + 1, it1])
        out += (1.0 - fk if kk == k else fk) * ((1.0 - ft) * v0 + ft * v1)
    return out


def altitude_lut(alt_nodes):
    """The cell-index table of :func:`grid_log_density2` (one entry per km above the first node)."""
    km = alt_nodes[0] + np.arange(int(alt_nodes[-1] - alt_nodes[0]) + 1)
    return np.clip(np.searchsorted(alt_nodes, km, side="right") - 1, 0, alt_nodes.size - 2).astype(np.int64)


@nb.njit(cache=True, fastmath=_FM, inline="always")
def acceleration(t, y, out, cd_am, prm, grid, alt_nodes, alt_lut, gax):
    """Acceleration (m/s^2) into ``out[0:3]``.

    ``prm`` = [mu, R, J2, J3, J4, omega, theta_ref, t_ref, drag_on, t_origin, slice_s, k_offset];
    ``gax`` = [lat0_deg, dlat_deg, dlst_h]; ``alt_lut`` from :func:`altitude_lut`. Returns the
    geodetic height (m).
    """
    mu, re = prm[0], prm[1]
    x, yy, z = y[0], y[1], y[2]
    r2 = x * x + yy * yy + z * z
    r = math.sqrt(r2)
    s = z / r  # sin of the geocentric latitude
    mur3 = mu / (r2 * r)
    # gradient of U = mu/r [1 - sum J_n (R/r)^n P_n(s)] (Montenbruck & Gill 2000 eq. 3.33, m = 0):
    # a = -mu/r^3 r_vec + sum mu/r^3 J_n (R/r)^n {[(n+1) P_n + s P_n'] r_vec - r P_n' z_hat}
    s2 = s * s
    p2, dp2 = 0.5 * (3.0 * s2 - 1.0), 3.0 * s
    p3, dp3 = 0.5 * (5.0 * s2 - 3.0) * s, 0.5 * (15.0 * s2 - 3.0)
    p4, dp4 = 0.125 * ((35.0 * s2 - 30.0) * s2 + 3.0), 0.5 * (35.0 * s2 - 15.0) * s
    q = re / r
    q2 = q * q
    c2, c3, c4 = prm[2] * q2, prm[3] * q2 * q, prm[4] * q2 * q2
    radial = -1.0 + c2 * (3.0 * p2 + s * dp2) + c3 * (4.0 * p3 + s * dp3) + c4 * (5.0 * p4 + s * dp4)
    polar = -(c2 * dp2 + c3 * dp3 + c4 * dp4) * r
    out[0] = mur3 * radial * x
    out[1] = mur3 * radial * yy
    out[2] = mur3 * (radial * z + polar)
    num, den, _, h = geodetic_sc(x, yy, z)
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
        lst = dt / 3600.0 + lon * _DEG / 15.0  # NRLMSIS mean local solar time, UT + lon/15 (h)
        lst -= 24.0 * math.floor(lst / 24.0)
        lat_deg, alt_km = math.atan2(num, den) * _DEG, h * 1e-3
        rho = math.exp(grid_log_density2(grid, k, ft, alt_nodes, alt_lut, gax[0], gax[1], gax[2], alt_km,
                                         lat_deg, lst))
        vr = math.sqrt(vrx * vrx + vry * vry + vrz * vrz)
        f = -0.5 * cd_am * rho * vr  # Vallado 2013 eq. 8-29
        out[0] += f * vrx
        out[1] += f * vry
        out[2] += f * vrz
    return h


@nb.njit(cache=True, inline="always")
def _deriv(t, y, dy, cd_am, prm, grid, alt_nodes, alt_lut, gax):
    dy[0], dy[1], dy[2] = y[3], y[4], y[5]
    return acceleration(t, y, dy[3:], cd_am, prm, grid, alt_nodes, alt_lut, gax)


@nb.njit(cache=True)
def _hermite(y0, f0, y1, f1, hstep, s, out):
    """Cubic Hermite interpolation of a step at fraction s (state and derivative at both ends)."""
    h00 = 2 * s**3 - 3 * s**2 + 1
    h10 = s**3 - 2 * s**2 + s
    h01 = -2 * s**3 + 3 * s**2
    h11 = s**3 - s**2
    for i in range(out.shape[0]):
        out[i] = h00 * y0[i] + h10 * hstep * f0[i] + h01 * y1[i] + h11 * hstep * f1[i]


@nb.njit(cache=True, inline="always")
def _step(t, step, y, k1, k2, k3, k4, tmp, y0, f0, cd_am, prm, grid, alt_nodes, alt_lut, gax):
    """One RK4 step in place; on entry k1 = f(t, y); on exit y0, f0 hold the start, k1 = f(t+step, y).

    Returns the geodetic height at the end (NaN if the state is not finite).
    """
    for i in range(6):
        y0[i] = y[i]
        f0[i] = k1[i]
        tmp[i] = y[i] + 0.5 * step * k1[i]
    _deriv(t + 0.5 * step, tmp, k2, cd_am, prm, grid, alt_nodes, alt_lut, gax)
    for i in range(6):
        tmp[i] = y[i] + 0.5 * step * k2[i]
    _deriv(t + 0.5 * step, tmp, k3, cd_am, prm, grid, alt_nodes, alt_lut, gax)
    for i in range(6):
        tmp[i] = y[i] + step * k3[i]
    _deriv(t + step, tmp, k4, cd_am, prm, grid, alt_nodes, alt_lut, gax)
    finite = True
    for i in range(6):
        y[i] = y[i] + step / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])
        finite = finite and math.isfinite(y[i])
    if not finite:
        return math.nan
    return _deriv(t + step, y, k1, cd_am, prm, grid, alt_nodes, alt_lut, gax)


@nb.njit(cache=True)
def _decay_fraction(y0, f0, y1, f1, step, decay_alt, pos):
    """Fraction of the step at which the Hermite interpolant crosses ``decay_alt`` (bisection)."""
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        _hermite(y0, f0, y1, f1, step, mid, pos)
        if geodetic(pos[0], pos[1], pos[2])[1] < decay_alt:
            hi = mid
        else:
            lo = mid
    return hi


@nb.njit(cache=True)
def _wrap(x):
    """Angle to (-pi, pi]."""
    return x - 2.0 * math.pi * math.floor((x + math.pi) / (2.0 * math.pi))


@nb.njit(cache=True)
def _orbit_elements(y, mu, el):
    """Osculating (a, e cos w, e sin w, i, raan, u) of a state (u = argument of latitude).

    Vallado (2013) algorithm 9, with the eccentricity vector resolved along the node and its normal
    in the orbit plane (well defined for circular orbits). Not for equatorial orbits.
    """
    rx, ry, rz, vx, vy, vz = y[0], y[1], y[2], y[3], y[4], y[5]
    r = math.sqrt(rx * rx + ry * ry + rz * rz)
    v2 = vx * vx + vy * vy + vz * vz
    hx, hy, hz = ry * vz - rz * vy, rz * vx - rx * vz, rx * vy - ry * vx
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    raan = math.atan2(hx, -hy)
    inc = math.acos(min(max(hz / hn, -1.0), 1.0))
    px, py = math.cos(raan), math.sin(raan)  # node direction
    qx, qy, qz = -math.cos(inc) * py, math.cos(inc) * px, math.sin(inc)  # h_hat x p
    rv = rx * vx + ry * vy + rz * vz
    c1, c2 = (v2 - mu / r) / mu, rv / mu
    ex, ey, ez = c1 * rx - c2 * vx, c1 * ry - c2 * vy, c1 * rz - c2 * vz
    el[0] = 1.0 / (2.0 / r - v2 / mu)
    el[1] = ex * px + ey * py
    el[2] = ex * qx + ey * qy + ez * qz
    el[3] = inc
    el[4] = raan
    el[5] = math.atan2(rx * qx + ry * qy + rz * qz, rx * px + ry * py)


@nb.njit(cache=True)
def _orbit_state(el, mu, y):
    """Inverse of :func:`_orbit_elements` (Vallado 2013 algorithm 10 in the node frame)."""
    a, cw, sw, inc, raan, u = el[0], el[1], el[2], el[3], el[4], el[5]
    e2 = cw * cw + sw * sw
    p = a * (1.0 - e2)
    cu, su = math.cos(u), math.sin(u)
    ecosnu = cw * cu + sw * su  # e cos(u - w)
    esinnu = cw * su - sw * cu  # e sin(u - w)
    r = p / (1.0 + ecosnu)
    sq = math.sqrt(mu / p)
    vr, vt = sq * esinnu, sq * (1.0 + ecosnu)
    px, py = math.cos(raan), math.sin(raan)
    qx, qy, qz = -math.cos(inc) * py, math.cos(inc) * px, math.sin(inc)
    rhx, rhy, rhz = cu * px + su * qx, cu * py + su * qy, su * qz  # radial unit vector
    thx, thy, thz = -su * px + cu * qx, -su * py + cu * qy, cu * qz  # along-track unit vector
    y[0], y[1], y[2] = r * rhx, r * rhy, r * rhz
    y[3], y[4], y[5] = vr * rhx + vt * thx, vr * rhy + vt * thy, vr * rhz + vt * thz


@nb.njit(cache=True)
def _rk4_one(t0, t1, y, cd_am, prm, grid, alt_nodes, alt_lut, gax, h, decay_alt, max_jump, jump_hp, jump_da):
    """Advance one object from t0 to t1 in place. Returns (status, decay time).

    Multi-revolution jumps (envelope following, Petzold 1981, SIAM J. Sci. Stat. Comput. 2(4)):
    while the osculating perigee height exceeds ``jump_hp`` (m) one revolution is integrated to
    the same argument of latitude, the change of (a, e cos w, e sin w, i, raan) over it is
    extrapolated linearly over up to ``max_jump`` further revolutions (at most ``jump_da`` m of
    semi-major-axis decay), and the time advanced by as many revolution times. Sampling at a fixed
    argument of latitude makes the short-periodic J2 terms cancel in the differences. Below
    ``jump_hp`` (the last revolutions) every step is integrated. ``max_jump = 0``: plain RK4.
    """
    mu, req = prm[0], prm[1]
    k1 = np.empty(6)
    k2 = np.empty(6)
    k3 = np.empty(6)
    k4 = np.empty(6)
    tmp = np.empty(6)
    y0 = np.empty(6)
    f0 = np.empty(6)
    pos = np.empty(6)
    el_a = np.empty(6)
    el_b = np.empty(6)
    t = t0
    _deriv(t, y, k1, cd_am, prm, grid, alt_nodes, alt_lut, gax)
    jumping = max_jump > 0
    while t < t1:
        if jumping:
            _orbit_elements(y, mu, el_a)
            ecc = math.sqrt(el_a[1] ** 2 + el_a[2] ** 2)
            period = 2.0 * math.pi * math.sqrt(el_a[0] ** 3 / mu) if el_a[0] > 0 else 0.0
            if ecc >= 1.0 or el_a[0] * (1.0 - ecc) - req <= jump_hp:
                jumping = False  # the last revolutions (until the next chunk): every step integrated
            elif t1 - t > 3.0 * period:
                ta, acc, u_prev = t, 0.0, el_a[5]
                while True:  # one revolution, to the same argument of latitude
                    h_alt = _step(t, h, y, k1, k2, k3, k4, tmp, y0, f0, cd_am, prm, grid, alt_nodes, alt_lut, gax)
                    if not math.isfinite(h_alt):
                        return FAILED, math.nan
                    if h_alt < decay_alt:
                        return DECAYED, t + h * _decay_fraction(y0, f0, y, k1, h, decay_alt, pos)
                    _orbit_elements(y, mu, el_b)
                    d = _wrap(el_b[5] - u_prev)
                    if acc + d < 2.0 * math.pi:
                        acc += d
                        u_prev = el_b[5]
                        t += h
                        continue
                    lo, hi = 0.0, 1.0
                    for _ in range(50):
                        mid = 0.5 * (lo + hi)
                        _hermite(y0, f0, y, k1, h, mid, pos)
                        _orbit_elements(pos, mu, el_b)
                        if acc + _wrap(el_b[5] - u_prev) >= 2.0 * math.pi:
                            hi = mid
                        else:
                            lo = mid
                    _hermite(y0, f0, y, k1, h, hi, pos)
                    for i in range(6):
                        y[i] = pos[i]
                    t += hi * h
                    break
                _deriv(t, y, k1, cd_am, prm, grid, alt_nodes, alt_lut, gax)
                _orbit_elements(y, mu, el_b)
                dt_rev = t - ta
                da = el_a[0] - el_b[0]
                k = min(max_jump, int((t1 - t) / dt_rev) - 1)
                if da > 0.0:
                    k = min(k, int(jump_da / da))
                if k >= 1:
                    for i in range(5):
                        diff = el_b[i] - el_a[i]
                        if i == 4:
                            diff = _wrap(diff)
                        el_b[i] += k * diff
                    _orbit_state(el_b, mu, y)
                    t += k * dt_rev
                    _deriv(t, y, k1, cd_am, prm, grid, alt_nodes, alt_lut, gax)
                continue
        step = min(h, t1 - t)
        h_alt = _step(t, step, y, k1, k2, k3, k4, tmp, y0, f0, cd_am, prm, grid, alt_nodes, alt_lut, gax)
        if not math.isfinite(h_alt):
            return FAILED, math.nan
        if h_alt < decay_alt:
            return DECAYED, t + step * _decay_fraction(y0, f0, y, k1, step, decay_alt, pos)
        t += step
    return OK, math.nan


@nb.njit(cache=True, parallel=True)
def rk4_advance(t0, t1, states, active, cd_am, prm, grid, alt_nodes, alt_lut, gax, h, decay_alt, status, decay_t,
                max_jump=0, jump_hp=0.0, jump_da=0.0):
    """Advance the active rows of ``states`` (N, 6) from t0 to t1, in parallel over objects.

    Rows that decay or fail get ``status`` DECAYED/FAILED, ``decay_t`` and ``active`` False.
    The step is ``h`` (the last one shortened to end at t1); multi-revolution jumps as in
    :func:`_rk4_one` when ``max_jump`` > 0.
    """
    n = states.shape[0]
    for j in nb.prange(n):
        if not active[j]:
            continue
        y = states[j].copy()
        st, td = _rk4_one(t0, t1, y, cd_am[j], prm, grid, alt_nodes, alt_lut, gax, h, decay_alt, max_jump,
                          jump_hp, jump_da)
        if st != OK:
            status[j] = st
            decay_t[j] = td
            active[j] = False
        states[j] = y
