"""New objects from single uncorrelated passes of a known breakup: the cloud's common origin.

Every fragment of a breakup passed through the parent's position at the event epoch with the
parent's velocity plus its delta-v. A fence crossing or a fan detection alone does not give an
orbit, but with that constraint three unknowns remain (the delta-v vector), which a crossing
heard by two receivers or a fan detection with range and angles determines:

1. a one-dimensional template of the cloud (the parent's state with along-track delta-v from
   ``-max_dv`` to ``+max_dv``) is propagated once with the estimator's force model over the
   first ``max_days``; its positions at the pass time give the candidate delta-v (the revolution
   ambiguity: several local minima of the miss distance);
2. each candidate is refined by Gauss-Newton on the pass's measurements, the residuals from the
   full force model, the partials from the Keplerian transition matrix of the delta-v
   (Montenbruck & Gill 2000, sec. 7.1.2), in lock-step over all candidates of a window (one
   propagation per iteration).

The event epoch and the parent's state are what the analyst of a known event has (event.json);
the fragments' truth is not used. A wrong candidate becomes a tentative object that is not seen
again and is dropped (:class:`.parts.Custody`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ...propagation import ForceModel, propagate
from ...sensors.ephemeris import SampledStates
from .kepler import kepler_stm
from .measurement import partials, residual, variance
from .observations import FENCE, RADAR, Observations


@dataclass(frozen=True)
class Origin:
    """The breakup: epoch (TT s) and the parent's TEME state (6,) there."""

    t_tt_s: float
    state: NDArray


@dataclass(frozen=True)
class OriginInitiation:
    """Parameters of the common-origin initial orbit determination (labelled estimates [E]:
    ``max_dv_mps`` covers the NASA model's explosion fragments above ~5 cm in most draws).
    ``from_fan_detections``: also start objects from single fan detections (off: in a dense cloud
    every fan row became an object that nothing confirmed: 6,887 objects from 7,715 passes in the
    first 6 hours of the dense-collision benchmark)."""

    max_days: float = 1.0
    max_dv_mps: float = 300.0
    template_step_mps: float = 2.0
    template_sample_s: float = 120.0
    max_miss_km: float = 400.0
    max_candidates: int = 2
    max_iterations: int = 6
    max_rms: float = 3.0
    event_sigma_m: float = 5000.0
    from_fan_detections: bool = False


class Template:
    """The along-track delta-v template, sampled at regular times from the event (cubic Hermite
    between samples)."""

    def __init__(self, origin: Origin, params: OriginInitiation, model: ForceModel, am_m2_kg: float) -> None:
        self.origin, self.params = origin, params
        v = origin.state[3:]
        self.along = v / np.linalg.norm(v)
        self.dv = np.arange(-params.max_dv_mps, params.max_dv_mps + 1e-9, params.template_step_mps)
        states = np.repeat(origin.state[:, None], self.dv.size, axis=1)
        states[3:] += self.along[:, None] * self.dv
        self.times = origin.t_tt_s + np.arange(0.0, params.max_days * 86400.0 + 1.0, params.template_sample_s)
        eph = propagate(states, origin.t_tt_s, self.times, np.full(self.dv.size, am_m2_kg), model)
        self.sampled = SampledStates(self.times, eph.states, np.arange(self.dv.size))

    def covers(self, t_tt_s: float) -> bool:
        return self.times[0] <= t_tt_s <= self.times[-1]

    def candidates(self, t_tt_s: float, r_m: NDArray) -> NDArray:
        """Delta-v vectors (3, C) whose template positions at ``t_tt_s`` pass nearest ``r_m`` (3,):
        the local minima of the miss distance below ``max_miss_km``, best first."""
        pos = self.sampled.interpolate(np.full(self.dv.size, t_tt_s), np.arange(self.dv.size))[0]
        miss = np.linalg.norm(pos - r_m[:, None], axis=0)
        inner = (miss[1:-1] <= miss[:-2]) & (miss[1:-1] <= miss[2:]) & (miss[1:-1] < self.params.max_miss_km * 1e3)
        idx = np.flatnonzero(inner) + 1
        idx = idx[np.argsort(miss[idx])][: self.params.max_candidates]
        return self.along[:, None] * self.dv[idx]


def measured_position(obs: Observations, rows: NDArray) -> NDArray | None:
    """A position (3,) from a pass: range along the line of sight of a radar row with range, or
    the least-squares meeting point of two or more fence receivers' lines of sight."""
    from .loop import line_of_sight  # noqa: PLC0415 (loop imports this module)

    los = line_of_sight(obs, rows)
    if obs.kind[rows[0]] == RADAR and np.isfinite(obs.z[0, rows[0]]):
        return obs.site_r[:, rows[0]] + obs.z[0, rows[0]] * los[:, 0]
    if obs.kind[rows[0]] == FENCE and rows.size >= 2:
        a, b = np.zeros((3, 3)), np.zeros(3)
        for i, r in enumerate(rows):
            proj = np.eye(3) - np.outer(los[:, i], los[:, i])
            a += proj
            b += proj @ obs.site_r[:, r]
        if np.linalg.cond(a) > 1e8:
            return None
        return np.linalg.solve(a, b)
    return None


@dataclass
class OriginFit:
    """A converged common-origin fit: the pass, the fragment's state (6,) at ``t1`` and its covariance."""

    pass_index: int
    state: NDArray
    cov: NDArray
    rms: float


def origin_fits(template: Template, obs: Observations, passes: list[tuple[int, NDArray]], model: ForceModel,
                am_m2_kg: float, t1: float) -> list[OriginFit]:
    """Common-origin fits of the passes ``(index, rows)``, carried to ``t1`` (rows before or after)."""
    p = template.params
    o = template.origin
    cands: list[tuple[int, NDArray, NDArray]] = []
    for k, rows in passes:
        r = measured_position(obs, rows)
        if r is None or not template.covers(float(obs.t_tt_s[rows].max())):
            continue
        for dv in template.candidates(float(obs.t_tt_s[rows[0]]), r).T:
            cands.append((k, rows, dv.copy()))
    if not cands:
        return []
    dv = np.array([c[2] for c in cands]).T  # (3, C)
    times = np.unique(np.concatenate([obs.t_tt_s[c[1]] for c in cands] + [[t1]]))
    am = np.full(dv.shape[1], am_m2_kg)
    info = [np.zeros((3, 3)) for _ in cands]
    rms = np.full(len(cands), np.inf)
    for it in range(p.max_iterations):
        x_e = np.repeat(o.state[:, None], dv.shape[1], axis=1)
        x_e[3:] += dv
        eph = propagate(x_e, o.t_tt_s, times, am, model)
        for c, (_, rows, _) in enumerate(cands):
            ti = np.searchsorted(times, obs.t_tt_s[rows])
            xs = eph.states[ti, :, c].T
            if not np.all(np.isfinite(xs)):
                rms[c] = np.inf
                continue
            zhat, jac = partials(xs, obs, rows)
            phi = kepler_stm(np.repeat(x_e[:, [c]], rows.size, axis=1), obs.t_tt_s[rows] - o.t_tt_s, xs)
            valid = np.isfinite(obs.z[:, rows]) & np.isfinite(obs.sigma[:, rows]) & (obs.sigma[:, rows] > 0)
            sig = np.sqrt(variance(xs, obs, rows).T[valid.T])
            h = (jac @ phi[:, :, 3:6])[valid.T] / sig[:, None]
            b = residual(obs.z[:, rows], zhat, obs.kind[rows]).T[valid.T] / sig
            info[c] = h.T @ h
            rms[c] = float(np.sqrt(np.mean(b**2)))
            if it < p.max_iterations - 1:  # the last pass only scores
                dv[:, c] += np.clip(np.linalg.lstsq(h, b, rcond=None)[0], -50.0, 50.0)
    x_e = np.repeat(o.state[:, None], dv.shape[1], axis=1)
    x_e[3:] += dv
    eph = propagate(x_e, o.t_tt_s, [t1], am, model)
    best: dict[int, OriginFit] = {}
    for c, (k, _, _) in enumerate(cands):
        x1 = eph.states[-1, :, c]
        if not (rms[c] <= p.max_rms and np.linalg.norm(dv[:, c]) <= p.max_dv_mps and np.all(np.isfinite(x1))):
            continue
        try:
            cov_dv = np.linalg.inv(info[c])
        except np.linalg.LinAlgError:
            continue
        phi = kepler_stm(x_e[:, [c]], np.array([t1 - o.t_tt_s]), x1.reshape(6, 1))[0]
        cov = phi[:, 3:6] @ cov_dv @ phi[:, 3:6].T + p.event_sigma_m**2 * (phi[:, :3] @ phi[:, :3].T)
        if k not in best or rms[c] < best[k].rms:
            best[k] = OriginFit(k, x1, cov, float(rms[c]))
    return list(best.values())
