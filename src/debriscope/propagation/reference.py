"""Reference mode: SciPy DOP853 at tight tolerance with the atmosphere model at every call.

One object at a time: ``scipy.integrate.solve_ivp(method="DOP853", rtol=model.rtol (1e-10),
atol=1e-4 m, 1e-7 m/s)`` (Hairer, Norsett & Wanner 1993, sec. II.10), the right-hand side being
the same EGM96 zonal gravity as the fast kernel plus drag with density from the model itself
(e.g. :class:`Nrlmsis`, one ``pymsis`` call per evaluation), at the exact WGS-84 geodetic
position (ERFA ``gc2gd``). Decay is a terminal event on the geodetic height, located by SciPy's
root finder on the dense output. Slow (seconds per object-day): for validation and benchmarks.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from ..constants import OMEGA_EARTH_RAD_S
from ..frames import ecef_to_geodetic
from . import kernels
from .forces import ForceModel
from .results import Status

_ATOL = np.array([1e-4] * 3 + [1e-7] * 3)


def _rot_z(theta: float, r: NDArray) -> NDArray:
    c, s = np.cos(theta), np.sin(theta)
    return np.array([c * r[0] + s * r[1], -s * r[0] + c * r[1], r[2]])


def _geodetic(model: ForceModel, t: float, r: NDArray) -> tuple[float, float, float]:
    """(height m, lat deg, lon deg) of a TEME position, Earth turned by the model's angle."""
    lat, lon, h = ecef_to_geodetic(_rot_z(float(model.earth_angle_rad(t)), r).reshape(3, 1))
    return float(np.ravel(h)[0]), float(np.degrees(np.ravel(lat)[0])), float(np.degrees(np.ravel(lon)[0]))


def _rhs_factory(model: ForceModel, cd_am: float):
    gravity_prm = model.kernel_params()
    gravity_prm[kernels.P_DRAG] = 0.0  # gravity only from the kernel; drag below
    dummy_grid, dummy_alt, dummy_ax = np.zeros((1, 2, 2, 2)), np.array([0.0, 1.0]), np.ones(3)
    dummy_lut = kernels.altitude_lut(dummy_alt)
    acc = np.empty(3)

    def rhs(t: float, y: NDArray) -> NDArray:
        kernels.acceleration(t, y, acc, 0.0, gravity_prm, dummy_grid, dummy_alt, dummy_lut, dummy_ax)
        a = acc.copy()
        if model.drag:
            h, lat, lon = _geodetic(model, t, y[:3])
            rho = float(model.atmosphere.density_kg_m3(t, h * 1e-3, lat, lon)[0])
            v_rel = y[3:] - np.cross([0.0, 0.0, OMEGA_EARTH_RAD_S], y[:3])  # Vallado 2013 eq. 8-29
            a += -0.5 * cd_am * rho * np.linalg.norm(v_rel) * v_rel
        return np.concatenate([y[3:], a])

    return rhs


def _integrate_one(model: ForceModel, y0: NDArray, t0: float, t1: float, cd_am: float,
                   t_eval: NDArray | None) -> tuple[int, float, NDArray | None]:
    rhs = _rhs_factory(model, cd_am)

    def decay_event(t: float, y: NDArray) -> float:
        return _geodetic(model, t, y[:3])[0] - model.decay_altitude_m

    decay_event.terminal = True
    decay_event.direction = -1
    sol = solve_ivp(rhs, (t0, t1), y0, method="DOP853", rtol=model.rtol, atol=_ATOL,
                    events=decay_event, t_eval=t_eval, dense_output=False)
    ys = sol.y if t_eval is not None else None
    if sol.status == 1 and sol.t_events[0].size:
        return int(Status.DECAYED), float(sol.t_events[0][0]), ys
    if sol.status != 0 or not np.all(np.isfinite(sol.y[:, -1])):
        return int(Status.FAILED), np.nan, ys
    return int(Status.OK), np.nan, ys


def propagate_reference(state0_teme: NDArray, t0_tt_s: float, times_tt_s: NDArray, am_m2_kg: NDArray,
                        model: ForceModel) -> tuple[NDArray, NDArray, NDArray]:
    """States (T, 6, N), status and decay epochs, one object at a time."""
    n = state0_teme.shape[1]
    out = np.full((len(times_tt_s), 6, n), np.nan)
    status = np.zeros(n, dtype=np.int64)
    decay_t = np.full(n, np.nan)
    cd = model.cd if model.drag else 0.0
    for j in range(n):
        t_end = float(times_tt_s[-1])
        if t_end <= t0_tt_s:
            out[:, :, j] = state0_teme[:, j]
            continue
        st, td, ys = _integrate_one(model, state0_teme[:, j].astype(float), t0_tt_s, t_end,
                                    cd * am_m2_kg[j], np.asarray(times_tt_s, dtype=float))
        status[j], decay_t[j] = st, td
        out[: ys.shape[1], :, j] = ys.T
    return out, status, decay_t


def predict_decay_reference(state0_teme: NDArray, t0_tt_s: float, am_m2_kg: NDArray, model: ForceModel,
                            max_days: float) -> tuple[NDArray, NDArray]:
    """Decay epochs and status codes, one object at a time."""
    n = state0_teme.shape[1]
    status = np.zeros(n, dtype=np.int64)
    decay_t = np.full(n, np.nan)
    cd = model.cd if model.drag else 0.0
    for j in range(n):
        status[j], decay_t[j], _ = _integrate_one(
            model, state0_teme[:, j].astype(float), t0_tt_s, t0_tt_s + max_days * 86400.0,
            cd * am_m2_kg[j], None)
    return decay_t, status
