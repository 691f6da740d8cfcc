"""Batch weighted least-squares orbit determination from radar measurements.

The differential correction of Vallado 2013, algorithm 65 ("Nonlinear weighted least squares"),
equivalently Tapley, Schutz & Born 2004, *Statistical Orbit Determination*, ch. 4 (batch processor):
``dx = (H^T W H)^-1 H^T W (z - h(x))`` on the epoch state, Gauss-Newton with step halving, the
measurement partials H by forward differences through the propagator (all perturbed copies of the
state propagate as the columns of one array), and the formal covariance ``P = (H^T W H)^-1``: the
least-squares core :func:`debriscope.tracking.lsq.solve` without a priori.
Measurements are range, azimuth, elevation and range rate from one or more radar sites; a
component whose sigma is missing (NaN or infinite) is not used. Dynamics: two-body + J2, drag off,
as is usual over a pass (:data:`debriscope.propagation.estimator_dynamics.PASS_MODEL`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..propagation.estimator_dynamics import PASS_MODEL, PASS_STEP_S, propagate_states
from .iod import fg_series_fit, three_position_state
from .lsq import LsqSettings, forward_differences, solve
from .measurements import Site, SiteGeometry, predict_measurements, radar_to_teme, site_geometry


@dataclass(frozen=True)
class RadarArc:
    """Timed radar measurements of one object from one site.

    ``z`` rows: range_m, azimuth_rad, elevation_rad, range_rate_mps; ``sigma`` the same rows and
    units (NaN or inf: component not measured).
    """

    site: Site
    t_tt_s: NDArray
    z: NDArray
    sigma: NDArray
    geometry: SiteGeometry = field(repr=False, compare=False)

    @classmethod
    def from_columns(
        cls,
        site: Site,
        t_tt_s: ArrayLike,
        range_m: ArrayLike,
        azimuth_deg: ArrayLike,
        elevation_deg: ArrayLike,
        range_rate_mps: ArrayLike,
        sigma_range_m: ArrayLike,
        sigma_azimuth_deg: ArrayLike,
        sigma_elevation_deg: ArrayLike,
        sigma_range_rate_mps: ArrayLike,
    ) -> RadarArc:
        """Build an arc from detection-table columns (degrees at the boundary, radians inside)."""
        t = np.atleast_1d(np.asarray(t_tt_s, dtype=float))
        order = np.argsort(t, kind="stable")

        def col(a: ArrayLike, scale: float = 1.0) -> NDArray:
            return np.broadcast_to(np.asarray(a, dtype=float) * scale, t.shape)[order]

        deg = np.pi / 180.0
        z = np.stack([col(range_m), col(azimuth_deg, deg), col(elevation_deg, deg), col(range_rate_mps)])
        sig = np.stack(
            [col(sigma_range_m), col(sigma_azimuth_deg, deg), col(sigma_elevation_deg, deg), col(sigma_range_rate_mps)]
        )
        return cls(site, t[order], z, sig, site_geometry(site, t[order]))

    def subset(self, index: ArrayLike) -> RadarArc:
        """The arc restricted to some measurements (index or mask, in time order)."""
        idx = np.asarray(index)
        g = self.geometry
        geo = SiteGeometry(g.t_tt_s[idx], *(a[:, idx] for a in g[1:]))
        return RadarArc(self.site, self.t_tt_s[idx], self.z[:, idx], self.sigma[:, idx], geo)

    def positions_teme(self) -> NDArray:
        """Measured positions (3, M) in TEME from range, azimuth and elevation."""
        return radar_to_teme(self.z[0], np.degrees(self.z[1]), np.degrees(self.z[2]), self.geometry)


class OrbitFit(NamedTuple):
    """Result of a batch least-squares fit."""

    epoch_tt_s: float
    state: NDArray
    """(6,) TEME state at the epoch, SI."""
    covariance: NDArray
    """(6, 6) formal covariance (H^T W H)^-1, SI."""
    rms: float
    """Weighted RMS of the normalised residuals (about 1 for a consistent fit)."""
    n_measurements: int
    n_iterations: int
    converged: bool


def _residuals(arcs: Sequence[RadarArc], epoch: float, states: NDArray, step_s: float) -> list[NDArray]:
    """Measurement residuals z - h(x) for each column of ``states (6, K)``: list of (4, M, K)."""
    out = []
    for arc in arcs:  # one propagation per arc; the K columns move together
        prop = propagate_states(states, epoch, arc.t_tt_s, 0.0, PASS_MODEL, step_s=step_s)
        pred = predict_measurements(prop, arc.geometry)
        res = arc.z[:, :, None] - pred
        res[1] = np.mod(res[1] + np.pi, 2.0 * np.pi) - np.pi  # wrap the azimuth residual
        out.append(res)
    return out


def _normalised(arcs: Sequence[RadarArc], states: NDArray, epoch: float, step_s: float) -> NDArray:
    """Residuals divided by their sigmas, used components only: (n_used, K) for states (6, K)."""
    rows = []
    for arc, r in zip(arcs, _residuals(arcs, epoch, states, step_s), strict=True):
        use = np.isfinite(arc.sigma) & (arc.sigma > 0) & np.isfinite(arc.z)
        rows.append((r / np.where(use, arc.sigma, 1.0)[:, :, None])[use])
    return np.concatenate(rows, axis=0)


def initial_state(arcs: Sequence[RadarArc], epoch_tt_s: float, step_s: float = PASS_STEP_S) -> NDArray:
    """Initial orbit from the arcs' positions: Gibbs/Herrick-Gibbs and f-g series candidates.

    Both candidates are moved to ``epoch_tt_s`` and the one with the smaller normalised residual
    RMS is returned, (6,).
    """
    t = np.concatenate([a.t_tt_s for a in arcs])
    r = np.concatenate([a.positions_teme() for a in arcs], axis=1)
    order = np.argsort(t)
    t, r = t[order], r[:, order]
    if t.size < 2 or t[-1] - t[0] <= 0.0:
        raise ValueError("orbit determination needs at least two measurements at distinct times")
    cands = [propagate_states(fg_series_fit(t, r, t0_s=t[0]), t[0], [epoch_tt_s], 0.0, PASS_MODEL, step_s=step_s)[0]]
    if t.size >= 3:
        mid = int(np.argmin(np.abs(t - 0.5 * (t[0] + t[-1]))))
        mid = min(max(mid, 1), t.size - 2)
        t2, x2 = three_position_state(t[[0, mid, -1]], r[:, [0, mid, -1]])
        cands.append(propagate_states(x2, t2, [epoch_tt_s], 0.0, PASS_MODEL, step_s=step_s)[0])
    x = np.stack(cands, axis=1)
    norm = _normalised(arcs, x, epoch_tt_s, step_s)
    cost = np.nansum(norm**2, axis=0)
    return x[:, int(np.nanargmin(np.where(np.isfinite(cost), cost, np.inf)))]


_REL_PERTURBATION = 1e-6
"""Forward-difference step of the partials, relative to |r| (position) and |v| (velocity)."""


def fit_orbit(
    arcs: Sequence[RadarArc],
    epoch_tt_s: float | None = None,
    x0: ArrayLike | None = None,
    *,
    max_iterations: int = 15,
    tolerance: float = 1e-5,
    step_s: float = PASS_STEP_S,
) -> OrbitFit:
    """Batch weighted least squares (Vallado 2013, alg. 65) on radar arcs.

    Parameters
    ----------
    arcs : sequence of RadarArc
        Measurements, one arc per site and pass.
    epoch_tt_s : float, optional
        Epoch of the fitted state; default the time of the last measurement.
    x0 : array_like, optional
        Initial state at the epoch; default :func:`initial_state`.
    max_iterations, tolerance
        Stop when a step lowers the residual RMS by less than the fraction ``tolerance``.

    Returns
    -------
    OrbitFit
    """
    arcs = list(arcs)
    if epoch_tt_s is None:
        epoch_tt_s = float(max(a.t_tt_s.max() for a in arcs))
    x = initial_state(arcs, epoch_tt_s, step_s) if x0 is None else np.asarray(x0, dtype=float).copy()
    scale = np.concatenate([np.full(3, np.linalg.norm(x[:3])), np.full(3, np.linalg.norm(x[3:]))])
    linearise, _ = forward_differences(lambda cols: _normalised(arcs, cols, float(epoch_tt_s), step_s),
                                       _REL_PERTURBATION * scale)
    # the cost is the RMS squared: a relative fall of the RMS by ``tolerance`` is ~2 tolerance of the cost
    settings = LsqSettings(max_iterations=max_iterations, step_control="halving", cost_tolerance=2.0 * tolerance)
    sol = solve(linearise, x, settings=settings)
    return OrbitFit(float(epoch_tt_s), sol.x, sol.covariance, sol.rms, int(sol.residuals.size), sol.n_iterations,
                    sol.converged and np.isfinite(sol.rms))
