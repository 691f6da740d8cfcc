"""An orbit from one fence crossing heard by two or more receivers: NAVSPASUR's single-pass orbit.

NAVSPASUR made a single-pass orbit from the position triangulated by two or more receivers and the
velocity from the phase rate on its long-baseline interferometers (NRL Report 5766, 1962, as
summarised in the project's network notes, sec. 1). Here:

1. the position is the least-squares meeting point of the receivers' lines of sight
   (:func:`.origin.measured_position`);
2. the velocity solves the direction cosines' rates, which are linear in it at that position
   (:func:`debriscope.sensors.fence.direction_cosine_rates`:
   ``l' = E^T (I - u u^T)(v - v_s) / rho + u . (omega x E)``, likewise ``m'`` with N), in least
   squares over the receivers;
3. both are refined by weighted least squares on every receiver's angles and rates
   (:func:`debriscope.tracking.lsq.solve`), the rows' time offsets (under
   :data:`.observations.FENCE_CROSSING_S`) bridged by two-body motion (:func:`.kepler.kepler`),
   the variances with the time tags' share (:func:`.measurement.variance`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ...constants import OMEGA_EARTH_RAD_S
from ..lsq import LsqSettings, solve
from .kepler import kepler
from .measurement import predict, residual, variance
from .observations import FENCE, Observations
from .origin import measured_position

_STEPS = np.array([10.0, 10.0, 10.0, 0.01, 0.01, 0.01])
"""Forward-difference steps of the partials, m and m/s."""
_SETTINGS = LsqSettings(max_iterations=8)


def has_rates(obs: Observations, rows: NDArray) -> bool:
    """Whether ``rows`` are a fence crossing heard by two or more receivers that all report rates."""
    return bool(obs.kind[rows[0]] == FENCE and rows.size >= 2 and np.all(np.isfinite(obs.z[2:, rows]))
                and np.all(obs.sigma[2:, rows] > 0))


def crossing_orbit(obs: Observations, rows: NDArray) -> tuple[NDArray, float, NDArray, float] | None:
    """The TEME state (6,) at the crossing's first row time (TT s), its covariance (6, 6) and the
    normalised RMS of the fit; None where the receivers' lines of sight do not meet or the fit
    fails (:func:`has_rates` must hold)."""
    r = measured_position(obs, rows)
    if r is None:
        return None
    t0 = float(obs.t_tt_s[rows[0]])
    v = _velocity(obs, rows, r)
    if v is None:
        return None
    dt = obs.t_tt_s[rows] - t0
    valid = (np.isfinite(obs.z[:, rows]) & (obs.sigma[:, rows] > 0)).T
    kind = obs.kind[rows]

    def linearise(x: NDArray) -> tuple[NDArray, NDArray] | None:
        cols = np.column_stack([x, x[:, None] + np.diag(_STEPS)])  # (6, 7): nominal and perturbed
        xs = kepler(np.repeat(cols, rows.size, axis=1), np.tile(dt, 7))  # column j*k + i: start j, row i
        if not np.all(np.isfinite(xs)):
            return None
        z = predict(xs, obs, np.tile(rows, 7)).reshape(4, 7, rows.size)
        sig = np.sqrt(variance(xs[:, :rows.size], obs, rows).T[valid])
        b = residual(obs.z[:, rows], z[:, 0], kind).T[valid] / sig
        h = np.column_stack([residual(z[:, j + 1], z[:, 0], kind).T[valid] / sig / _STEPS[j] for j in range(6)])
        return b, h

    sol = solve(linearise, np.concatenate([r, v]), settings=_SETTINGS)
    if not (np.isfinite(sol.rms) and np.all(np.isfinite(sol.covariance))):
        return None
    return sol.x, t0, sol.covariance, float(sol.rms)


def _velocity(obs: Observations, rows: NDArray, r: NDArray) -> NDArray | None:
    """Velocity (3,) at position ``r`` from the receivers' rates, in weighted least squares."""
    omega = np.array([0.0, 0.0, OMEGA_EARTH_RAD_S])
    a, b = [], []
    for i in rows:
        rho = r - obs.site_r[:, i]
        rng = np.linalg.norm(rho)
        u = rho / rng
        proj = np.eye(3) - np.outer(u, u)
        for comp, axis in ((2, obs.east[:, i]), (3, obs.north[:, i])):
            row = axis @ proj / rng
            a.append(row / obs.sigma[comp, i])
            b.append((obs.z[comp, i] - u @ np.cross(omega, axis) + row @ obs.site_v[:, i]) / obs.sigma[comp, i])
    sol, _, rank, _ = np.linalg.lstsq(np.array(a), np.array(b), rcond=None)
    return sol if rank == 3 else None
