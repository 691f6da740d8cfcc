"""Compiled (Numba) kernels of the fast mode: zonal gravity, drag in a gridded NRLMSIS, the
Runge-Kutta-Nystrom step with decay events, and the orbit-averaged decay phase.

Every kernel works on one object at a time and returns a status code (``OK``, ``DECAYED``,
``FAILED``), never raises; :func:`numerical_advance` and :func:`averaged_advance` drive them over
the objects, on as many threads as call them (they release the GIL; each thread claims rows from a
shared counter). SI units: m, m/s, m/s^2, rad, and TT seconds since J2000; the density
grid's axes are km, deg and h (its names say so). The vectors passed in carry their meaning by
named slots (``P_*``, ``GAX_*``, ``AUX_*``, ``EL_*``, below), never by bare indices.

The sections, each depending only on those above it: slots of the vectors; geodesy; density
look-up (NumPy-callable form); raw-address intrinsics; density look-up in the kernels; forces and
the step; osculating elements and whole revolutions; the numerical driver; the orbit-averaged
decay phase (its method in that section's head). Each function names its model and source; the
measurements behind the method and the history of its tuning are in docs/propagation.md.

Compile cost: a function with a single caller among the kernels is inlined into it
(``inline="always"``), so that it is compiled only there, not also on its own; every other
function is an ordinary compiled call (Numba-IR inlining copies and re-types the callee at every
call site). Each kernel compiles for one signature: callers pass the same dtypes and layouts.

Why one file: Numba's on-disk cache (``cache=True``) is keyed on the timestamp of the file that
defines a function, so a cached kernel that calls or inlines a jitted function of another file
keeps running the old code when only that other file changes (numba issue 1833, open; checked
with numba 0.68.1). Split into a package, an edit of one part could leave stale compiled code in
the others.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np
from numba.core import types
from numba.core.errors import TypingError
from numba.extending import intrinsic

from ..constants import WGS84_A_M, WGS84_E2

OK, DECAYED, FAILED = 0, 1, 2  # mirror of debriscope.propagation.Status (kernels use ints)
_B_M = WGS84_A_M * math.sqrt(1.0 - WGS84_E2)
_EP2 = WGS84_E2 / (1.0 - WGS84_E2)
_DEG = 180.0 / math.pi


_FM = False
"""Numba ``fastmath`` of every kernel: off (IEEE semantics), so that a run gives the same bytes
whether the kernels were compiled in the process or loaded from Numba's on-disk cache: with
value-changing flags LLVM may round a callee differently inside each caller it is optimised with
(docs/propagation.md, issue 20). Every function states ``fastmath`` and ``error_model`` itself;
one that left them unset would inherit them from whichever caller compiled it first."""


# --- Slots of the vectors passed to the kernels --------------------------------------------------
# Module-level ints: Numba freezes globals at compile time, so ``prm[P_DRAG]`` costs what
# ``prm[P_DRAG]`` costs.

P_MU = 0
"""``prm`` (:meth:`ForceModel.kernel_params`) and the field tuple ``P`` (:func:`field`): mu, m^3/s^2."""
P_RE = 1
"""Equatorial radius of the gravity model, m."""
P_J2, P_J3, P_J4 = 2, 3, 4
"""Zonal harmonics (0 for those not used)."""
P_OMEGA = 5
"""Earth rotation rate, rad/s."""
P_THETA_REF = 6
"""Earth rotation angle at ``P_T_REF``, rad."""
P_T_REF = 7
"""Epoch of ``P_THETA_REF``, TT s."""
P_DRAG = 8
"""1.0 drag on, 0.0 off."""
P_T_ORIGIN = 9
"""Start of the density grid's first slice (slice 0), TT s."""
P_SLICE_S = 10
"""Length of a density slice, s; the field tuple ``P`` holds its reciprocal (1/s) in this slot."""
P_K_OFFSET = 11
"""Index of the grid's first slice passed in (slices ``k0..``: ``grid[0]`` is slice ``k0``)."""
PRM_SIZE = 12
"""Length of ``prm``."""
P_LAT0, P_INV_DLAT, P_INV_DLST = 12, 13, 14
"""Field tuple ``P`` only (from ``gax``): first latitude node (deg), 1/latitude spacing (1/deg),
1/local-time spacing (1/h)."""

GAX_LAT0, GAX_DLAT, GAX_DLST = 0, 1, 2
"""``gax``, the density grid's latitude and local-time axes: first latitude node (deg), latitude
spacing (deg), local-time spacing (h)."""

EL_A, EL_EX, EL_EY, EL_I, EL_RAAN, EL_U = 0, 1, 2, 3, 4, 5
"""Element vectors (:func:`_orbit_elements`): a (m), e cos w, e sin w, i (rad), raan (rad),
argument of latitude u (rad). Mean elements and their rates hold the first ``N_MEAN``."""
N_MEAN = 5

AUX_MODE = 0
"""``aux``, the per-object state of the averaged decay carried across chunks: the mode
(``MODE_*``)."""
AUX_T = 1
"""Time the object has reached, TT s."""
AUX_MEAN = 2
"""Mean elements, ``N_MEAN`` slots from here (``EL_*`` order)."""
AUX_DELTA = AUX_MEAN + N_MEAN
"""Osculating - mean elements at ``AUX_U0``, ``N_MEAN`` slots from here."""
AUX_U0 = AUX_DELTA + N_MEAN
"""Argument of latitude at which every averaged step starts and ends, rad."""
AUX_C_A, AUX_C_E = 13, 14
"""Calibration factors of the averaged drag's rates of a and of the e-vector (:func:`_calibrate`)."""
AUX_T_CAL = 15
"""Time of the last calibration, TT s."""
AUX_STEP_FACTOR = 16
"""Factor on the step of the numerical phases (:func:`_step_factor`)."""
AUX_DA_REV = 17
"""Fall of a per revolution at the last averaged step, m."""
AUX_SIZE = 18
"""Length of ``aux``."""

MODE_NUMERICAL, MODE_AVERAGED, MODE_FINAL = 0, 1, 2
"""Modes of the averaged decay (``aux[AUX_MODE]``): not started, averaged phase, final numerical
revolutions."""


# --- Geodesy -------------------------------------------------------------------------------------

@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def geodetic_sc(x: float, y: float, z: float) -> tuple[float, float, float, float]:
    """Bowring's (1976) one-iteration geodetic latitude on WGS-84 without trigonometric calls, at
    (x, y, z) m (Earth-fixed or TEME: the latitude and height do not depend on the longitude).

    Returns (numerator and denominator of the latitude, its sine, the height m): the parametric
    latitude's sine and cosine come from the normalised (z a, p b), so only square roots are
    evaluated; ``atan2(num, den)`` is the latitude (Survey Review 23(181), eqs. 1-3; sub-millimetre
    below 1000 km).
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
    height_m = p * cl + z * sl - a * math.sqrt(1.0 - WGS84_E2 * sl * sl)  # Bowring eq. 3
    return num, den, sl, height_m


_ATAN_C = (0.9999994367748251, -0.33330106352612, 0.19948504834617292, -0.13915779661182714,
           0.09656194575621037, -0.05606228148501943, 0.021945958443544078, -0.00407312073506054)
"""atan(q) ~ q P(q^2) on [0, 1]: least-squares fit on Chebyshev nodes, max error 4.1e-8 rad."""


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def atan2_fast(y: float, x: float) -> float:
    """atan2 to 4.1e-8 rad (octant reduction and a degree-15 odd polynomial) for the density
    look-up: 2e-6 deg of latitude, 6e-7 h of local time, against the grid's 7.5 deg and 1 h.
    About 7 ns against libm's 20-55 ns here."""
    ax, ay = abs(x), abs(y)
    mx = max(ax, ay)
    if mx == 0.0:
        return 0.0
    q = min(ax, ay) / mx
    s = q * q
    c = _ATAN_C
    r = q * (c[0] + s * (c[1] + s * (c[2] + s * (c[3] + s * (c[4] + s * (c[5] + s * (c[6] + s * c[7])))))))
    if ay > ax:
        r = 0.5 * math.pi - r
    if x < 0.0:
        r = math.pi - r
    return -r if y < 0.0 else r


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def geodetic(x: float, y: float, z: float) -> tuple[float, float]:
    """Geodetic latitude (rad) and height (m) on WGS-84 at (x, y, z) m (Bowring 1976, one iteration)."""
    num, den, _, height_m = geodetic_sc(x, y, z)
    return math.atan2(num, den), height_m


# --- Density look-up (NumPy-callable form) -------------------------------------------------------


@nb.njit(cache=True, fastmath=False, error_model="numpy")
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


def altitude_lut(alt_nodes):
    """The cell-index table of :func:`density_at` (one entry per km above the first node)."""
    km = alt_nodes[0] + np.arange(int(alt_nodes[-1] - alt_nodes[0]) + 1)
    return np.clip(np.searchsorted(alt_nodes, km, side="right") - 1, 0, alt_nodes.size - 2).astype(np.int64)


# --- Raw-address intrinsics ----------------------------------------------------------------------
# The hot loops read the density grid through data addresses instead of arrays: every array bound
# inside inlined code costs Numba a reference-count increment and decrement (atomic calls that
# also stop LLVM from hoisting loads out of the loop). The drivers claim rows through an atomic
# counter at such an address.


def _address_type(arr, dtype):
    """Signature of an address intrinsic: C-contiguous ``dtype`` arrays only (the raw loads of
    :func:`density_at` assume that layout); anything else is a typing error."""
    if not (isinstance(arr, types.Array) and arr.layout == "C" and arr.dtype == dtype):
        raise TypingError(f"a C-contiguous {dtype} array is required, got {arr}")
    return types.intp(arr)


def _address_codegen(context, builder, signature, args):
    data = context.make_array(signature.args[0])(context, builder, args[0]).data
    return builder.ptrtoint(data, context.get_value_type(types.intp))


def _load_codegen(context, builder, signature, args):
    ptr = builder.inttoptr(args[0], context.get_value_type(signature.return_type).as_pointer())
    return builder.load(builder.gep(ptr, [args[1]]))


@intrinsic
def _address_f8(typingctx, arr):
    """Data address (intp) of a C-contiguous float64 array."""
    return _address_type(arr, types.float64), _address_codegen


@intrinsic
def _address_i8(typingctx, arr):
    """Data address (intp) of a C-contiguous int64 array."""
    return _address_type(arr, types.int64), _address_codegen


@intrinsic
def _load_f8(typingctx, addr, index):
    """Element ``index`` of the float64 array at data address ``addr``."""
    return types.float64(types.intp, types.intp), _load_codegen


@intrinsic
def _load_i8(typingctx, addr, index):
    """Element ``index`` of the int64 array at data address ``addr``."""
    return types.int64(types.intp, types.intp), _load_codegen


def _fetch_add_codegen(context, builder, signature, args):
    ptr = builder.inttoptr(args[0], context.get_value_type(types.int64).as_pointer())
    return builder.atomic_rmw("add", ptr, args[1], "monotonic")


@intrinsic
def _claim(typingctx, addr, count):
    """Atomically add ``count`` to the int64 at data address ``addr``; returns its value before: the
    first of the ``count`` rows the calling thread has claimed (the drivers' shared row counter)."""
    return types.int64(types.intp, types.int64), _fetch_add_codegen


# --- Density look-up in the kernels --------------------------------------------------------------


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def field(prm, grid, alt_nodes, alt_lut, gax):
    """The force field of the kernels as two tuples (P, F), which the right-hand side takes instead
    of arrays (raw-address intrinsics above).

    P: the slots ``P_*`` of ``prm`` (:meth:`ForceModel.kernel_params`), ``P_SLICE_S`` as its
    reciprocal, then ``P_LAT0``, ``P_INV_DLAT``, ``P_INV_DLST`` from ``gax`` (``GAX_*``; spacings
    as reciprocals: multiplications in the look-up). F: (address, slices, altitudes, latitudes,
    local times) of ``grid[k, alt, lat, lst]`` (ln rho), then the addresses of ``alt_nodes`` (km)
    and ``alt_lut`` (:func:`altitude_lut`). The arrays must outlive the tuples: build them from the
    arguments of the function that uses them.
    """
    P = (prm[P_MU], prm[P_RE], prm[P_J2], prm[P_J3], prm[P_J4], prm[P_OMEGA], prm[P_THETA_REF], prm[P_T_REF],
         prm[P_DRAG], prm[P_T_ORIGIN], 1.0 / prm[P_SLICE_S], prm[P_K_OFFSET],
         gax[GAX_LAT0], 1.0 / gax[GAX_DLAT], 1.0 / gax[GAX_DLST])
    F = (_address_f8(grid), grid.shape[0], grid.shape[1], grid.shape[2], grid.shape[3], _address_f8(alt_nodes),
         _address_i8(alt_lut))
    return P, F


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def density_at(t, x, y, num, den, height_m, P, F):
    """Gridded density (kg/m^3) at time ``t`` (TT s) and TEME (x, y, .) m with geodetic latitude
    ``atan2(num, den)`` and height ``height_m``; the field (P, F) from :func:`field`
    (:func:`log_density_at`)."""
    return math.exp(log_density_at(t, x, y, num, den, height_m, P, F)[0])


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def log_density_at(t, x, y, num, den, height_m, P, F):
    """Gridded (ln rho, d ln rho / dh per m) at time ``t`` (TT s) and TEME (x, y, .) m with geodetic
    latitude ``atan2(num, den)`` and height ``height_m``; the field (P, F) from :func:`field`. The
    slope is that of the interpolant along the altitude cell (0 where the height is clamped to the
    grid's ends).

    The Earth's angle is ``theta_ref + omega (t - t_ref)``; NRLMSIS's local solar time is the mean
    one, ``UT + lon/15`` h (Picone et al. 2002). ln(rho) is interpolated trilinearly in altitude,
    latitude and local time (periodic; the others clamped) in the two slices around ``t`` and
    linearly in time between their centres: the values of two :func:`grid_log_density` calls.
    The altitude cell comes from ``alt_lut`` (whole-km nodes) instead of a binary search.
    """
    gaddr, nk, nalt, nlat, nlst, aaddr, laddr = F
    theta = P[P_THETA_REF] + P[P_OMEGA] * (t - P[P_T_REF])
    lon = atan2_fast(y, x) - theta
    dt = t - P[P_T_ORIGIN]
    u = dt * P[P_SLICE_S] - 0.5  # slices are evaluated at their centres; linear in time between
    kf = math.floor(u)
    fk = u - kf
    k = int(kf) - int(P[P_K_OFFSET])
    if k < 0:
        k, fk = 0, 0.0
    if k >= nk - 1:
        k, fk = nk - 2, 1.0
    lst = dt * (1.0 / 3600.0) + lon * (_DEG / 15.0)  # NRLMSIS mean local solar time, UT + lon/15 (h)
    lst -= 24.0 * math.floor(lst * (1.0 / 24.0))
    lat_deg, alt_km = atan2_fast(num, den) * _DEG, height_m * 1e-3
    alt0 = _load_f8(aaddr, 0)
    if not alt_km > alt0:  # also NaN: indices must stay in bounds (the caller flags the state)
        ia, fa, inv_da = 0, 0.0, 0.0
    elif alt_km >= _load_f8(aaddr, nalt - 1):
        ia, fa, inv_da = nalt - 2, 1.0, 0.0
    else:
        ia = _load_i8(laddr, int(alt_km - alt0))
        if alt_km >= _load_f8(aaddr, ia + 1):
            ia += 1
        lo = _load_f8(aaddr, ia)
        inv_da = 1.0 / (_load_f8(aaddr, ia + 1) - lo)
        fa = (alt_km - lo) * inv_da
    v = (lat_deg - P[P_LAT0]) * P[P_INV_DLAT]
    if not (v >= 0.0 and v < nlat):
        v = 0.0 if not v >= 0.0 else nlat - 1.0
    il = min(int(v), nlat - 2)  # v >= 0: truncation is the floor
    fl = min(v - il, 1.0)
    w = lst * P[P_INV_DLST]
    if not (w >= 0.0 and w < nlst):
        w = 0.0
    it = int(w)  # 0 <= w < nlst: truncation is the floor
    ft = w - it
    it1 = it + 1 if it + 1 < nlst else 0  # local time is periodic
    gl = 1.0 - fl
    lo_alt = hi_alt = 0.0  # ln rho at the cell's lower and upper altitude, other axes interpolated
    for kk in range(k, k + 2):
        c00 = ((kk * nalt + ia) * nlat + il) * nlst  # flat C-order offsets of the cell's corners
        c01 = c00 + nlst
        c10 = c00 + nlat * nlst
        c11 = c10 + nlst
        wk = 1.0 - fk if kk == k else fk
        lo_alt += wk * ((1.0 - ft) * (gl * _load_f8(gaddr, c00 + it) + fl * _load_f8(gaddr, c01 + it))
                        + ft * (gl * _load_f8(gaddr, c00 + it1) + fl * _load_f8(gaddr, c01 + it1)))
        hi_alt += wk * ((1.0 - ft) * (gl * _load_f8(gaddr, c10 + it) + fl * _load_f8(gaddr, c11 + it))
                        + ft * (gl * _load_f8(gaddr, c10 + it1) + fl * _load_f8(gaddr, c11 + it1)))
    return lo_alt + fa * (hi_alt - lo_alt), (hi_alt - lo_alt) * inv_da * 1e-3


# --- Forces and the step -------------------------------------------------------------------------


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def zonal_gravity(x, y, z, P):
    """Zonal gravity (x, y, z m/s^2) and the radius (m) at (x, y, z) m; J2-J4 and mu, R from P
    (:func:`field`)."""
    mu, re = P[P_MU], P[P_RE]
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    ir = 1.0 / r
    s = z * ir  # sin of the geocentric latitude
    mur3 = mu * ir * ir * ir
    # gradient of U = mu/r [1 - sum J_n (R/r)^n P_n(s)] (Montenbruck & Gill 2000 eq. 3.33, m = 0):
    # a = -mu/r^3 r_vec + sum mu/r^3 J_n (R/r)^n {[(n+1) P_n + s P_n'] r_vec - r P_n' z_hat}
    s2 = s * s
    p2, dp2 = 0.5 * (3.0 * s2 - 1.0), 3.0 * s
    p3, dp3 = 0.5 * (5.0 * s2 - 3.0) * s, 0.5 * (15.0 * s2 - 3.0)
    p4, dp4 = 0.125 * ((35.0 * s2 - 30.0) * s2 + 3.0), 0.5 * (35.0 * s2 - 15.0) * s
    q = re * ir
    q2 = q * q
    c2, c3, c4 = P[P_J2] * q2, P[P_J3] * q2 * q, P[P_J4] * q2 * q2
    radial = -1.0 + c2 * (3.0 * p2 + s * dp2) + c3 * (4.0 * p3 + s * dp3) + c4 * (5.0 * p4 + s * dp4)
    polar = -(c2 * dp2 + c3 * dp3 + c4 * dp4) * r
    return mur3 * radial * x, mur3 * radial * y, mur3 * (radial * z + polar), r


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def gravity_density(t, x, y, z, P, F):
    """The position-dependent part of the acceleration at time ``t`` (TT s) and (x, y, z) m:
    (zonal gravity x, y, z m/s^2, density kg/m^3 (0 without drag), geodetic height m); the field
    (P, F) from :func:`field`."""
    gx, gy, gz, _ = zonal_gravity(x, y, z, P)
    num, den, _, height_m = geodetic_sc(x, y, z)
    rho = 0.0
    if P[P_DRAG] != 0.0:
        rho = density_at(t, x, y, num, den, height_m, P, F)
    return gx, gy, gz, rho, height_m


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def drag_acceleration(x, y, vx, vy, vz, rho, cd_am, omega):
    """Drag -1/2 Cd (A/m) rho |v_rel| v_rel (m/s^2), v_rel = v - omega x r (Vallado 2013 eq. 8-29,
    co-rotating atmosphere), at position (x, y, .) m and velocity (vx, vy, vz) m/s."""
    vrx = vx + omega * y
    vry = vy - omega * x
    f = -0.5 * cd_am * rho * math.sqrt(vrx * vrx + vry * vry + vz * vz)
    return f * vrx, f * vry, f * vz


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def accel_xyz(t, x, y, z, vx, vy, vz, cd_am, P, F):
    """Acceleration (x, y, z m/s^2) and geodetic height (m) of a state: :func:`gravity_density`
    plus :func:`drag_acceleration`."""
    gx, gy, gz, rho, height_m = gravity_density(t, x, y, z, P, F)
    if P[P_DRAG] != 0.0:
        dx, dy, dz = drag_acceleration(x, y, vx, vy, vz, rho, cd_am, P[P_OMEGA])
        gx, gy, gz = gx + dx, gy + dy, gz + dz
    return gx, gy, gz, height_m


@nb.njit(cache=True, fastmath=_FM, error_model="numpy", inline="always")
def acceleration(t, state, out, cd_am, prm, grid, alt_nodes, alt_lut, gax):
    """Acceleration (m/s^2) at time ``t`` (TT s) of the TEME ``state`` (m, m/s) into ``out[0:3]``
    (:func:`accel_xyz`); ``cd_am`` = Cd A/m (m^2/kg); the field's arrays as :func:`field`. Returns
    the geodetic height (m)."""
    P, F = field(prm, grid, alt_nodes, alt_lut, gax)
    out[0], out[1], out[2], height_m = accel_xyz(t, state[0], state[1], state[2], state[3], state[4], state[5],
                                                 cd_am, P, F)
    return height_m


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def _deriv(t, state, deriv, cd_am, prm, grid, alt_nodes, alt_lut, gax):
    """Time derivative of ``state`` into ``deriv`` (velocity, :func:`acceleration`); returns the
    geodetic height (m)."""
    deriv[0], deriv[1], deriv[2] = state[3], state[4], state[5]
    return acceleration(t, state, deriv[3:], cd_am, prm, grid, alt_nodes, alt_lut, gax)


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def _hermite(state0, deriv0, state1, deriv1, step_s, frac, out):
    """Cubic Hermite interpolation of a step of ``step_s`` at fraction ``frac`` of it (state and
    derivative at both ends) into ``out``."""
    h00 = 2 * frac**3 - 3 * frac**2 + 1
    h10 = frac**3 - 2 * frac**2 + frac
    h01 = -2 * frac**3 + 3 * frac**2
    h11 = frac**3 - frac**2
    for i in range(out.shape[0]):
        out[i] = h00 * state0[i] + h10 * step_s * deriv0[i] + h01 * state1[i] + h11 * step_s * deriv1[i]


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _load(state, k1):
    """The stepping state (x, y, z, vx, vy, vz, ax, ay, az) from a ``state`` and its derivative."""
    return state[0], state[1], state[2], state[3], state[4], state[5], k1[3], k1[4], k1[5]


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _store(s, state, k1):
    """Inverse of :func:`_load`: the state into ``state``, its derivative into ``k1``."""
    state[0], state[1], state[2], state[3], state[4], state[5] = s[0], s[1], s[2], s[3], s[4], s[5]
    k1[0], k1[1], k1[2], k1[3], k1[4], k1[5] = s[3], s[4], s[5], s[6], s[7], s[8]



@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def _step(t, step, s, cd_am, P, F):
    """One Runge-Kutta-Nystrom step of the stepping state ``s`` (:func:`_load`: position,
    velocity and the acceleration there). Returns (the state at ``t + step``, its geodetic height;
    NaN if the state is not finite).

    The fourth-order Nystrom (1925) method for r'' = f(t, r, r') (Kreyszig, Advanced Engineering
    Mathematics, 10th ed., sec. 21.3; Hairer, Norsett & Wanner 1993, sec. II.14): the same four
    evaluations as classical RK4 and the same final combination, but the stage positions carry
    the h^2 acceleration term (r + h/2 v + h^2/8 a, h the step), so they stay within metres of the path
    instead of kilometres. Drag, exponential in height with a ~30 km scale, is evaluated at those
    positions: at 60 s this cuts the error of the drag decay over a perigee pass 50-fold. Stages 2
    and 3 share their position, so the third reuses the second's gravity and density. Stage 4
    takes its gravity at its own position r_4 = r + h v + h^2/2 a_3 and its density from the
    look-up at the step's end r_1 = r + h v + h^2/6 (a_1 + a_2 + a_3), which the Nystrom position
    update gives before stage 4 (it does not use a_4) and which the end's acceleration needs
    anyway: ln rho(r_1) + (|r_4| - |r_1|) d ln rho/dh, the slope that of the grid's altitude cell.
    Two density look-ups per step instead of three. The two points differ by h^3/12 da/dt
    (~1.5 km at 120 s), mostly along the track; the radial part (tens of metres on eccentric
    orbits, ~0.3 % of density at a 20 km scale height) is what the slope carries, and the
    along-track change of the height over the ellipsoid (metres) is neglected (docs/propagation.md).
    The state stays in registers (scalars, no arrays).
    """
    x, y, z, vx, vy, vz, a1x, a1y, a1z = s
    half = 0.5 * step
    c2 = 0.125 * step * step
    px, py, pz = x + half * vx + c2 * a1x, y + half * vy + c2 * a1y, z + half * vz + c2 * a1z
    gx, gy, gz, rho, _ = gravity_density(t + half, px, py, pz, P, F)
    a2x, a2y, a2z = gx, gy, gz
    a3x, a3y, a3z = gx, gy, gz
    if P[P_DRAG] != 0.0:
        omega = P[P_OMEGA]
        dx, dy, dz = drag_acceleration(px, py, vx + half * a1x, vy + half * a1y, vz + half * a1z, rho, cd_am, omega)
        a2x, a2y, a2z = gx + dx, gy + dy, gz + dz
        dx, dy, dz = drag_acceleration(px, py, vx + half * a2x, vy + half * a2y, vz + half * a2z, rho, cd_am, omega)
        a3x, a3y, a3z = gx + dx, gy + dy, gz + dz
    c6, step6 = step * step / 6.0, step / 6.0
    x1 = x + step * vx + c6 * (a1x + a2x + a3x)  # the position update does not use stage 4
    y1 = y + step * vy + c6 * (a1y + a2y + a3y)
    z1 = z + step * vz + c6 * (a1z + a2z + a3z)
    gx1, gy1, gz1, r1 = zonal_gravity(x1, y1, z1, P)
    num, den, _, height_m = geodetic_sc(x1, y1, z1)
    c4 = 0.5 * step * step
    p4x, p4y, p4z = x + step * vx + c4 * a3x, y + step * vy + c4 * a3y, z + step * vz + c4 * a3z
    a4x, a4y, a4z, r4 = zonal_gravity(p4x, p4y, p4z, P)
    rho1 = 0.0
    if P[P_DRAG] != 0.0:  # stage 4's drag from the density at the step's end (docstring)
        lnrho1, slope = log_density_at(t + step, x1, y1, num, den, height_m, P, F)
        rho1 = math.exp(lnrho1)
        rho4 = math.exp(lnrho1 + slope * (r4 - r1))
        dx, dy, dz = drag_acceleration(p4x, p4y, vx + step * a3x, vy + step * a3y, vz + step * a3z, rho4, cd_am,
                                       P[P_OMEGA])
        a4x, a4y, a4z = a4x + dx, a4y + dy, a4z + dz
    vx1 = vx + step6 * (a1x + 2.0 * a2x + 2.0 * a3x + a4x)
    vy1 = vy + step6 * (a1y + 2.0 * a2y + 2.0 * a3y + a4y)
    vz1 = vz + step6 * (a1z + 2.0 * a2z + 2.0 * a3z + a4z)
    if not (math.isfinite(x1) and math.isfinite(y1) and math.isfinite(z1) and math.isfinite(vx1)
            and math.isfinite(vy1) and math.isfinite(vz1)):
        return (x1, y1, z1, vx1, vy1, vz1, 0.0, 0.0, 0.0), math.nan
    if P[P_DRAG] != 0.0:
        dx, dy, dz = drag_acceleration(x1, y1, vx1, vy1, vz1, rho1, cd_am, P[P_OMEGA])
        gx1, gy1, gz1 = gx1 + dx, gy1 + dy, gz1 + dz
    return (x1, y1, z1, vx1, vy1, vz1, gx1, gy1, gz1), height_m


PLUNGE_ALT_M = 150e3
PLUNGE_STEP_FRACTION = 0.2
PLUNGE_DROP_M = 10e3
PLUNGE_MIN_STEP_S = 0.5
"""Where a step may end below ``PLUNGE_ALT_M`` it is at most ``PLUNGE_STEP_FRACTION`` of the drag
time scale v_rel / |a_drag| and at most the time to descend ``PLUNGE_DROP_M``, and at least
``PLUNGE_MIN_STEP_S`` (:func:`plunge_step`)."""


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def plunge_xyz(t, x, y, z, vx, vy, vz, height_m, max_step_s, cd_am, P, F):
    """Largest step (s), at most ``max_step_s``, for an object at time ``t`` (TT s), TEME (x, y, z)
    m, velocity (vx, vy, vz) m/s and geodetic height ``height_m`` entering the dense atmosphere;
    ``max_step_s`` itself when no step of that length can end below ``PLUNGE_ALT_M``.

    Quadratic drag makes the velocity equations stiff at the end: d(a_drag)/dv ~ 2 |a_drag| / v,
    and for the velocity the Nystrom step is classical RK4, stable only for step |d(a_drag)/dv| < 2.79
    (Hairer & Wanner 1996, sec. IV.2, stability interval of RK4); at 90 km an A/m of 1 m^2/kg
    gives v/|a| ~ 30 s.
    The step is therefore at most ``PLUNGE_STEP_FRACTION`` of v_rel / |a_drag| = 2 / (Cd A/m rho
    v_rel) here, and at most the time to descend ``PLUNGE_DROP_M`` at the present radial speed, so
    that a steep descent (a fragment thrown downwards) does not put the step's later stages tens
    of kilometres deeper, where that time scale is far shorter.
    """
    if P[P_DRAG] == 0.0 or cd_am <= 0.0:
        return max_step_s
    r = math.sqrt(x * x + y * y + z * z)
    rv = x * vx + y * vy + z * vz
    if (height_m - PLUNGE_ALT_M) * r + min(rv, 0.0) * max_step_s > 0.0:  # height + min(rdot, 0) step above it
        return max_step_s
    rdot = rv / r
    step = max_step_s
    if rdot < 0.0:
        step = min(step, PLUNGE_DROP_M / -rdot)
    if height_m < PLUNGE_ALT_M:
        num, den, _, height_here_m = geodetic_sc(x, y, z)
        omega = P[P_OMEGA]
        vrx, vry, vrz = vx + omega * y, vy - omega * x, vz
        vr = math.sqrt(vrx * vrx + vry * vry + vrz * vrz)
        rho = density_at(t, x, y, num, den, height_here_m, P, F)
        step = min(step, PLUNGE_STEP_FRACTION * 2.0 / (cd_am * rho * vr))
    return max(PLUNGE_MIN_STEP_S, step)


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def plunge_step(t, state, height_m, max_step_s, cd_am, prm, grid, alt_nodes, alt_lut, gax):
    """:func:`plunge_xyz` for a TEME ``state`` array (m, m/s); the field's arrays as :func:`field`."""
    P, F = field(prm, grid, alt_nodes, alt_lut, gax)
    return plunge_xyz(t, state[0], state[1], state[2], state[3], state[4], state[5], height_m, max_step_s, cd_am,
                      P, F)


BISECTIONS = 32
"""Bisection steps on a step's Hermite interpolant (:func:`_decay_time`, :func:`integrate_rev`):
2^-32 of a step, under 3e-8 s at 120 s."""


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def _decay_time(t, step, s0, s1, state, k1, decay_height_m):
    """Time (s) at which a step from the stepping state ``s0`` at ``t`` to ``s1`` (:func:`_load`)
    crosses the geodetic height ``decay_height_m``: bisection on the step's cubic Hermite interpolant.
    ``s1`` is left in ``state`` and ``k1``."""
    state0, deriv0, pos = np.empty(6), np.empty(6), np.empty(6)
    _store(s0, state0, deriv0)
    _store(s1, state, k1)
    lo, hi = 0.0, 1.0
    for _ in range(BISECTIONS):
        mid = 0.5 * (lo + hi)
        _hermite(state0, deriv0, state, k1, step, mid, pos)
        if geodetic(pos[0], pos[1], pos[2])[1] < decay_height_m:
            hi = mid
        else:
            lo = mid
    return t + step * hi


# --- Osculating elements and whole revolutions --------------------------------------------------


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def _wrap(x):
    """Angle to (-pi, pi]."""
    return x - 2.0 * math.pi * math.floor((x + math.pi) / (2.0 * math.pi))


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def _orbit_elements(state, mu, el):
    """Osculating (a, e cos w, e sin w, i, raan, u) of a state (u = argument of latitude).

    Vallado (2013) algorithm 9, with the eccentricity vector resolved along the node and its normal
    in the orbit plane (well defined for circular orbits), the inclination as atan2(|z_hat x h|,
    h_z) and the node's direction from h itself. Not for equatorial orbits.
    """
    rx, ry, rz, vx, vy, vz = state[0], state[1], state[2], state[3], state[4], state[5]
    r = math.sqrt(rx * rx + ry * ry + rz * rz)
    v2 = vx * vx + vy * vy + vz * vz
    hx, hy, hz = ry * vz - rz * vy, rz * vx - rx * vz, rx * vy - ry * vx
    nn = math.sqrt(hx * hx + hy * hy)  # |z_hat x h|
    hn = math.sqrt(nn * nn + hz * hz)
    raan = math.atan2(hx, -hy)
    inc = math.atan2(nn, hz)
    if nn > 0.0:  # node direction (cos raan, sin raan) without trigonometric calls
        px, py = -hy / nn, hx / nn
    else:
        px, py = math.cos(raan), math.sin(raan)
    ci, si = hz / hn, nn / hn
    qx, qy, qz = -ci * py, ci * px, si  # h_hat x p
    rv = rx * vx + ry * vy + rz * vz
    c1, c2 = (v2 - mu / r) / mu, rv / mu
    ex, ey, ez = c1 * rx - c2 * vx, c1 * ry - c2 * vy, c1 * rz - c2 * vz
    el[EL_A] = 1.0 / (2.0 / r - v2 / mu)
    el[EL_EX] = ex * px + ey * py
    el[EL_EY] = ex * qx + ey * qy + ez * qz
    el[EL_I] = inc
    el[EL_RAAN] = raan
    el[EL_U] = math.atan2(rx * qx + ry * qy + rz * qz, rx * px + ry * py)


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def _orbit_state(el, mu, state):
    """Inverse of :func:`_orbit_elements` (Vallado 2013 algorithm 10 in the node frame)."""
    a, cw, sw, inc, raan, u = el[EL_A], el[EL_EX], el[EL_EY], el[EL_I], el[EL_RAAN], el[EL_U]
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
    state[0], state[1], state[2] = r * rhx, r * rhy, r * rhz
    state[3], state[4], state[5] = vr * rhx + vt * thx, vr * rhy + vt * thy, vr * rhz + vt * thz


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def _arg_latitude(x, y, z, vx, vy, vz):
    """Osculating argument of latitude (rad) of a state: the angle of r from the ascending node in
    the orbit plane, atan2(r . (h_hat x n_hat), r . n_hat) with the node n = z_hat x h, which is
    atan2(z |h|, h_x y - h_y x) (the common factor 1/|n| dropped). Not for equatorial orbits."""
    hx, hy, hz = y * vz - z * vy, z * vx - x * vz, x * vy - y * vx
    return math.atan2(z * math.sqrt(hx * hx + hy * hy + hz * hz), hx * y - hy * x)


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def integrate_rev(t, state, k1, cd_am, prm, grid, alt_nodes, alt_lut, gax, step_s, decay_height_m, mean):
    """Integrate one revolution (step ``step_s``) to the same osculating argument of latitude.

    On entry ``k1`` = f(t, state); on exit ``state``, ``k1`` hold the state and derivative at the end.
    ``mean`` (``N_MEAN`` slots; or size 0: not computed) receives the time average over the
    revolution of the osculating (a, e cos w, e sin w, i, raan) (trapezoid rule on the steps; raan
    unwrapped from its start value). Always an array, so that one compiled specialisation serves
    every caller. Returns (OK, end time) or (DECAYED, decay time) or (FAILED, NaN).
    """
    mu = prm[P_MU]
    P, F = field(prm, grid, alt_nodes, alt_lut, gax)
    state0 = np.empty(6)
    deriv0 = np.empty(6)
    pos = np.empty(6)
    el_a = np.empty(6)
    el_b = np.empty(6)
    raan0 = 0.0
    with_mean = mean.shape[0] > 0
    if with_mean:
        _orbit_elements(state, mu, el_a)
        raan0 = el_a[EL_RAAN]
        el_a[EL_RAAN] = 0.0
        for i in range(N_MEAN):
            mean[i] = 0.0
    sv = _load(state, k1)
    ta, acc, u_prev = t, 0.0, _arg_latitude(state[0], state[1], state[2], state[3], state[4], state[5])
    while True:
        s1, height_m = _step(t, step_s, sv, cd_am, P, F)
        if not math.isfinite(height_m):
            return FAILED, math.nan
        if height_m < decay_height_m:
            return DECAYED, _decay_time(t, step_s, sv, s1, state, k1, decay_height_m)
        u1 = _arg_latitude(s1[0], s1[1], s1[2], s1[3], s1[4], s1[5])
        d = _wrap(u1 - u_prev)
        if acc + d < 2.0 * math.pi:
            if with_mean:
                _store(s1, state, k1)
                _orbit_elements(state, mu, el_b)
                el_b[EL_RAAN] = _wrap(el_b[EL_RAAN] - raan0)
                for i in range(N_MEAN):
                    mean[i] += 0.5 * step_s * (el_a[i] + el_b[i])  # trapezoid rule
                    el_a[i] = el_b[i]
            acc += d
            u_prev = u1
            t += step_s
            sv = s1
            continue
        _store(sv, state0, deriv0)
        _store(s1, state, k1)
        lo, hi = 0.0, 1.0
        for _ in range(BISECTIONS):  # bisection for the fraction of the step reaching the start's u
            mid = 0.5 * (lo + hi)
            _hermite(state0, deriv0, state, k1, step_s, mid, pos)
            if acc + _wrap(_arg_latitude(pos[0], pos[1], pos[2], pos[3], pos[4], pos[5]) - u_prev) >= 2.0 * math.pi:
                hi = mid
            else:
                lo = mid
        _hermite(state0, deriv0, state, k1, step_s, hi, pos)
        for i in range(6):
            state[i] = pos[i]
        t += hi * step_s
        if with_mean:
            _orbit_elements(state, mu, el_b)
            el_b[EL_RAAN] = _wrap(el_b[EL_RAAN] - raan0)
            for i in range(N_MEAN):
                mean[i] = (mean[i] + 0.5 * hi * step_s * (el_a[i] + el_b[i])) / (t - ta)
            mean[EL_RAAN] += raan0
        _deriv(t, state, k1, cd_am, prm, grid, alt_nodes, alt_lut, gax)
        return OK, t


# --- The numerical driver -----------------------------------------------------------------------


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def _numerical_one(t0, t1, state, cd_am, prm, grid, alt_nodes, alt_lut, gax, step_s, decay_height_m, max_jump,
                   jump_perigee_m, jump_da_m):
    """Advance one object from t0 to t1 in place. Returns (status, decay time).

    Multi-revolution jumps (envelope following, Petzold 1981, SIAM J. Sci. Stat. Comput. 2(4)):
    while the osculating perigee height exceeds ``jump_perigee_m`` (m) one revolution is integrated to
    the same argument of latitude, the change of (a, e cos w, e sin w, i, raan) over it is
    extrapolated linearly over up to ``max_jump`` further revolutions (at most ``jump_da_m`` m of
    semi-major-axis decay), and the time advanced by as many revolution times. Sampling at a fixed
    argument of latitude makes the short-periodic J2 terms cancel in the differences. Below
    ``jump_perigee_m`` (the last revolutions) every step is integrated. ``max_jump = 0``: every step.
    """
    mu, req = prm[P_MU], prm[P_RE]
    P, F = field(prm, grid, alt_nodes, alt_lut, gax)
    k1 = np.empty(6)
    el_a = np.empty(6)
    el_b = np.empty(6)
    mean = np.empty(N_MEAN)
    t = t0
    height_m = _deriv(t, state, k1, cd_am, prm, grid, alt_nodes, alt_lut, gax)
    jumping = max_jump > 0
    while t < t1:
        if jumping:
            _orbit_elements(state, mu, el_a)
            ecc = math.sqrt(el_a[EL_EX] ** 2 + el_a[EL_EY] ** 2)
            period = 2.0 * math.pi * math.sqrt(el_a[EL_A] ** 3 / mu) if el_a[EL_A] > 0 else 0.0
            if ecc >= 1.0 or el_a[EL_A] * (1.0 - ecc) - req <= jump_perigee_m:
                jumping = False  # the last revolutions (until the next chunk): every step integrated
            elif t1 - t > 3.0 * period:
                ta = t
                st, t = integrate_rev(t, state, k1, cd_am, prm, grid, alt_nodes, alt_lut, gax, step_s, decay_height_m,
                                      mean)
                if st != OK:
                    return st, t
                _orbit_elements(state, mu, el_b)
                dt_rev = t - ta
                da = el_a[EL_A] - el_b[EL_A]
                k = min(max_jump, int((t1 - t) / dt_rev) - 1)
                if da > 0.0:
                    k = min(k, int(jump_da_m / da))
                if k >= 1:
                    for i in range(N_MEAN):
                        diff = el_b[i] - el_a[i]
                        if i == EL_RAAN:
                            diff = _wrap(diff)
                        el_b[i] += k * diff
                    _orbit_state(el_b, mu, state)
                    t += k * dt_rev
                    _deriv(t, state, k1, cd_am, prm, grid, alt_nodes, alt_lut, gax)
                height_m = geodetic(state[0], state[1], state[2])[1]
                continue
        sv = _load(state, k1)
        while t < t1:  # the state in registers (one step at a time while jumps are possible)
            step = min(t1 - t, plunge_xyz(t, sv[0], sv[1], sv[2], sv[3], sv[4], sv[5], height_m, step_s, cd_am, P, F))
            s1, height_m = _step(t, step, sv, cd_am, P, F)
            if not math.isfinite(height_m):
                return FAILED, math.nan
            if height_m < decay_height_m:
                return DECAYED, _decay_time(t, step, sv, s1, state, k1, decay_height_m)
            sv = s1
            t += step
            if jumping:
                break
        _store(sv, state, k1)
    return OK, math.nan


ROWS_PER_CLAIM = 8
"""Rows a thread claims at a time from the shared row counter of the drivers (work per object varies
from one step to thousands: claiming a few at a time keeps every thread busy to the end)."""


@nb.njit(cache=True, fastmath=False, error_model="numpy", nogil=True)
def numerical_advance(t0, t1, states, active, cd_am, prm, grid, alt_nodes, alt_lut, gax, step_s, decay_height_m, status,
                      decay_t, max_jump, jump_perigee_m, jump_da_m, next_row):
    """Advance the active rows of ``states`` (N, 6) from t0 to t1.

    Rows that decay or fail get ``status`` DECAYED/FAILED, ``decay_t`` and ``active`` False.
    The step is ``step_s`` (the last one shortened to end at t1); multi-revolution jumps as in
    :func:`_numerical_one` when ``max_jump`` > 0 (0: every step). Rows are claimed
    ``ROWS_PER_CLAIM`` at a time from the counter ``next_row`` (int64, one element, 0 at the start),
    so that several threads may run this function on the same arrays at once
    (:func:`debriscope.propagation.fast.on_threads`), each object on one thread.
    """
    n = states.shape[0]
    counter = _address_i8(next_row)
    while True:
        j0 = _claim(counter, ROWS_PER_CLAIM)
        if j0 >= n:
            return
        for j in range(j0, min(j0 + ROWS_PER_CLAIM, n)):
            if not active[j]:
                continue
            state = states[j].copy()
            st, td = _numerical_one(t0, t1, state, cd_am[j], prm, grid, alt_nodes, alt_lut, gax, step_s,
                                    decay_height_m, max_jump, jump_perigee_m, jump_da_m)
            if st != OK:
                status[j] = st
                decay_t[j] = td
                active[j] = False
            for i in range(6):
                states[j, i] = state[i]


# --- Orbit-averaged decay phase ------------------------------------------------------------------
# Mean elements stepped by whole revolutions (:func:`averaged_advance`), used by
# :func:`debriscope.propagation.predict_decay` in fast mode (``ForceModel.averaged``); dense output
# stays numerical. Per object, the points the functions below refer to:
#
# 1. Initial mean elements. One drag-free revolution (the zonal field only, Nystrom steps of
#    ``MEAN_STEP_S``, point 4; no density look-ups) from the object's state to the same osculating
#    argument of latitude u0: the time average over it of the osculating (a, e cos w, e sin w, i,
#    raan), less half their change over it (the secular drift), is the mean at the start; its
#    difference from the osculating elements there, ``delta`` (the short-periodic J2 terms at u0),
#    is kept. The object does not move: the averaged phase starts at once, with drag, at its epoch.
# 2. Averaged phase. The mean (a, e cos w, e sin w, i, raan), w from the node, are stepped by whole
#    nodal revolutions (the mean argument of latitude is u0 at every step end) with the midpoint
#    rule. Rates (:func:`mean_rates`): J2 secular raan, w, M (Vallado 2013 eq. 9-41); J3
#    long-period e, w, i, raan from Lagrange's planetary equations (Vallado 2013 eq. 9-12) on the
#    averaged J3 potential <R3> = 3/2 mu J3 R^3 e sin i (1 - 5/4 sin^2 i) sin w / (a^4 (1 - e^2)^(5/2))
#    (Kozai 1959, AJ 64, 367); drag averaged over the revolution by the trapezoid rule in eccentric
#    anomaly (weights (1 - e cos E)/N: a time average; King-Hele 1987, ch. 4) with the Gauss
#    equations in vector form: da/dt = 2 a^2 (v . F)/mu, de/dt = [2 (v . F) r - (r . F) v -
#    (r . v) F]/mu (the Laplace vector; Battin 1999 eq. 10.51), di/dt = r cos u F_W / h,
#    draan/dt = r sin u F_W / (h sin i) (Vallado 2013 eq. 9-24). The density is the grid's at the
#    nodes' positions, whose radius carries the first-order J2 short-periodic correction (Hoots &
#    Roehrich 1980, Spacetrack Report 3, SGP4's r_k update), so that the averaged path flies at
#    the height of the real one. The step is the largest whole number of revolutions
#    (1..``MAX_REVS``) over which the mean perigee height falls by at most ``STEP_DHP_M`` and a by
#    at most ``STEP_DA_M``. The rates at a step's start, which set its length and its midpoint, take
#    the zonal part evaluated and the drag's part extrapolated linearly in time from the last two
#    midpoints (held after one step; evaluated at a kernel call's first step and after a
#    calibration): one drag quadrature per step; the midpoint differs from the explicit midpoint
#    rule's by O(dt^3) (O(dt^2) with held rates), so the step keeps its second order.
# 2b. Calibration (:func:`_calibrate`). SGP4's truncated first-order radius and where along the orbit
#    drag acts decide how the drag splits between a and e. One revolution is integrated with drag
#    from the object's state and compared with a drag-free one from the same state at the same step
#    (point 1's own when the step is the same), at the same argument of latitude; the ratios of the
#    drag's change of a and of the e-vector to the averaged model's midpoint step for that
#    revolution (c_a, c_e) scale the averaged drag rates from then on, measured again every
#    ``RECALIBRATE_S`` from the rebuilt osculating state.
# 3. Hand-over. When the mean perigee height falls below ``HANDOVER_HP_M`` or by more than
#    ``HANDOVER_DHP_M`` per revolution, the osculating state at u0 is rebuilt as mean + ``delta``
#    (``delta`` from the start: the J2 short-periodic terms at a fixed argument of latitude depend on
#    (a, e, i) only weakly) and the numerical kernel integrates the last revolutions to decay.
# 4. Step of the numerical phases. An object whose a falls by more than ``COARSE_DA_M`` per
#    revolution when it enters the numerical kernel (at hand-over, or from the start when
#    pre-screened) is integrated at ``COARSE_STEP_FACTOR`` times the step; by the same rule point 1's
#    revolution takes twice ``MEAN_STEP_S``. The calibration's two revolutions share their
#    truncation error, which cancels in their difference: they take twice ``MEAN_STEP_S`` already
#    above ``CALIBRATION_COARSE_DA_M`` per revolution (:func:`_calibration_step`).
# The measurements behind these thresholds are in docs/propagation.md.

N_QUAD_MIN, N_QUAD_MAX = 16, 256
QUAD_SCALE_HEIGHT_M = 20e3
"""Bounds of the quadrature nodes per revolution and the density scale height they are sized for
(:func:`quadrature_nodes`; NRLMSIS's scale height is 15-16 km at 140 km, the lowest mean perigee of
the averaged phase, where the error bound is ~1e-3 instead of 1e-4)."""
MAX_REVS = 40
"""Most revolutions per averaged step."""
STEP_DHP_M = 1000.0
STEP_DA_M = 10000.0
"""Largest mean perigee-height and semi-major-axis decay per averaged step (m)."""
HANDOVER_HP_M = 140e3
HANDOVER_DHP_M = 2500.0
"""Hand over to the numerical kernel below this mean perigee height (above the EGM96 radius), or
when the perigee falls faster than this per revolution (m)."""
CALIBRATION_CLAMP = (0.8, 1.25)
"""Range of the calibration factors (:func:`_calibrate`): a factor outside it means a revolution
unlike the averaged model's, and is clamped."""
RECALIBRATE_S = 86400.0
"""The calibration is measured again after this long in the averaged phase (s)."""
COARSE_DA_M = 2000.0
COARSE_STEP_FACTOR = 2.0
"""Numerical phases of objects whose semi-major axis falls by more than ``COARSE_DA_M`` per
revolution are integrated at ``COARSE_STEP_FACTOR`` times the step (point 4 above)."""
INIT_HP_M = 150e3
"""Objects whose osculating perigee height is below this are integrated numerically throughout."""
MEAN_STEP_S = 60.0
"""Step of the drag-free revolution that gives an object's initial mean elements, times the step
factor of :func:`_step_factor` (point 4 above)."""
CALIBRATION_COARSE_DA_M = 1000.0
"""The calibration's revolutions take twice ``MEAN_STEP_S`` for objects whose a falls faster than
this per revolution (:func:`_calibration_step`)."""


@nb.njit(cache=True, fastmath=_FM, error_model="numpy", inline="always")
def quadrature_nodes(a, e):
    """Trapezoid nodes per revolution for the drag average of an orbit (a m, e).

    Near perigee the density goes as exp(beta cos E), beta = a e / H. The N-node trapezoid rule
    of a periodic analytic function converges geometrically (Trefethen & Weideman 2014, SIAM
    Review 56(3), eq. 3.2); for exp(beta cos E) its relative error is 2 sum_k I_kN(beta) /
    I_0(beta), below 1e-4 for N >= 4.6 sqrt(beta) (checked against scipy's Bessel functions in
    the tests); H = ``QUAD_SCALE_HEIGHT_M``, N in [``N_QUAD_MIN``, ``N_QUAD_MAX``] (16 suffices
    for a e up to 240 km: e = 0.035 at 200 km).
    """
    q = 4.6 * math.sqrt(max(a * e, 0.0) / QUAD_SCALE_HEIGHT_M)
    if not q < N_QUAD_MAX:  # also NaN
        return N_QUAD_MAX
    return max(N_QUAD_MIN, int(math.ceil(q)))


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def mean_rates(t, m, u0, cd_am, prm, grid, alt_nodes, alt_lut, gax, rates, c_a, c_e, drag):
    """Rates of the mean (a, e cos w, e sin w, i, raan) into ``rates``; returns the nodal period (s).
    The drag's rates of a and of the e-vector are scaled by ``c_a`` and ``c_e`` (:func:`_calibrate`;
    1 for the model as it stands). ``drag`` (``N_MEAN`` slots; or size 0: not wanted) receives the
    drag's share of ``rates``, 0 without drag.

    ``t`` is the time at which the mean argument of latitude is ``u0`` (it times the density
    samples). ``prm`` as :func:`acceleration`. Not for equatorial orbits (raan undefined).
    """
    mu, re, j2, j3, omega_e = prm[P_MU], prm[P_RE], prm[P_J2], prm[P_J3], prm[P_OMEGA]
    a, ex, ey, inc, raan = m[EL_A], m[EL_EX], m[EL_EY], m[EL_I], m[EL_RAAN]
    e = math.sqrt(ex * ex + ey * ey)
    if e > 1e-12:
        cw, sw = ex / e, ey / e
    else:
        cw, sw = 1.0, 0.0
    eta2 = 1.0 - e * e
    eta = math.sqrt(eta2)
    p = a * eta2
    n = math.sqrt(mu / (a * a * a))
    ci, si = math.cos(inc), math.sin(inc)
    # J2 secular rates (Vallado 2013 eq. 9-41)
    kj2 = 1.5 * j2 * (re / p) ** 2 * n
    raan_dot = -kj2 * ci
    argp_dot = 0.5 * kj2 * (5.0 * ci * ci - 1.0)  # 3/4 n J2 (R/p)^2 (4 - 5 sin^2 i)
    m_dot = n + 0.5 * kj2 * eta * (3.0 * ci * ci - 1.0)
    # J3 long-period terms: Lagrange's equations (Vallado 2013 eq. 9-12) on the averaged potential
    # <R3> = K e sin w / (1 - e^2)^(5/2), K = 3/2 mu J3 R^3 sin i (1 - 5/4 sin^2 i) / a^4 (Kozai 1959)
    na2 = n * a * a
    kk = 1.5 * mu * j3 * re ** 3 / a ** 4
    k3 = kk * si * (1.0 - 1.25 * si * si)
    k3i = kk * ci * (1.0 - 3.75 * si * si)  # dK/di / (e sin w ...) factor of dR/di
    e_dot = -k3 * cw / (na2 * eta2 * eta2)  # -sqrt(1-e^2)/(n a^2 e) dR/dw
    e_w_dot = (eta * k3 * sw * (1.0 + 4.0 * e * e) / (na2 * eta2 ** 3.5)
               - ci / si * k3i * e * e * sw / (na2 * eta * eta2 ** 2.5))  # e dw/dt
    raan_dot += k3i * e * sw / (na2 * eta * si * eta2 ** 2.5)
    i_dot = ci * k3 * e * cw / (na2 * eta * si * eta2 ** 2.5)
    rates[EL_A] = 0.0
    rates[EL_EX] = -argp_dot * ey + e_dot * cw - e_w_dot * sw
    rates[EL_EY] = argp_dot * ex + e_dot * sw + e_w_dot * cw
    rates[EL_I] = i_dot
    rates[EL_RAAN] = raan_dot
    period = 2.0 * math.pi / (m_dot + argp_dot)
    if prm[P_DRAG] == 0.0:
        for i in range(drag.shape[0]):
            drag[i] = 0.0
        return period
    P, F = field(prm, grid, alt_nodes, alt_lut, gax)
    # drag averaged over the revolution (trapezoid in E, weights (1 - e cos E)/N: a time average)
    co, so = math.cos(raan), math.sin(raan)
    px, py = co, so
    qx, qy, qz = -ci * so, ci * co, si
    wx, wy, wz = si * so, -si * co, ci
    nu0 = u0 - math.atan2(sw, cw)
    e0 = 2.0 * math.atan2(math.sqrt(1.0 - e) * math.sin(0.5 * nu0), math.sqrt(1.0 + e) * math.cos(0.5 * nu0))
    mean0 = e0 - e * math.sin(e0)
    sq = math.sqrt(mu / p)
    hang = math.sqrt(mu * p)
    # first-order J2 short-periodic radius (Hoots & Roehrich 1980, SGP4's r_k)
    r_scale = 1.0 - 0.75 * j2 * (re / p) ** 2 * eta * (3.0 * ci * ci - 1.0)
    r_c2u = 0.25 * j2 * re * re / p * si * si
    da = dex = dey = di = dr = 0.0
    nq = quadrature_nodes(a, e)
    inv_nq, inv_mdot = 1.0 / nq, 1.0 / m_dot
    dstep = 2.0 * math.pi / nq
    cstep, sstep = math.cos(dstep), math.sin(dstep)
    ce, se = 1.0, 0.0
    for k in range(nq):
        if k > 0:  # the nodes E_k = k dstep by rotation
            ce, se = ce * cstep - se * sstep, se * cstep + ce * sstep
        den = 1.0 - e * ce
        r = a * den
        iden = 1.0 / den
        cn, sn = (ce - e) * iden, eta * se * iden
        cu, su = cw * cn - sw * sn, sw * cn + cw * sn  # u = w + nu
        rhx, rhy, rhz = cu * px + su * qx, cu * py + su * qy, su * qz
        thx, thy, thz = -su * px + cu * qx, -su * py + cu * qy, cu * qz
        rr = r * r_scale + r_c2u * (cu * cu - su * su)
        x, y, z = rr * rhx, rr * rhy, rr * rhz
        vr, vt = sq * e * sn, sq * (1.0 + e * cn)
        vx, vy, vz = vr * rhx + vt * thx, vr * rhy + vt * thy, vr * rhz + vt * thz
        dm = k * dstep - e * se - mean0
        dm -= 2.0 * math.pi * math.floor(dm * (0.5 / math.pi))
        num, dn, _, hgt = geodetic_sc(x, y, z)
        rho = density_at(t + dm * inv_mdot, x, y, num, dn, hgt, P, F)
        vrx, vry, vrz = vx + omega_e * y, vy - omega_e * x, vz  # co-rotating air (Vallado eq. 8-29)
        f = -0.5 * cd_am * rho * math.sqrt(vrx * vrx + vry * vry + vrz * vrz)
        fx, fy, fz = f * vrx, f * vry, f * vrz
        wgt = den * inv_nq
        vf = vx * fx + vy * fy + vz * fz
        rf = x * fx + y * fy + z * fz
        rv = x * vx + y * vy + z * vz
        gx = 2.0 * vf * x - rf * vx - rv * fx  # mu de/dt (Laplace vector)
        gy = 2.0 * vf * y - rf * vy - rv * fy
        gz = 2.0 * vf * z - rf * vz - rv * fz
        fw = fx * wx + fy * wy + fz * wz
        da += wgt * vf
        dex += wgt * (gx * px + gy * py)
        dey += wgt * (gx * qx + gy * qy + gz * qz)
        di += wgt * r * cu * fw
        dr += wgt * r * su * fw
    d0, d1, d2, d3, d4 = c_a * 2.0 * a * a * da / mu, c_e * dex / mu, c_e * dey / mu, di / hang, dr / (hang * si)
    rates[EL_A] += d0
    rates[EL_EX] += d1
    rates[EL_EY] += d2
    rates[EL_I] += d3
    rates[EL_RAAN] += d4
    if drag.shape[0] > 0:
        drag[EL_A], drag[EL_EX], drag[EL_EY], drag[EL_I], drag[EL_RAAN] = d0, d1, d2, d3, d4
    return period


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _perigee_rates(m, rates, period, req):
    """(mean perigee height m, its change per revolution m, change of a per revolution m)."""
    e = math.sqrt(m[EL_EX] * m[EL_EX] + m[EL_EY] * m[EL_EY])
    e_dot = (m[EL_EX] * rates[EL_EX] + m[EL_EY] * rates[EL_EY]) / e if e > 1e-12 else 0.0
    return m[EL_A] * (1.0 - e) - req, period * (rates[EL_A] * (1.0 - e) - m[EL_A] * e_dot), period * rates[EL_A]


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _drag_free_revolution(t, state, prm, grid, alt_nodes, alt_lut, gax, avg, el1, step_s):
    """One revolution of the zonal field only (steps of ``step_s`` s, no density look-ups) from
    ``state`` (left unchanged) to the same argument of latitude: the time average of the osculating
    (a, e cos w, e sin w, i, raan) into ``avg`` (unless of size 0), the osculating elements at its end
    into ``el1``.
    Returns a status."""
    grav = prm.copy()
    grav[P_DRAG] = 0.0
    state_rev = state.copy()
    k1 = np.empty(6)
    _deriv(t, state_rev, k1, 0.0, grav, grid, alt_nodes, alt_lut, gax)
    st, _ = integrate_rev(t, state_rev, k1, 0.0, grav, grid, alt_nodes, alt_lut, gax, step_s, -1e9, avg)
    if st == OK:
        _orbit_elements(state_rev, prm[P_MU], el1)
    return st


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _initial_mean(t, state, el0, prm, grid, alt_nodes, alt_lut, gax, m, delta, el1, step_s):
    """Mean elements ``m`` at ``t`` of the state ``state`` (osculating elements ``el0``) and ``delta`` =
    osculating - mean there (section head, point 1); ``el1`` receives the osculating elements at
    the end of the drag-free revolution. ``state`` is left unchanged. Returns a status.

    One drag-free revolution (the zonal field only, steps of ``step_s`` s) from ``state`` to the same
    argument of latitude; the time average of the osculating elements over it is the mean at its
    middle, so the mean at its start is that average minus half the change over the revolution.
    """
    avg = np.empty(N_MEAN)
    st = _drag_free_revolution(t, state, prm, grid, alt_nodes, alt_lut, gax, avg, el1, step_s)
    if st != OK:
        return st
    for i in range(N_MEAN):
        d = el1[i] - el0[i]
        if i == EL_RAAN:
            d = _wrap(d)
        m[i] = avg[i] - 0.5 * d
        delta[i] = el0[i] - m[i]
    delta[EL_RAAN] = _wrap(delta[EL_RAAN])
    return OK


PRESCREEN_DHP_M = 1000.0
"""An object whose perigee, from its osculating elements, falls faster than this per revolution
skips the averaged phase (:func:`_hands_over_at_once`)."""


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _hands_over_at_once(t, el0, cd_am, prm, grid, alt_nodes, alt_lut, gax):
    """(Whether the object is integrated numerically from the start, its fall of a per revolution
    m): from the osculating elements ``el0`` taken as mean ones, the object is integrated from the
    start when its perigee falls faster than ``PRESCREEN_DHP_M`` per revolution. Such objects
    live a few revolutions to a few tens, about what the averaged phase would spend on its
    initial mean elements, its calibration and its last revolutions."""
    rates = np.empty(N_MEAN)
    period = mean_rates(t, el0, el0[EL_U], cd_am, prm, grid, alt_nodes, alt_lut, gax, rates, 1.0, 1.0, np.empty(0))
    _, dhp, dar = _perigee_rates(el0, rates, period, prm[P_RE])
    return -dhp > PRESCREEN_DHP_M, -dar


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _step_factor(da_rev):
    """The numerical phases' step factor for an object whose a falls by ``da_rev`` m per
    revolution (section head, point 4)."""
    return COARSE_STEP_FACTOR if da_rev > COARSE_DA_M else 1.0


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _calibration_step(da_rev):
    """Step (s) of the calibration's revolutions for an object whose a falls by ``da_rev`` m per
    revolution (``CALIBRATION_COARSE_DA_M``)."""
    return 2.0 * MEAN_STEP_S if da_rev > CALIBRATION_COARSE_DA_M else MEAN_STEP_S


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _calibrate(t, state, m, u0, cd_am, prm, grid, alt_nodes, alt_lut, gax, decay_height_m, free_end, step_s):
    """Calibration factors (c_a, c_e) of the averaged drag (section head, point 2b).

    One revolution is integrated with drag (steps of ``step_s`` s, those of the drag-free one) from the
    osculating state
    ``state`` at the mean elements ``m`` (mean argument of latitude ``u0`` at ``t``); ``free_end`` holds
    the end elements of the drag-free one (:func:`_drag_free_revolution`): the difference of the
    two end states at the same argument of latitude is the drag's change over the revolution, the
    short-periodic terms cancelling. c_a is its change of a over the averaged model's midpoint step
    for the same revolution; c_e the same for the e-vector (least squares over its two
    components). (1, 1) when a revolution does not complete.
    """
    mu = prm[P_MU]
    grav = prm.copy()
    grav[P_DRAG] = 0.0
    k1 = np.empty(6)
    end = np.empty(6)
    state_rev = state.copy()
    _deriv(t, state_rev, k1, cd_am, prm, grid, alt_nodes, alt_lut, gax)
    st, _ = integrate_rev(t, state_rev, k1, cd_am, prm, grid, alt_nodes, alt_lut, gax, step_s, decay_height_m,
                          np.empty(0))
    if st != OK:
        return 1.0, 1.0
    _orbit_elements(state_rev, mu, end)
    r1 = np.empty(N_MEAN)
    r2 = np.empty(N_MEAN)
    rg = np.empty(N_MEAN)
    mid = np.empty(N_MEAN)
    none = np.empty(0)
    period = mean_rates(t, m, u0, cd_am, prm, grid, alt_nodes, alt_lut, gax, r1, 1.0, 1.0, none)
    for i in range(N_MEAN):
        mid[i] = m[i] + 0.5 * period * r1[i]
    period2 = mean_rates(t + 0.5 * period, mid, u0, cd_am, prm, grid, alt_nodes, alt_lut, gax, r2, 1.0, 1.0, none)
    mean_rates(t + 0.5 * period, mid, u0, cd_am, grav, grid, alt_nodes, alt_lut, gax, rg, 1.0, 1.0, none)
    da = period2 * (r2[EL_A] - rg[EL_A])  # the averaged drag's share of the midpoint step
    dx, dy = period2 * (r2[EL_EX] - rg[EL_EX]), period2 * (r2[EL_EY] - rg[EL_EY])
    c_a = (end[EL_A] - free_end[EL_A]) / da if da < 0.0 else 1.0
    de2 = dx * dx + dy * dy
    c_e = ((end[EL_EX] - free_end[EL_EX]) * dx + (end[EL_EY] - free_end[EL_EY]) * dy) / de2 if de2 > 0.0 else 1.0
    lo, hi = CALIBRATION_CLAMP
    return min(max(c_a, lo), hi), min(max(c_e, lo), hi)


@nb.njit(cache=True, fastmath=False, error_model="numpy")
def _osculating_at_u0(m, delta, u0, mu, state):
    """The osculating state ``state`` rebuilt from the mean elements ``m`` plus the J2 offsets ``delta``
    at the argument of latitude ``u0`` (section head, point 3)."""
    el = np.empty(6)
    for i in range(N_MEAN):
        el[i] = m[i] + delta[i]
    el[EL_U] = u0
    _orbit_state(el, mu, state)


@nb.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def _advance_one(t1, state, aux, cd_am, prm, grid, alt_nodes, alt_lut, gax, step_s, decay_height_m):
    """Advance one object to ``t1`` (or to its decay) through the modes of the section head.

    ``aux`` (``AUX_SIZE``) is updated in place; ``state`` holds the osculating state at ``aux[AUX_T]`` in
    the numerical modes. Returns (status, decay time).
    """
    mu, req = prm[P_MU], prm[P_RE]
    mode, t = int(aux[AUX_MODE]), aux[AUX_T]
    m = aux[AUX_MEAN:AUX_MEAN + N_MEAN]
    delta = aux[AUX_DELTA:AUX_DELTA + N_MEAN]
    if mode == MODE_NUMERICAL:
        el0 = np.empty(6)
        _orbit_elements(state, mu, el0)
        ecc = math.sqrt(el0[EL_EX] ** 2 + el0[EL_EY] ** 2)
        aux[AUX_STEP_FACTOR] = 1.0
        da_rev = 0.0
        if ecc >= 0.5:
            mode = MODE_FINAL
        else:
            at_once, da_rev = _hands_over_at_once(t, el0, cd_am, prm, grid, alt_nodes, alt_lut, gax)
            if at_once or el0[EL_A] * (1.0 - ecc) - req < INIT_HP_M:
                mode = MODE_FINAL
                aux[AUX_STEP_FACTOR] = _step_factor(da_rev)
        if mode == MODE_NUMERICAL:
            free_end = np.empty(6)
            step_mean_s = MEAN_STEP_S * _step_factor(da_rev)
            if _initial_mean(t, state, el0, prm, grid, alt_nodes, alt_lut, gax, m, delta, free_end, step_mean_s) != OK:
                return FAILED, math.nan
            step_cal_s = _calibration_step(da_rev)
            if step_mean_s != step_cal_s and _drag_free_revolution(t, state, prm, grid, alt_nodes, alt_lut, gax,
                                                                   np.empty(0), free_end, step_cal_s) != OK:
                return FAILED, math.nan
            aux[AUX_U0] = el0[EL_U]
            aux[AUX_C_A], aux[AUX_C_E] = _calibrate(t, state, m, el0[EL_U], cd_am, prm, grid, alt_nodes, alt_lut, gax,
                                                    decay_height_m, free_end, step_cal_s)
            aux[AUX_DA_REV] = da_rev
            aux[AUX_T_CAL] = t
            mode = MODE_AVERAGED
    if mode == MODE_AVERAGED:
        u0 = aux[AUX_U0]
        r1 = np.empty(N_MEAN)
        r2 = np.empty(N_MEAN)
        mid = np.empty(N_MEAN)
        d_new = np.empty(N_MEAN)
        # the drag's rates at the last two midpoints (times tm_last, tm_prev); zeros, not np.empty: after the
        # first midpoint d_prev is read (times a zero slope), and NaN left in reused memory made 0 * NaN
        d_last = np.zeros(N_MEAN)
        d_prev = np.zeros(N_MEAN)
        grav = prm.copy()
        grav[P_DRAG] = 0.0
        none = np.empty(0)
        n_mid, tm_last, tm_prev = 0, 0.0, 0.0
        while t < t1:
            if t - aux[AUX_T_CAL] > RECALIBRATE_S:
                n_mid = 0  # the calibration factors change: no extrapolation across them
                _osculating_at_u0(m, delta, u0, mu, state)
                free_end = np.empty(6)
                step_cal_s = _calibration_step(aux[AUX_DA_REV])
                if _drag_free_revolution(t, state, prm, grid, alt_nodes, alt_lut, gax, none, free_end, step_cal_s) == OK:
                    aux[AUX_C_A], aux[AUX_C_E] = _calibrate(t, state, m, u0, cd_am, prm, grid, alt_nodes, alt_lut, gax,
                                                            decay_height_m, free_end, step_cal_s)
                aux[AUX_T_CAL] = t
            if n_mid == 0:
                period = mean_rates(t, m, u0, cd_am, prm, grid, alt_nodes, alt_lut, gax, r1, aux[AUX_C_A], aux[AUX_C_E],
                                    none)
            else:  # zonal rates evaluated, the drag's extrapolated from the last midpoints (point 2)
                period = mean_rates(t, m, u0, cd_am, grav, grid, alt_nodes, alt_lut, gax, r1, 1.0, 1.0, none)

                slope = (t - tm_last) / (tm_last - tm_prev) if n_mid > 1 else 0.0
                for i in range(N_MEAN):
                    r1[i] += d_last[i] + slope * (d_last[i] - d_prev[i])
            hp, dhp, dar = _perigee_rates(m, r1, period, req)
            aux[AUX_DA_REV] = -dar
            if not (math.isfinite(hp) and math.isfinite(dhp) and m[EL_EX] * m[EL_EX] + m[EL_EY] * m[EL_EY] < 1.0):
                return FAILED, math.nan
            if hp < HANDOVER_HP_M or -dhp > HANDOVER_DHP_M:
                _osculating_at_u0(m, delta, u0, mu, state)
                mode = MODE_FINAL
                aux[AUX_STEP_FACTOR] = _step_factor(-dar)
                break
            nrev = MAX_REVS
            if dhp < 0.0:
                nrev = min(nrev, int(STEP_DHP_M / -dhp))
            if dar < 0.0:
                nrev = min(nrev, int(STEP_DA_M / -dar))
            nrev = max(1, min(nrev, int((t1 - t) / period) + 1))
            dt = nrev * period
            for i in range(N_MEAN):
                mid[i] = m[i] + 0.5 * dt * r1[i]
            period2 = mean_rates(t + 0.5 * dt, mid, u0, cd_am, prm, grid, alt_nodes, alt_lut, gax, r2, aux[AUX_C_A],
                                 aux[AUX_C_E], d_new)
            for i in range(N_MEAN):
                d_prev[i], d_last[i] = d_last[i], d_new[i]
            n_mid, tm_prev, tm_last = n_mid + 1, tm_last, t + 0.5 * dt
            dt = nrev * period2  # midpoint rule over whole nodal revolutions
            for i in range(N_MEAN):
                m[i] += dt * r2[i]
            t += dt
    aux[AUX_MODE], aux[AUX_T] = mode, t
    if mode == MODE_AVERAGED:
        return OK, math.nan
    if t < t1:
        # no jumps: an int64 0, as numerical_advance passes (a literal 0 would compile _numerical_one again)
        st, td = _numerical_one(t, t1, state, cd_am, prm, grid, alt_nodes, alt_lut, gax, step_s * aux[AUX_STEP_FACTOR],
                                decay_height_m, np.int64(0), 0.0, 0.0)
        if st != OK:
            return st, td
    aux[AUX_T] = max(t, t1)
    return OK, math.nan


@nb.njit(cache=True, fastmath=False, error_model="numpy", nogil=True)
def averaged_advance(t1, states, aux, active, cd_am, prm, grid, alt_nodes, alt_lut, gax, step_s, decay_height_m,
                     status, decay_t, next_row):
    """Advance the active rows of ``states`` (N, 6) / ``aux`` (N, AUX_SIZE) to ``t1``.

    Rows that decay or fail get ``status`` DECAYED/FAILED, ``decay_t`` and ``active`` False. Rows
    are claimed from ``next_row`` as in :func:`numerical_advance`.
    """
    n = states.shape[0]
    counter = _address_i8(next_row)
    while True:
        j0 = _claim(counter, ROWS_PER_CLAIM)
        if j0 >= n:
            return
        for j in range(j0, min(j0 + ROWS_PER_CLAIM, n)):
            if not active[j]:
                continue
            state = states[j].copy()
            a = aux[j].copy()
            st, td = _advance_one(t1, state, a, cd_am[j], prm, grid, alt_nodes, alt_lut, gax, step_s, decay_height_m)
            if st != OK:
                status[j] = st
                decay_t[j] = td
                active[j] = False
            for i in range(6):
                states[j, i] = state[i]
            for i in range(AUX_SIZE):
                aux[j, i] = a[i]


# --- Fixed-step ephemeris: the estimator's dynamics -----------------------------------------------
# Orbit determination needs states at given times on either side of an epoch, many perturbed
# copies of one state moving in lock-step, and the descent of a state to a height: the same
# right-hand side and Runge-Kutta-Nystrom step as above (:func:`_step`, valid for negative steps
# too), with equal steps between consecutive output times and no decay event
# (:mod:`debriscope.propagation.estimator_dynamics`).


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def fixed_step_states(t0, times, states0, cd_am, prm, grid, alt_nodes, alt_lut, gax, step_s, out):
    """States at ``times`` (T,) into ``out`` (T, K, 6) of the rows of ``states0`` (K, 6), row ``k`` at
    epoch ``t0[k]``: from each time to the next, forward or backward, ``ceil(|span| / step_s)``
    equal Runge-Kutta-Nystrom steps (:func:`_step`). A row that turns non-finite is NaN from there.
    """
    P, F = field(prm, grid, alt_nodes, alt_lut, gax)
    for k in range(states0.shape[0]):
        t = t0[k]
        x, y, z = states0[k, 0], states0[k, 1], states0[k, 2]
        vx, vy, vz = states0[k, 3], states0[k, 4], states0[k, 5]
        ax, ay, az, _ = accel_xyz(t, x, y, z, vx, vy, vz, cd_am[k], P, F)
        s = (x, y, z, vx, vy, vz, ax, ay, az)
        ok = True
        for i in range(times.shape[0]):
            span = times[i] - t
            n = int(math.ceil(abs(span) / step_s - 1e-9)) if ok else 0
            for _ in range(n):
                s, height_m = _step(t, span / n, s, cd_am[k], P, F)
                t += span / n
                if not math.isfinite(height_m):
                    ok = False
                    break
            t = times[i]
            for j in range(6):
                out[i, k, j] = s[j] if ok else math.nan


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def descend_to_height(t0, states0, cd_am, prm, grid, alt_nodes, alt_lut, gax, height_m, step_s, n_steps, t_out, x_out):
    """First descent of each row of ``states0`` (K, 6) at ``t0`` through the geodetic ``height_m``
    within ``n_steps`` forward steps of ``step_s``: its time into ``t_out`` (K,) and state into
    ``x_out`` (K, 6) (left as they are for rows that start at or below it or do not cross). The
    crossing is found by bisection on the step's length inside the bracketing step
    (:data:`BISECTIONS` halvings of one step, each a fresh Runge-Kutta-Nystrom step)."""
    P, F = field(prm, grid, alt_nodes, alt_lut, gax)
    for k in range(states0.shape[0]):
        x, y, z = states0[k, 0], states0[k, 1], states0[k, 2]
        vx, vy, vz = states0[k, 3], states0[k, 4], states0[k, 5]
        if not geodetic_sc(x, y, z)[3] > height_m:
            continue
        t = t0
        ax, ay, az, _ = accel_xyz(t, x, y, z, vx, vy, vz, cd_am[k], P, F)
        s = (x, y, z, vx, vy, vz, ax, ay, az)
        for _ in range(n_steps):
            s1, h1 = _step(t, step_s, s, cd_am[k], P, F)
            if not math.isfinite(h1):
                break
            if h1 <= height_m:
                lo, hi = 0.0, step_s
                for _b in range(BISECTIONS):
                    mid = 0.5 * (lo + hi)
                    if _step(t, mid, s, cd_am[k], P, F)[1] <= height_m:
                        hi = mid
                    else:
                        lo = mid
                s1 = _step(t, hi, s, cd_am[k], P, F)[0]
                t_out[k] = t + hi
                for j in range(6):
                    x_out[k, j] = s1[j]
                break
            s = s1
            t += step_s


@nb.njit(cache=True, fastmath=_FM, error_model="numpy")
def accelerations(t, states, cd_am, prm, grid, alt_nodes, alt_lut, gax, out):
    """Accelerations (m/s^2) of the rows of ``states`` (N, 6) at time ``t`` into ``out`` (N, 3)
    (:func:`accel_xyz`)."""
    P, F = field(prm, grid, alt_nodes, alt_lut, gax)
    for k in range(states.shape[0]):
        out[k, 0], out[k, 1], out[k, 2], _ = accel_xyz(t, states[k, 0], states[k, 1], states[k, 2], states[k, 3],
                                                       states[k, 4], states[k, 5], cd_am[k], P, F)
