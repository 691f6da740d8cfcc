"""Catalog maintenance in time order, as the 1962 centre did it: predict every object held,
associate each pass with the predictions, correct the orbits, start new objects from passes that
match nothing, admit, and drop objects whose custody is lost.

The window-synchronous scheme: every live object is held at a common clock ``T0``; one call of
:func:`debriscope.propagation.propagate` carries all of them to the times of the window's
observations and to its end ``T1``. Passes are gated against all live objects (line-of-sight
pre-screen, then chi-square on the first row's innovation), assigned by global nearest neighbour
per sensor (:func:`scipy.optimize.linear_sum_assignment`), and applied in time order as EKF
corrections ``delta`` at ``T0`` (:mod:`.estimator`). At the window's end a corrected object's
state is its window ephemeris plus ``Phi delta`` (re-propagated from ``T0`` when the correction is
large), and its covariance is carried to ``T1``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from ...frames import ecef_to_geodetic, teme_to_itrf
from ...propagation import ForceModel, limited_threads, propagate
from ...sensors.ephemeris import SampledStates
from ..measurements import Site
from ..od import RadarArc, fit_orbit
from .estimator import (
    EstimatorParameters,
    mahalanobis2,
    process_noise,
    propagate_covariance,
    transition,
    update,
)
from .measurement import partials, residual
from .observations import CAMERA, FENCE, RADAR, Observations, Station
from .origin import Origin, OriginInitiation, Template, origin_fits
from .parts import (
    CATALOGUED,
    DECAYED,
    LOST,
    TENTATIVE,
    Admission,
    Classifier,
    Custody,
    Gate,
    Initiation,
    Tasking,
)

WINDOW_S = 1800.0
"""Length of a maintenance window, s (about a third of a low orbit's period)."""
SAMPLE_S = 60.0
"""Step of the window ephemeris; states between samples are cubic Hermite interpolants
(:class:`debriscope.sensors.ephemeris.SampledStates`: 0.2 m, 1 cm/s in low orbit)."""
MAX_COAST_S = 3 * 3600.0
"""Longest step the covariance is carried in one Keplerian transition when no pass comes, s."""


@dataclass(frozen=True)
class MaintenanceParts:
    """The declared parts of the maintenance loop (:mod:`.parts`, :mod:`.estimator`)."""

    estimator: EstimatorParameters = field(default_factory=EstimatorParameters)
    gate: Gate = field(default_factory=Gate)
    tasking: Tasking = field(default_factory=Tasking)
    initiation: Initiation = field(default_factory=Initiation)
    admission: Admission = field(default_factory=Admission)
    custody: Custody = field(default_factory=Custody)
    classifier: Classifier = field(default_factory=Classifier)
    origin: OriginInitiation = field(default_factory=OriginInitiation)


@dataclass
class ObjectStore:
    """Every object the loop held, one row each (struct of arrays); states at ``epoch_tt_s``."""

    x: NDArray = field(default_factory=lambda: np.zeros((6, 0)))
    ln_b: NDArray = field(default_factory=lambda: np.zeros(0))
    cov: NDArray = field(default_factory=lambda: np.zeros((0, 7, 7)))
    epoch_tt_s: NDArray = field(default_factory=lambda: np.zeros(0))
    status: NDArray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    created_tt_s: NDArray = field(default_factory=lambda: np.zeros(0))
    admitted_tt_s: NDArray = field(default_factory=lambda: np.zeros(0))
    first_obs_tt_s: NDArray = field(default_factory=lambda: np.zeros(0))
    last_obs_tt_s: NDArray = field(default_factory=lambda: np.zeros(0))
    n_passes: NDArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    n_detections: NDArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    decay_tt_s: NDArray = field(default_factory=lambda: np.zeros(0))

    @property
    def size(self) -> int:
        return int(self.ln_b.size)

    def add(self, x: NDArray, ln_b: float, cov: NDArray, epoch: float, t_obs: float, n_det: int) -> int:
        """Append a tentative object; returns its index."""
        self.x = np.concatenate([self.x, x.reshape(6, 1)], axis=1)
        self.ln_b = np.append(self.ln_b, ln_b)
        self.cov = np.concatenate([self.cov, cov[None]], axis=0)
        self.epoch_tt_s = np.append(self.epoch_tt_s, epoch)
        self.status = np.append(self.status, np.int8(TENTATIVE))
        self.created_tt_s = np.append(self.created_tt_s, t_obs)
        self.admitted_tt_s = np.append(self.admitted_tt_s, np.nan)
        self.first_obs_tt_s = np.append(self.first_obs_tt_s, t_obs)
        self.last_obs_tt_s = np.append(self.last_obs_tt_s, t_obs)
        self.n_passes = np.append(self.n_passes, 1)
        self.n_detections = np.append(self.n_detections, n_det)
        self.decay_tt_s = np.append(self.decay_tt_s, np.nan)
        return self.size - 1

    def live(self) -> NDArray:
        return np.flatnonzero((self.status == TENTATIVE) | (self.status == CATALOGUED))

    def sigma_pos_m(self, idx: NDArray | None = None) -> NDArray:
        c = self.cov if idx is None else self.cov[idx]
        return np.sqrt(np.trace(c[:, :3, :3], axis1=1, axis2=2))


@dataclass
class MaintenanceResult:
    """The objects held and, per observation row (``Observations`` order), its object (-1: none)."""

    objects: ObjectStore
    object_of_row: NDArray
    n_windows: int


def line_of_sight(obs: Observations, rows: NDArray) -> NDArray:
    """Measured unit lines of sight (3, K) of the rows, in TEME."""
    z = obs.z[:, rows]
    kind = obs.kind[rows]
    out = np.empty((3, rows.size))
    r, f, c = kind == RADAR, kind == FENCE, kind == CAMERA
    ce = np.cos(z[2, r])
    out[:, r] = (ce * np.sin(z[1, r]) * obs.east[:, rows[r]] + ce * np.cos(z[1, r]) * obs.north[:, rows[r]]
                 + np.sin(z[2, r]) * obs.up[:, rows[r]])
    up = np.sqrt(np.clip(1.0 - z[0, f] ** 2 - z[1, f] ** 2, 0.0, 1.0))
    out[:, f] = z[0, f] * obs.east[:, rows[f]] + z[1, f] * obs.north[:, rows[f]] + up * obs.up[:, rows[f]]
    out[:, c] = np.stack([np.cos(z[1, c]) * np.cos(z[0, c]), np.cos(z[1, c]) * np.sin(z[0, c]), np.sin(z[1, c])])
    return out


def angular_sigma_rad(obs: Observations, rows: NDArray) -> NDArray:
    """A row's angular measurement sigma (rad): the larger radar angle sigma, the fence's direction
    cosine sigma, the camera's angle sigma."""
    s = obs.sigma[:, rows]
    return np.where(obs.kind[rows] == RADAR, np.fmax(s[1], s[2]), s[0])


def drag_acceleration(model: ForceModel, t_tt_s: float, states: NDArray, ln_b: NDArray) -> NDArray:
    """Drag acceleration (3, N) of the estimator's model at ``t_tt_s`` (co-rotating atmosphere)."""
    out = np.zeros((3, states.shape[1]))
    if not model.drag or states.shape[1] == 0:
        return out
    lat, lon, alt = ecef_to_geodetic(teme_to_itrf(states[:3], None, t_tt_s)[0])
    rho = model.atmosphere.density_kg_m3(t_tt_s, alt / 1e3, np.degrees(lat), np.degrees(lon))
    omega = np.array([0.0, 0.0, 7.292115e-5])
    v_rel = states[3:] - np.cross(omega, states[:3], axis=0)
    speed = np.linalg.norm(v_rel, axis=0)
    return -0.5 * rho * np.exp(ln_b) * speed * v_rel  # B = C_D A / m


def _valid_components(obs: Observations, rows: NDArray) -> NDArray:
    return np.isfinite(obs.z[:, rows]) & np.isfinite(obs.sigma[:, rows]) & (obs.sigma[:, rows] > 0)


def maintain(obs: Observations, model: ForceModel, parts: MaintenanceParts, stations: Mapping[str, Station],
             half_beam_rad: Mapping[str, float] | None = None, origin: Origin | None = None,
             progress: Callable[[float], None] | None = None) -> MaintenanceResult:
    """Run the maintenance loop over all observations (time-ordered :class:`Observations`).

    ``origin``: the breakup's epoch and parent state, for new objects from single fence crossings
    and fan detections (:mod:`.origin`); None: only tracker passes start objects.
    """
    with limited_threads(1):  # many small propagations: one thread (propagation.limited_threads)
        return _maintain(obs, model, parts, stations, half_beam_rad or {}, origin, progress)


def _maintain(obs: Observations, model: ForceModel, parts: MaintenanceParts, stations: Mapping[str, Station],
              half_beam_rad: Mapping[str, float], origin: Origin | None,
              progress: Callable[[float], None] | None) -> MaintenanceResult:
    template = (Template(origin, parts.origin, model, parts.estimator.b_prior_m2_kg / model.cd)
                if origin is not None and parts.origin.max_days > 0 else None)
    store = ObjectStore()
    obj_row = np.full(obs.size, -1, dtype=np.int64)
    if obs.size == 0:
        return MaintenanceResult(store, obj_row, 0)
    order = np.argsort(obs.pass_id, kind="stable")
    bounds = np.flatnonzero(np.diff(obs.pass_id[order])) + 1
    pass_rows = np.split(order, bounds)
    first_t = np.array([obs.t_tt_s[r[0]] for r in pass_rows])
    clock, p, n_windows = float(first_t[0]), 0, 0
    while p < len(pass_rows):
        live = store.live()
        if live.size == 0 or first_t[p] >= clock + WINDOW_S:
            t_next = float(first_t[p]) if live.size == 0 else min(float(first_t[p]), clock + MAX_COAST_S)
            if live.size:
                _coast(store, live, model, parts, clock, t_next)
            clock = max(clock, t_next)
            if first_t[p] >= clock + WINDOW_S:
                continue
        q = int(np.searchsorted(first_t, clock + WINDOW_S, side="left"))
        q = max(q, p + 1)
        window = list(range(p, q))
        _window(store, obj_row, obs, pass_rows, window, model, parts, stations, half_beam_rad, clock, template)
        clock += WINDOW_S
        p = q
        n_windows += 1
        if progress is not None:
            progress(clock)
    return MaintenanceResult(store, obj_row, n_windows)


def _coast(store: ObjectStore, live: NDArray, model: ForceModel, parts: MaintenanceParts, t0: float, t1: float) -> None:
    """Carry the live objects from ``t0`` to ``t1`` without observations."""
    eph = propagate(store.x[:, live], t0, [t1], np.exp(store.ln_b[live]) / model.cd, model)
    _finish(store, live, eph.states[-1], eph.decay_tt_s, model, parts, t0, t1, store.x[:, live])


def _finish(store: ObjectStore, idx: NDArray, x1: NDArray, decay: NDArray, model: ForceModel,
            parts: MaintenanceParts, t0: float, t1: float, x0: NDArray) -> None:
    """New states at ``t1``, covariances carried from ``t0``, decays, custody and admission."""
    dt = np.full(idx.size, t1 - t0)
    phi = transition(x0, drag_acceleration(model, t0, x0, store.ln_b[idx]), dt)
    store.cov[idx] = propagate_covariance(store.cov[idx], phi, process_noise(parts.estimator, dt))
    store.x[:, idx] = x1
    store.epoch_tt_s[idx] = t1
    gone = ~np.all(np.isfinite(x1), axis=0)
    store.status[idx[gone]] = DECAYED
    store.decay_tt_s[idx[gone]] = decay[gone]
    sig = store.sigma_pos_m(idx)
    lost = parts.custody.lost(store.status[idx], t1 - store.last_obs_tt_s[idx], sig)
    store.status[idx[lost]] = LOST
    tent = idx[store.status[idx] == TENTATIVE]
    ok = parts.admission.admits(store.n_passes[tent], store.last_obs_tt_s[tent] - store.first_obs_tt_s[tent],
                                store.sigma_pos_m(tent))
    store.status[tent[ok]] = CATALOGUED
    store.admitted_tt_s[tent[ok]] = t1


def _window(store: ObjectStore, obj_row: NDArray, obs: Observations, pass_rows: list[NDArray], window: list[int],
            model: ForceModel, parts: MaintenanceParts, stations: Mapping[str, Station],
            half_beam: Mapping[str, float], t0: float, template: Template | None) -> None:
    """One window: predict, gate, assign, update, initiate, carry to the window's end."""
    live = store.live()
    rows_all = np.concatenate([pass_rows[k] for k in window])
    t1 = t0 + WINDOW_S  # rows of a pass running past t1 are predicted from the same ephemeris
    n_step = int(np.ceil((max(float(obs.t_tt_s[rows_all].max()), t1) - t0) / SAMPLE_S))
    times = t0 + SAMPLE_S * np.arange(n_step + 1)
    i1 = int(round(WINDOW_S / SAMPLE_S))
    assigned: dict[int, int] = {}
    if live.size:
        eph = propagate(store.x[:, live], t0, times, np.exp(store.ln_b[live]) / model.cd, model)
        sampled = SampledStates(times, eph.states, live)
        x0 = store.x[:, live].copy()
        a_drag = drag_acceleration(model, t0, x0, store.ln_b[live])
        assigned = _associate(store, obs, pass_rows, window, live, sampled, x0, a_drag, parts, half_beam, t0)
        deltas: dict[int, NDArray] = {}
        covs: dict[int, NDArray] = {}
        for k in window:  # time order
            j = assigned.get(k)
            if j is None or j < 0:
                continue
            rows = pass_rows[k]
            d = deltas.get(j, np.zeros(7))
            c = covs.get(j, store.cov[live[j]])
            deltas[j], covs[j] = _update_pass(obs, rows, sampled, j, x0[:, j], a_drag[:, j], d, c, t0)
            o = live[j]
            obj_row[obs.row[rows]] = o
            store.n_passes[o] += 1
            store.n_detections[o] += rows.size
            store.last_obs_tt_s[o] = max(store.last_obs_tt_s[o], float(obs.t_tt_s[rows].max()))
        x1 = eph.states[i1].copy()
        big = []
        for j, d in deltas.items():
            store.cov[live[j]] = covs[j]
            store.ln_b[live[j]] += d[6]
            if np.linalg.norm(d[:3]) > parts.estimator.relinearise_m:
                big.append(j)
            else:
                phi = transition(x0[:, [j]], a_drag[:, [j]], np.array([t1 - t0]))[0]
                x1[:, j] = x1[:, j] + phi[:6] @ d
        x_start = x0.copy()
        for j, d in deltas.items():
            x_start[:, j] = x0[:, j] + d[:6]
        if big:
            b = np.array(big)
            eb = propagate(x_start[:, b], t0, [t1], np.exp(store.ln_b[live[b]]) / model.cd, model)
            x1[:, b] = eb.states[-1]
        decay = np.where(np.isfinite(x1[0]), np.nan, eph.decay_tt_s)
        _finish(store, live, x1, decay, model, parts, t0, t1, x_start)
    single = []
    for k in window:
        rows = pass_rows[k]
        if k in assigned or obs.needs_prediction[rows[0]]:
            continue
        if obs.kind[rows[0]] == RADAR and rows.size >= parts.initiation.min_detections:
            _initiate(store, obj_row, obs, rows, model, parts, stations, t1)
        elif template is not None:
            single.append((k, rows))
    if single:
        _initiate_from_origin(store, obj_row, obs, pass_rows, single, template, model, parts, t1)


def _initiate_from_origin(store: ObjectStore, obj_row: NDArray, obs: Observations, pass_rows: list[NDArray],
                          single: list[tuple[int, NDArray]], template: Template, model: ForceModel,
                          parts: MaintenanceParts, t1: float) -> None:
    """New tentative objects from uncorrelated fence crossings and fan detections (:mod:`.origin`)."""
    est = parts.estimator
    ln_b = float(np.log(est.b_prior_m2_kg))
    for fit in origin_fits(template, obs, single, model, np.exp(ln_b) / model.cd, t1):
        rows = pass_rows[fit.pass_index]
        cov = np.zeros((7, 7))
        cov[:6, :6] = fit.cov
        cov[6, 6] = est.ln_b_prior_sigma**2
        o = store.add(fit.state, ln_b, cov, t1, float(obs.t_tt_s[rows].max()), rows.size)
        store.first_obs_tt_s[o] = float(obs.t_tt_s[rows].min())
        obj_row[obs.row[rows]] = o


def _at(sampled: SampledStates, t: NDArray, col: NDArray) -> NDArray:
    """Window states (6, M) of live-object columns ``col`` at times ``t`` (cubic Hermite)."""
    r, v = sampled.interpolate(t, col)
    return np.concatenate([r, v])


def _associate(store: ObjectStore, obs: Observations, pass_rows: list[NDArray], window: list[int], live: NDArray,
               sampled: SampledStates, x0: NDArray, a_drag: NDArray, parts: MaintenanceParts,
               half_beam: Mapping[str, float], t0: float) -> dict[int, int]:
    """Pass -> live-object column, by gate and global nearest neighbour per sensor; -1 for an
    ambiguous pass (two objects within ``Gate.ambiguity_margin`` of each other), which is neither
    associated nor starts an object."""
    firsts = np.array([pass_rows[k][0] for k in window])
    n_l = live.size
    pos = _at(sampled, np.repeat(obs.t_tt_s[firsts], n_l), np.tile(np.arange(n_l), firsts.size))[:3]
    pos = pos.reshape(3, firsts.size, n_l).transpose(1, 0, 2)  # (P, 3, L)
    rho = pos - obs.site_r[:, firsts].T[:, :, None]
    rng = np.linalg.norm(rho, axis=1)
    los_pred = rho / rng[:, None, :]
    los = line_of_sight(obs, firsts)
    angle = np.arccos(np.clip(np.einsum("pil,ip->pl", los_pred, los), -1.0, 1.0))
    dt = obs.t_tt_s[firsts] - t0
    cov = store.cov[live]
    sig_pos = np.sqrt(np.trace(cov[:, :3, :3], axis1=1, axis2=2))[None, :] + np.sqrt(
        np.trace(cov[:, 3:6, 3:6], axis1=1, axis2=2))[None, :] * dt[:, None]
    ang_sig = sig_pos / rng + angular_sigma_rad(obs, firsts)[:, None]
    need = obs.needs_prediction[firsts]
    beam = np.array([half_beam.get(str(obs.sensor[r]), parts.tasking.radar_half_beam_rad if obs.kind[r] == RADAR
                                   else parts.tasking.camera_half_field_rad) for r in firsts])
    single = np.array([pass_rows[k].size == 1 for k in window])[:, None] & ~need[:, None]
    cand = np.where(need[:, None], (angle < beam[:, None]) & (3.0 * sig_pos / rng < 3.0 * beam[:, None]),
                    (angle < parts.gate.coarse_sigma * ang_sig)
                    & ~(single & (sig_pos > parts.gate.single_row_max_sigma_km * 1e3)))
    pi, lj = np.nonzero(cand)
    if pi.size == 0:
        return {}
    rows = firsts[pi]
    phi = transition(x0[:, lj], a_drag[:, lj], obs.t_tt_s[rows] - t0)
    xs = _at(sampled, obs.t_tt_s[rows], lj)  # (6, K)
    zhat, jac = partials(xs, obs, rows)
    inn = residual(obs.z[:, rows], zhat, obs.kind[rows]).T  # (K, 4)
    valid = _valid_components(obs, rows).T
    h = jac @ phi[:, :6, :]  # (K, 4, 7)
    var = np.where(valid, obs.sigma[:, rows].T ** 2, 1.0)
    inn = np.where(valid, inn, 0.0)
    h = np.where(valid[:, :, None], h, 0.0)
    d2 = mahalanobis2(inn, h, cov[lj], var)
    ok = d2 <= parts.gate.threshold(valid.sum(axis=1))
    for c in np.flatnonzero(ok):  # passes of several rows: the gate on all of them
        rows_c = pass_rows[window[pi[c]]]
        if rows_c.size > 1:
            i_c, h_c, v_c = _pass_model(obs, rows_c, sampled, int(lj[c]), x0[:, lj[c]], a_drag[:, lj[c]], np.zeros(7), t0)
            d2[c] = mahalanobis2(i_c[None], h_c[None], cov[lj[c]][None], v_c[None])[0]
            ok[c] = d2[c] <= parts.gate.threshold(np.array([i_c.size]))[0]
    ambiguous = np.zeros(len(window), dtype=bool)
    for p_ in np.unique(pi[ok]):  # a pass that two objects explain about as well is left alone
        d_sorted = np.sort(d2[ok & (pi == p_)])
        ambiguous[p_] = d_sorted.size > 1 and d_sorted[1] - d_sorted[0] < parts.gate.ambiguity_margin
    ok &= ~ambiguous[pi]
    out: dict[int, int] = {window[p_]: -1 for p_ in np.flatnonzero(ambiguous)}
    sensors = obs.sensor[firsts]
    for s in np.unique(sensors[pi[ok]]):
        sel = ok & (sensors[pi] == s)
        ps, ls = np.unique(pi[sel]), np.unique(lj[sel])
        cost = np.full((ps.size, ls.size), 1e12)
        cost[np.searchsorted(ps, pi[sel]), np.searchsorted(ls, lj[sel])] = d2[sel]
        r_idx, c_idx = linear_sum_assignment(cost)
        for a, b in zip(r_idx, c_idx, strict=True):
            if cost[a, b] < 1e12:
                out[window[ps[a]]] = int(ls[b])
    return out


def _pass_model(obs: Observations, rows: NDArray, sampled: SampledStates, col: int, x0: NDArray, a_drag: NDArray,
                delta: NDArray, t0: float) -> tuple[NDArray, NDArray, NDArray]:
    """Innovations (m,), partials (m, 7) wrt the correction at ``t0`` and variances (m,) of the
    measured components of one pass's rows, predicted from the window ephemeris plus ``Phi delta``."""
    k = rows.size
    phi = transition(np.repeat(x0[:, None], k, axis=1), np.repeat(a_drag[:, None], k, axis=1), obs.t_tt_s[rows] - t0)
    xs = _at(sampled, obs.t_tt_s[rows], np.full(k, col)) + np.einsum("kij,j->ik", phi[:, :6, :], delta)
    zhat, jac = partials(xs, obs, rows)
    v = _valid_components(obs, rows).T
    inn = residual(obs.z[:, rows], zhat, obs.kind[rows]).T
    h = jac @ phi[:, :6, :]  # (k, 4, 7)
    return inn[v], h[v], obs.sigma[:, rows].T[v] ** 2


def _update_pass(obs: Observations, rows: NDArray, sampled: SampledStates, col: int, x0: NDArray,
                 a_drag: NDArray, delta: NDArray, cov: NDArray, t0: float) -> tuple[NDArray, NDArray]:
    """EKF update of one object's correction ``delta`` at ``t0`` with all rows of one pass."""
    inn, h, var = _pass_model(obs, rows, sampled, col, x0, a_drag, delta, t0)
    return update(delta, cov, inn, h, var)


def _initiate(store: ObjectStore, obj_row: NDArray, obs: Observations, rows: NDArray, model: ForceModel,
              parts: MaintenanceParts, stations: Mapping[str, Station], t1: float) -> None:
    """A new tentative object from an uncorrelated tracker pass (single-pass least squares)."""
    ini = parts.initiation
    if obs.kind[rows[0]] != RADAR or obs.needs_prediction[rows[0]] or rows.size < ini.min_detections:
        return
    if not np.all(np.isfinite(obs.z[:, rows])):
        return
    st = stations[str(obs.sensor[rows[0]])]
    site = Site(str(obs.sensor[rows[0]]), st.latitude_deg, st.longitude_deg, st.altitude_m)
    z, s = obs.z[:, rows], obs.sigma[:, rows]
    deg = 180.0 / np.pi
    arc = RadarArc.from_columns(site, obs.t_tt_s[rows], z[0], z[1] * deg, z[2] * deg, z[3], s[0], s[1] * deg,
                                s[2] * deg, s[3])
    try:
        fit = fit_orbit([arc], epoch_tt_s=min(float(obs.t_tt_s[rows].max()), t1))
    except (np.linalg.LinAlgError, ValueError):
        return
    if not (fit.converged and fit.rms <= ini.max_rms and np.all(np.isfinite(fit.covariance))):
        return
    hp = parts.classifier.classify(fit.state.reshape(6, 1))
    if hp[0] != "orbital":
        return
    est = parts.estimator
    cov = np.zeros((7, 7))
    cov[:6, :6] = fit.covariance * max(fit.rms, 1.0) ** 2
    cov[6, 6] = est.ln_b_prior_sigma**2
    ln_b = float(np.log(est.b_prior_m2_kg))
    eph = propagate(fit.state.reshape(6, 1), fit.epoch_tt_s, [t1], [np.exp(ln_b) / model.cd], model)  # epoch <= t1
    if not np.all(np.isfinite(eph.states[-1])):
        return
    o = store.add(eph.states[-1][:, 0], ln_b, cov, t1, float(obs.t_tt_s[rows].max()), rows.size)
    store.first_obs_tt_s[o] = float(obs.t_tt_s[rows].min())
    dt = np.array([t1 - fit.epoch_tt_s])
    x_e = fit.state.reshape(6, 1)
    phi = transition(x_e, drag_acceleration(model, fit.epoch_tt_s, x_e, np.array([ln_b])), dt)
    store.cov[o] = propagate_covariance(cov[None], phi, process_noise(est, dt))[0]
    obj_row[obs.row[rows]] = o
