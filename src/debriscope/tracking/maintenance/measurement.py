"""Predicted measurements of every kind and their partials, vectorised over rows.

Radar: range, azimuth, elevation, range rate from the site (Vallado 2013, alg. 27 "RAZEL", in
east/north/up axes; range rate seen from the rotating Earth). Fence: the east and north direction
cosines of the line of sight at the receiver (NRL Report 5766's interferometer angles) and their
rates (its phase rates; :func:`debriscope.sensors.fence.direction_cosine_rates`). Camera:
topocentric right ascension and declination in TEME axes. The same conventions as the sensors
stage's forward models, so the estimator inverts what was measured.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ...sensors.fence import direction_cosine_rates
from ...sensors.geometry import SiteTeme
from .observations import CAMERA, FENCE, RADAR, Observations

ANGLE_COMPONENT = ((RADAR, 1), (CAMERA, 0))
"""(kind, component) pairs that are angles wrapped at 2 pi (azimuth, right ascension)."""
_DX = np.array([1.0, 1.0, 1.0, 1e-3, 1e-3, 1e-3])
"""Finite-difference steps of the state partials: m and m/s (h is smooth on these scales)."""


def predict(states: NDArray, obs: Observations, rows: NDArray) -> NDArray:
    """Predicted ``z`` (4, K) of TEME states (6, K) at the observation rows ``rows`` (K,)."""
    rho = states[:3] - obs.site_r[:, rows]
    rng = np.sqrt(np.einsum("ik,ik->k", rho, rho))
    u = rho / rng
    e = np.einsum("ik,ik->k", u, obs.east[:, rows])
    n = np.einsum("ik,ik->k", u, obs.north[:, rows])
    up = np.einsum("ik,ik->k", u, obs.up[:, rows])
    out = np.full((4, rows.size), np.nan)
    kind = obs.kind[rows]
    r, f, c = kind == RADAR, kind == FENCE, kind == CAMERA
    if r.any():
        drho = states[3:, r] - obs.site_v[:, rows[r]]
        out[0, r] = rng[r]
        out[1, r] = np.mod(np.arctan2(e[r], n[r]), 2.0 * np.pi)
        out[2, r] = np.arcsin(np.clip(up[r], -1.0, 1.0))
        out[3, r] = np.einsum("ik,ik->k", u[:, r], drho)
    out[0, f], out[1, f] = e[f], n[f]
    if f.any():  # the rates, by the sensors' own forward model
        rf = rows[f]
        site = SiteTeme(obs.site_r[:, rf], obs.site_v[:, rf], obs.east[:, rf], obs.north[:, rf], obs.up[:, rf])
        out[2, f], out[3, f] = direction_cosine_rates(site, states[:3, f], states[3:, f])
    if c.any():
        out[0, c] = np.mod(np.arctan2(u[1, c], u[0, c]), 2.0 * np.pi)
        out[1, c] = np.arcsin(np.clip(u[2, c], -1.0, 1.0))
    return out


def residual(z: NDArray, zhat: NDArray, kind: NDArray) -> NDArray:
    """``z - zhat`` (4, K) with azimuth and right ascension wrapped into (-pi, pi]."""
    d = z - zhat
    for k, comp in ANGLE_COMPONENT:
        sel = kind == k
        d[comp, sel] = np.mod(d[comp, sel] + np.pi, 2.0 * np.pi) - np.pi
    return d


def partials(states: NDArray, obs: Observations, rows: NDArray) -> tuple[NDArray, NDArray]:
    """Predicted ``z`` (4, K) and ``dz/dx`` (K, 4, 6) by forward differences."""
    k = rows.size  # the nominal and the six perturbed states predicted in one call
    x = np.repeat(states[:, None, :], 7, axis=1)  # (6, 7, K)
    x[np.arange(6), np.arange(1, 7)] += _DX[:, None]
    z = predict(x.reshape(6, 7 * k), obs, np.tile(rows, 7)).reshape(4, 7, k)
    z0 = z[:, 0]
    d = residual(z[:, 1:].reshape(4, 6 * k), np.tile(z0, 6), np.tile(obs.kind[rows], 6)).reshape(4, 6, k)
    return z0, np.transpose(d / _DX[None, :, None], (2, 0, 1))


_DT_S = 0.01
"""Time step of the measurement rate in :func:`variance`, s."""


def variance(states: NDArray, obs: Observations, rows: NDArray) -> NDArray:
    """Variances (4, K) of the rows' measurements: the sensor's sigma squared plus the effect of
    its time-tag error, ``(dz/dt sigma_t)^2``, with ``dz/dt`` the rate of the predicted
    measurement from the states' motion relative to the site (TEME states (6, K); the turn of the
    site's axes, ~7e-5 rad/s, is neglected). An error in a time tag enters the measurement as that
    rate times the error (the consider-parameter view of Tapley, Schutz & Born 2004, sec. 6.3). A
    fence receiver's crossing time is known to ~0.1 s, in which the object moves ~0.8 km across
    its line of sight: often more than the interferometer's angle error."""
    var = obs.sigma[:, rows] ** 2
    timed = obs.sigma_t[rows] > 0.0
    if timed.any():
        x = states[:, timed]
        r = rows[timed]
        ahead = np.vstack([x[:3] + _DT_S * (x[3:] - obs.site_v[:, r]), x[3:]])
        rate = residual(predict(ahead, obs, r), predict(x, obs, r), obs.kind[r]) / _DT_S
        var[:, timed] += (rate * obs.sigma_t[r]) ** 2
    return var
