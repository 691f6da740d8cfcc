"""Catalog maintenance in time order, as the 1962 centre did it: predict every object held,
associate each pass with the predictions, correct the orbits, start new objects from passes that
match nothing, admit, and drop objects whose custody is lost.

The window-synchronous scheme: every live object is held at a common clock ``T0``; one call of
:func:`states_at` (the estimator dynamics of the propagation package) carries all of them to the times of the window's
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
from scipy.stats import chi2

from ...constants import MU_EARTH_M3_S2, WGS84_B_M
from ...propagation import ForceModel, limited_threads
from ...propagation.estimator_dynamics import propagate_states
from ...sensors.ephemeris import SampledStates
from ..lsq import APriori, LsqSettings, solve
from ..measurements import Site
from ..od import RadarArc, fit_orbit
from .crossing import crossing_orbit, has_rates
from .estimator import (
    EstimatorParameters,
    grouped_mahalanobis2,
    mahalanobis2,
    process_noise,
    propagate_covariance,
    transition,
    update,
)
from .kepler import element_jacobian, to_equinoctial
from .measurement import partials, predict, residual, variance
from .observations import CAMERA, FENCE, RADAR, Observations, Station
from .origin import Origin, OriginInitiation, Template, origin_fits
from .parts import (
    CATALOGUED,
    DECAYED,
    LOST,
    MERGED,
    TENTATIVE,
    Admission,
    Classifier,
    Correlation,
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


BATCH_COST_TOLERANCE = 1e-3
"""A batch re-fit stops when a Gauss-Newton step lowers its cost by less than this fraction (the
estimate then moves by far less than its own uncertainty)."""
FILTER_MIN_PASSES = 2
FILTER_MAX_DRAG_2ND_ORDER_M = 50.0
"""A tentative object whose batch fit holds at least :data:`FILTER_MIN_PASSES` passes takes a further
pass by the filter's update, not a batch re-fit, when the drag is linear enough in ln B and the
update is linear and leaves the pass's residuals inside the chi-square quantile
``Initiation.refit_probability`` (:func:`_update_pass`). Drag goes as B = exp(ln B),
so the second-order term of a position in ln B is about (sigma_lnB^2 / 2) |d r / d ln B| = |P_r,lnB| / 2,
half the position-ln B cross-covariance: it must stay under this, a tracker's range noise [E]
(a short arc at 800 km, where drag is weak: yes; a day-old object at 200-400 km with ln B barely
known: no, its ln B comes from the nonlinear batch re-fit over its whole arc)."""
LINEAR_MAX_M = 1000.0
"""Largest shift of a pass's predicted positions by an update that is taken from the transition
matrix alone, m: the Keplerian transition's ~1 % error then stays near 10 m, below a tracker's
range noise; larger corrections are iterated with the full force model."""
D_LN_B = 0.1
"""Step of ln B of the twin propagation that gives the ln B column of the transition matrix."""


def states_at(x0: NDArray, t0: float, times: NDArray, am_m2_kg: NDArray, model: ForceModel) -> NDArray:
    """States (T, 6, N) of the columns ``x0`` (6, N) at increasing ``times`` (T,) >= ``t0``, all in one
    integrator call (:func:`debriscope.propagation.estimator_dynamics.propagate_states`: steps of at
    most the model's, landing on each time); NaN from the first time a column is below the model's
    decay altitude over the polar radius, or beyond twice the starting semi-major axis, which no
    decaying orbit reaches (the integration went through the Earth between two times): the orbit
    has decayed."""
    states = propagate_states(x0, t0, times, am_m2_kg, model)
    a0 = 1.0 / (2.0 / np.linalg.norm(x0[:3], axis=0) - np.einsum("in,in->n", x0[3:], x0[3:]) / MU_EARTH_M3_S2)
    radius = np.sqrt(np.einsum("tin,tin->tn", states[:, :3], states[:, :3]))
    bad = (radius < WGS84_B_M + model.decay_altitude_m) | ~(radius <= 2.0 * a0) | ~np.isfinite(states[:, 3])
    gone = np.logical_or.accumulate(bad, axis=0)
    return np.where(gone[:, None, :], np.nan, states)


class WindowEphemeris:
    """Live objects propagated over a window with the estimator's model (:func:`states_at`: one
    integrator call; a decay is dated to the first sample after it), each with a twin whose
    ln B is larger by :data:`D_LN_B`; states between samples by cubic Hermite
    (:class:`debriscope.sensors.ephemeris.SampledStates`), ``d x(t) / d ln B`` from the twins."""

    def __init__(self, x0: NDArray, ln_b: NDArray, t0: float, times: NDArray, model: ForceModel) -> None:
        n = x0.shape[1]
        am = np.exp(np.concatenate([ln_b, ln_b + D_LN_B])) / model.cd
        states = states_at(np.concatenate([x0, x0], axis=1), t0, times, am, model)
        self.n, self.times = n, times
        self.states = states
        gone = np.isnan(states[:, 0, :n])  # decayed: from the first sample past the decay
        first = np.argmax(gone, axis=0)
        self.decay_tt_s = np.where(gone.any(axis=0), times[first], np.nan)
        self.sampled = SampledStates(times, states, np.arange(2 * n))

    def at(self, t: NDArray, col: NDArray) -> NDArray:
        """States (6, M) of columns ``col`` at times ``t``."""
        r, v = self.sampled.interpolate(t, col)
        return np.concatenate([r, v])

    def positions(self, t: NDArray) -> NDArray:
        """Positions (P, 3, n) of all objects (not their twins) at each of the times ``t`` (P,): the
        cubic Hermite of :meth:`at`, one interval per time for all objects (slices, not gathers)."""
        times = self.times
        k = np.clip(np.searchsorted(times, t, side="right") - 1, 0, times.size - 2)
        h = (times[k + 1] - times[k])[:, None, None]
        s = ((t - times[k]) / h[:, 0, 0])[:, None, None]
        y0, y1 = self.states[k, :, : self.n], self.states[k + 1, :, : self.n]  # (P, 6, n)
        s2, s3 = s * s, s * s * s
        h00, h10, h01, h11 = 2 * s3 - 3 * s2 + 1, s3 - 2 * s2 + s, -2 * s3 + 3 * s2, s3 - s2
        return h00 * y0[:, :3] + h10 * h * y0[:, 3:] + h01 * y1[:, :3] + h11 * h * y1[:, 3:]

    def b_column(self, t: NDArray, col: NDArray) -> NDArray:
        """``d x(t) / d ln B`` (6, M) of columns ``col``."""
        out = (self.at(t, col + self.n) - self.at(t, col)) / D_LN_B
        return np.where(np.isfinite(out), out, 0.0)

    def end(self, i: int) -> tuple[NDArray, NDArray]:
        """States (6, n) and ln B columns (6, n) at sample ``i``."""
        x = self.states[i][:, : self.n]
        col = (self.states[i][:, self.n:] - x) / D_LN_B
        return x.copy(), np.where(np.isfinite(col), col, 0.0)


@dataclass(frozen=True)
class MaintenanceParts:
    """The declared parts of the maintenance loop (:mod:`.parts`, :mod:`.estimator`)."""

    estimator: EstimatorParameters = field(default_factory=EstimatorParameters)
    gate: Gate = field(default_factory=Gate)
    tasking: Tasking = field(default_factory=Tasking)
    initiation: Initiation = field(default_factory=Initiation)
    admission: Admission = field(default_factory=Admission)
    custody: Custody = field(default_factory=Custody)
    correlation: Correlation = field(default_factory=Correlation)
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
    merged_into: NDArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Per object: the lost object it was found to be (status ``merged``), else -1."""
    prior: list[tuple[float, NDArray, NDArray]] = field(default_factory=list)
    """Per object: the epoch (TT s), state (6,) and covariance (6, 6) it was started with."""
    batch_rows: list[list[int]] = field(default_factory=list)
    """Per object: observation rows associated while it was tentative (the batch re-fit's data)."""
    batch_x: list[NDArray] = field(default_factory=list)
    """Per object: the latest batch solution (state, ln B) at the prior's epoch."""
    anchors: list[list[tuple[float, NDArray, float, NDArray]]] = field(default_factory=list)
    """Per object: (epoch, state, ln B, covariance 6 x 6) after each window that updated it (the
    sliding arc's starting points)."""

    @property
    def size(self) -> int:
        return int(self.ln_b.size)

    def add(self, x: NDArray, ln_b: float, cov: NDArray, epoch: float, t_obs: float, n_det: int,
            prior: tuple[float, NDArray, NDArray]) -> int:
        """Append a tentative object (state and covariance at ``epoch``, its initial orbit ``prior``);
        returns its index."""
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
        self.merged_into = np.append(self.merged_into, -1)
        self.prior.append(prior)
        self.batch_rows.append([])
        self.batch_x.append(np.append(prior[1], ln_b))
        self.anchors.append([])
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
                _coast(store, obj_row, live, model, parts, clock, t_next)
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
    store.status[(store.status == LOST) & np.isfinite(store.decay_tt_s)] = DECAYED  # predicted while lost
    return MaintenanceResult(store, obj_row, n_windows)


def _coast(store: ObjectStore, obj_row: NDArray, live: NDArray, model: ForceModel, parts: MaintenanceParts, t0: float,
           t1: float) -> None:
    """Carry the live objects from ``t0`` to ``t1`` without observations."""
    eph = WindowEphemeris(store.x[:, live], store.ln_b[live], t0, np.array([t1]), model)
    x1, b_col = eph.end(0)
    _finish(store, obj_row, live, x1, eph.decay_tt_s, b_col, model, parts, t0, t1, store.x[:, live])


def _carry(store: ObjectStore, idx: NDArray, model: ForceModel, parts: MaintenanceParts, t1: float) -> None:
    """Carry lost objects ``idx`` from their own epochs to ``t1``, states and covariances; one that
    decays on the way keeps its last state and gets the predicted decay epoch (it stays lost: it
    may yet be found again, the prediction being the estimator's)."""
    todo = idx[np.isnan(store.decay_tt_s[idx])]
    for epoch in np.unique(store.epoch_tt_s[todo]):
        sub = todo[store.epoch_tt_s[todo] == epoch]
        if epoch >= t1:
            continue
        x0 = store.x[:, sub].copy()
        eph = WindowEphemeris(x0, store.ln_b[sub], float(epoch), np.array([t1]), model)
        x1, b_col = eph.end(0)
        gone = ~np.all(np.isfinite(x1), axis=0)
        dt = np.full(sub.size, t1 - epoch)
        cov = propagate_covariance(store.cov[sub], transition(x0, b_col, dt, x1), process_noise(parts.estimator, dt))
        ok = sub[~gone]
        store.x[:, ok], store.cov[ok], store.epoch_tt_s[ok] = x1[:, ~gone], cov[~gone], t1
        store.decay_tt_s[sub[gone]] = eph.decay_tt_s[gone]


def _finish(store: ObjectStore, obj_row: NDArray, idx: NDArray, x1: NDArray, decay: NDArray, b_col: NDArray,
            model: ForceModel, parts: MaintenanceParts, t0: float, t1: float, x0: NDArray,
            admit: bool | NDArray = True) -> None:
    """New states at ``t1`` (``b_col``: their ln B columns), covariances carried from ``t0``,
    decays, custody and admission."""
    gone = ~np.all(np.isfinite(x1), axis=0)  # decayed within the step: keep the last state held
    dt = np.full(idx.size, t1 - t0)
    phi = transition(x0, b_col, dt, x1)
    cov = propagate_covariance(store.cov[idx], phi, process_noise(parts.estimator, dt))
    store.cov[idx] = np.where(gone[:, None, None], store.cov[idx], cov)
    store.x[:, idx] = np.where(gone[None, :], x0, x1)
    store.epoch_tt_s[idx] = np.where(gone, t0, t1)
    store.status[idx[gone]] = DECAYED
    store.decay_tt_s[idx[gone]] = decay[gone]
    sig = store.sigma_pos_m(idx)
    lost = parts.custody.lost(store.status[idx], t1 - store.last_obs_tt_s[idx], sig)
    store.status[idx[lost]] = LOST
    _admit(store, obj_row, idx[admit] if isinstance(admit, np.ndarray) else idx, model, parts, t1)


def _sliding_arc(store: ObjectStore, o: int, parts: MaintenanceParts,
                 t1: float) -> tuple[tuple[float, NDArray, NDArray], NDArray, float] | None:
    """The re-fit arc of a re-acquired object: from its latest anchor at least ``Custody.arc_days``
    old (else its oldest), with the anchor's covariance inflated 100-fold in variance as a weak
    prior and ln B free within a sigma of 1."""
    anchors = store.anchors[o]
    if not anchors:
        return None
    old = [a for a in anchors if a[0] <= t1 - parts.custody.arc_days * 86400.0]
    t_a, x_a, ln_b, cov = old[-1] if old else anchors[0]
    return (t_a, x_a, 100.0 * cov), np.append(x_a, ln_b), 1.0


def _admit(store: ObjectStore, obj_row: NDArray, idx: NDArray, model: ForceModel, parts: MaintenanceParts,
           t1: float) -> None:
    """Tentative objects among ``idx`` that meet the admission rule are catalogued at ``t1``, unless
    they are found to be lost catalogued objects (:func:`_correlate_lost`)."""
    tent = idx[store.status[idx] == TENTATIVE]
    ok = parts.admission.admits(store.n_passes[tent], store.last_obs_tt_s[tent] - store.first_obs_tt_s[tent],
                                store.sigma_pos_m(tent))
    new = _correlate_lost(store, obj_row, tent[ok], model, parts, t1)
    store.status[new] = CATALOGUED
    store.admitted_tt_s[new] = t1


def _elements(x: NDArray, cov: NDArray) -> tuple[NDArray, NDArray]:
    """Equinoctial ``(a, h, k, p, q, lambda)`` (6, N) of states (6, N) and their covariances
    (N, 6, 6) from the states' (N, 6, 6)."""
    jac = element_jacobian(x)
    return to_equinoctial(x), jac @ cov @ np.transpose(jac, (0, 2, 1))


def _at_epoch(store: ObjectStore, new: NDArray, epoch: float, model: ForceModel,
              parts: MaintenanceParts) -> tuple[NDArray, NDArray]:
    """States (6, N) and covariances (N, 6, 6) of objects ``new`` carried from their common epoch to
    ``epoch`` (backwards: :func:`debriscope.propagation.estimator_dynamics.propagate_states`)."""
    t_new = float(store.epoch_tt_s[new[0]])
    x = store.x[:, new]
    if epoch == t_new:
        return x, store.cov[new, :6, :6]
    x_e = propagate_states(x, t_new, [epoch], np.exp(store.ln_b[new]) / model.cd, model)[0]
    dt = np.full(new.size, epoch - t_new)
    phi = transition(x, np.zeros((6, new.size)), dt, x_e)
    cov = propagate_covariance(store.cov[new], phi, process_noise(parts.estimator, np.abs(dt)))
    return x_e, cov[:, :6, :6]


def _correlate_lost(store: ObjectStore, obj_row: NDArray, new: NDArray, model: ForceModel, parts: MaintenanceParts,
                    t1: float) -> NDArray:
    """Objects about to be numbered (``new``, states at ``t1``) that are catalogued objects lost
    or unseen for more than ``Correlation.min_unseen_days`` (:class:`.parts.Correlation`) are merged
    into those; returns the others. Lost objects are carried to ``t1``; one whose carry ended in a
    predicted decay is compared at its last epoch, the new objects carried back to it."""
    corr = parts.correlation
    unseen = t1 - store.last_obs_tt_s
    cand = np.flatnonzero(np.isfinite(store.admitted_tt_s) & (unseen <= corr.max_lost_days * 86400.0)
                          & ((store.status == LOST)
                             | ((store.status == CATALOGUED) & (unseen > corr.min_unseen_days * 86400.0))))
    if new.size == 0 or cand.size == 0:
        return new
    _carry(store, cand[store.status[cand] == LOST], model, parts, t1)
    d2 = np.full((new.size, cand.size), np.inf)
    for epoch in np.unique(store.epoch_tt_s[cand]):
        sel = np.flatnonzero(store.epoch_tt_s[cand] == epoch)
        x_n, c_n = _at_epoch(store, new, float(epoch), model, parts)
        if not np.all(np.isfinite(x_n)):
            continue
        q_n, e_n = _elements(x_n, c_n)
        q_l, e_l = _elements(store.x[:, cand[sel]], store.cov[cand[sel], :6, :6])
        diff = (q_n[:, :, None] - q_l[:, None, :]).transpose(1, 2, 0)  # (new, candidates, 6)
        diff[..., 5] = np.mod(diff[..., 5] + np.pi, 2.0 * np.pi) - np.pi
        s_ = e_n[:, None] + e_l[None, :] + np.diag(corr.spread())
        placed = np.sqrt(s_[..., 5, 5]) < corr.max_sigma_mean_longitude_rad  # where along the orbit is known
        with np.errstate(invalid="ignore"):
            d5 = np.einsum("nlk,nlk->nl", diff[..., :5], np.linalg.solve(s_[..., :5, :5], diff[..., :5, None])[..., 0])
            d6 = np.einsum("nlk,nlk->nl", diff, np.linalg.solve(s_, diff[..., None])[..., 0])
        d2[:, sel] = np.where(placed & ~(d6 <= corr.threshold(6)), np.inf, d5)  # the mean longitude can only veto
    d2 = np.where(np.isfinite(d2), d2, np.inf)
    keep, taken = [], set()
    for i, o in enumerate(new):
        order = np.argsort(d2[i], kind="stable")
        best = int(order[0])
        inside = d2[i, best] <= corr.threshold(5)
        clear = inside and (order.size == 1 or d2[i, order[1]] - d2[i, best] >= corr.ambiguity_margin)
        if clear and best not in taken:
            taken.add(best)
            _merge(store, obj_row, int(o), int(cand[best]))
        else:
            keep.append(o)
    return np.array(keep, dtype=np.int64)


def _merge(store: ObjectStore, obj_row: NDArray, new: int, lost: int) -> None:
    """The tentative object ``new`` is the lost object ``lost`` found again: its orbit, rows and
    passes go to ``lost``, which is catalogued again under its own number."""
    store.x[:, lost], store.ln_b[lost], store.cov[lost] = store.x[:, new], store.ln_b[new], store.cov[new]
    store.epoch_tt_s[lost] = store.epoch_tt_s[new]
    store.status[lost] = CATALOGUED
    store.decay_tt_s[lost] = np.nan
    store.last_obs_tt_s[lost] = max(store.last_obs_tt_s[lost], store.last_obs_tt_s[new])
    store.n_passes[lost] += store.n_passes[new]
    store.n_detections[lost] += store.n_detections[new]
    store.batch_rows[lost].extend(store.batch_rows[new])
    store.anchors[lost] = list(store.anchors[new])  # a sliding arc starts after the gap
    store.status[new], store.merged_into[new] = MERGED, lost
    obj_row[obj_row == new] = lost


def _batch_refit(store: ObjectStore, o: int, obs: Observations, model: ForceModel, parts: MaintenanceParts,
                 t1: float, arc: tuple[tuple[float, NDArray, NDArray], NDArray, float] | None = None) -> None:
    """Batch least squares with a priori (Tapley, Schutz & Born 2004, sec. 4.6) of a tentative
    object's state and ln B: its initial orbit (with the ln B prior) and every row associated since,
    the states from the full force model (:func:`states_at`, forward from the
    initial orbit's epoch), the partials by forward differences of the same propagation, which
    also carry the state and covariance to ``t1``. The tracking package's one least-squares core
    (:func:`debriscope.tracking.lsq.solve`): Gauss-Newton, the step halved while the cost rises
    (a trial step propagates the nominal column only), until the cost stops falling
    (:data:`BATCH_COST_TOLERANCE`). A tentative object's few short passes are where the linear
    filter's covariance transport fails (a thin, curved uncertainty: the filter's NEES reached
    1,000 for 6 degrees of freedom).
    A fit whose normalised RMS exceeds three times ``Initiation.max_rms`` is not taken.

    ``arc``: a catalogued object re-acquired after a long gap, re-fitted over a sliding arc (the
    differential correction of SPADATS): the anchor ``(epoch, state, covariance)`` it starts from,
    the start (state, ln B) and the ln B prior's sigma; the rows are those associated since the anchor.
    """
    est = parts.estimator
    if arc is None:
        (t_a, x_a6, p_a6), start, ln_b_sigma = store.prior[o], store.batch_x[o], est.ln_b_prior_sigma
        x_a = np.append(x_a6, np.log(est.b_prior_m2_kg))
    else:
        (t_a, x_a6, p_a6), start, ln_b_sigma = arc
        x_a = start.copy()
    rows = np.array(sorted(store.batch_rows[o]), dtype=np.int64)
    rows = rows[obs.t_tt_s[rows] >= t_a]
    if rows.size == 0:
        return
    w_a = np.zeros((7, 7))
    w_a[:6, :6] = np.linalg.inv(p_a6)
    w_a[6, 6] = ln_b_sigma**-2
    times = np.unique(np.append(obs.t_tt_s[rows], t1))
    ti = np.searchsorted(times, obs.t_tt_s[rows])
    i1 = int(np.searchsorted(times, t1))
    steps = np.array([10.0, 10.0, 10.0, 0.01, 0.01, 0.01, 0.05])
    valid = _valid_components(obs, rows)
    sig = obs.sigma[:, rows][valid]  # the time tags' share added at each linearisation (variance)

    last: dict[bool, tuple[NDArray, NDArray]] = {}
    """The latest evaluation, perturbed (True) or nominal only: its point and its states at ``times``."""

    def states_of(x: NDArray, perturbed: bool = True) -> NDArray | None:
        """States (T, 6, 8) of the nominal and the 7 perturbed columns at ``times``, or (T, 6, 1) of the
        nominal alone; a nominal column just evaluated at ``x`` (the accepted trial step) is reused."""
        nominal = last.get(False)
        reuse = perturbed and nominal is not None and np.array_equal(nominal[0], x)
        cols = np.column_stack([x[:6], x[:6, None] + np.diag(steps[:6]), x[:6]]) if perturbed else x[:6, None]
        ln_b = np.r_[np.full(7, x[6]), x[6] + steps[6]] if perturbed else x[6:7]
        with np.errstate(over="ignore"):  # a trial step far out in ln B: its orbit decays, the step fails
            am = np.exp(ln_b[reuse:]) / model.cd
        eph = states_at(cols[:, reuse:], t_a, times, am, model)
        if reuse:
            eph = np.concatenate([nominal[1], eph], axis=2)
        if not np.all(np.isfinite(eph[-1])):
            return None
        last[perturbed] = (x.copy(), eph)
        return eph

    def linearise(x: NDArray) -> tuple[NDArray, NDArray] | None:
        """Normalised residuals and partials at ``x`` (None if the orbit decays)."""
        eph = states_of(x)
        if eph is None:
            return None
        nonlocal sig
        m = rows.size  # the nominal and the 7 perturbed columns predicted in one call
        z = predict(eph[ti].transpose(1, 2, 0).reshape(6, 8 * m), obs, np.tile(rows, 8)).reshape(4, 8, m)
        kind = obs.kind[rows]
        sig = np.sqrt(variance(eph[ti, :, 0].T, obs, rows)[valid])
        b = residual(obs.z[:, rows], z[:, 0], kind)[valid] / sig
        h = np.column_stack([residual(z[:, i + 1], z[:, 0], kind)[valid] / sig / steps[i] for i in range(7)])
        return b, h

    def residuals(x: NDArray) -> NDArray | None:
        """Normalised residuals alone (a trial step: the nominal column only)."""
        eph = states_of(x, perturbed=False)
        if eph is None:
            return None
        return residual(obs.z[:, rows], predict(eph[ti, :, 0].T, obs, rows), obs.kind[rows])[valid] / sig

    settings = LsqSettings(max_iterations=parts.initiation.batch_iterations, step_control="halving", max_trials=6,
                           cost_tolerance=BATCH_COST_TOLERANCE, step_tolerance=1e-3 * steps,
                           relinearise_at_solution=False)
    sol = solve(linearise, start, apriori=APriori(x_a, w_a), settings=settings, residuals=residuals)
    if not sol.rms <= parts.initiation.max_rms * 3.0:
        return  # the start decays, or the passes do not make one orbit: keep the filter's prediction
    x, cov = sol.x, sol.covariance
    # the state at t1 from the evaluation at the solution; the transition from the partials' columns
    # (at the solution, or at the point before a last negligible step, as the covariance)
    at_x = [e[i1, :, 0] for x_e, e in last.values() if np.array_equal(x_e, x)]
    if not at_x:
        return
    cols = last[True][1][i1]
    phi = np.eye(7)
    phi[:6, :] = (cols[:, 1:] - cols[:, [0]]) / steps
    if arc is None:
        store.batch_x[o] = x
    store.x[:, o] = at_x[0]
    store.ln_b[o] = x[6]
    store.cov[o] = phi @ cov @ phi.T
    store.epoch_tt_s[o] = t1


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
        x0 = store.x[:, live].copy()
        eph = WindowEphemeris(x0, store.ln_b[live], t0, times, model)
        assigned = _associate(store, obs, pass_rows, window, live, eph, x0, parts, half_beam, t0)
        deltas: dict[int, NDArray] = {}
        covs: dict[int, NDArray] = {}
        refit: set[int] = set()
        reacquired: set[int] = set()
        drag_2nd_m = 0.5 * np.linalg.norm(store.cov[live, :3, 6], axis=1)  # see FILTER_MAX_DRAG_2ND_ORDER_M
        by_filter = (store.status[live] != TENTATIVE) | ((store.n_passes[live] >= FILTER_MIN_PASSES)
                                                          & (drag_2nd_m <= FILTER_MAX_DRAG_2ND_ORDER_M))
        filtered = [k for k in window if assigned.get(k, -1) >= 0 and by_filter[assigned[k]]]
        models = dict(zip(filtered, _pass_transitions(obs, [pass_rows[k] for k in filtered],
                                                      [assigned[k] for k in filtered], eph, x0, t0), strict=True))
        for k in window:  # time order
            j = assigned.get(k)
            if j is None or j < 0:
                continue
            rows = pass_rows[k]
            o = live[j]
            store.batch_rows[o].extend(rows.tolist())
            tentative = store.status[o] == TENTATIVE
            if tentative and (k not in models or int(o) in refit):  # short arcs: nonlinear batch re-fit below
                refit.add(int(o))
            else:
                if not tentative and obs.t_tt_s[rows[0]] - store.last_obs_tt_s[o] > parts.custody.reacquire_days * 86400.0:
                    reacquired.add(int(o))
                d = deltas.get(j, np.zeros(7))
                c = covs.get(j, store.cov[live[j]])
                d_new, c_new, chi2_post = _update_pass(obs, rows, *models[k], x0[:, j], float(store.ln_b[o]), d, c, t0,
                                                       model)
                if tentative and not chi2_post <= chi2.ppf(parts.initiation.refit_probability,
                                                            _valid_components(obs, rows).sum()):
                    refit.add(int(o))
                else:
                    deltas[j], covs[j] = d_new, c_new
            obj_row[obs.row[rows]] = o
            store.n_passes[o] += 1
            store.n_detections[o] += rows.size
            store.last_obs_tt_s[o] = max(store.last_obs_tt_s[o], float(obs.t_tt_s[rows].max()))
        x1, b_col = eph.end(i1)
        x_start = x0.copy()
        for j, d in deltas.items():
            store.cov[live[j]] = covs[j]
            store.ln_b[live[j]] += d[6]
            x_start[:, j] = x0[:, j] + d[:6]
        if deltas:  # corrected objects: carried to t1 from their corrected states (one call)
            b = np.array(sorted(deltas))
            x1[:, b] = states_at(x_start[:, b], t0, np.array([t1]), np.exp(store.ln_b[live[b]]) / model.cd, model)[-1]
        decay = np.where(np.isfinite(x1[0]), np.nan, eph.decay_tt_s)
        _finish(store, obj_row, live, x1, decay, b_col, model, parts, t0, t1, x_start, ~np.isin(live, list(refit)))
        for o in sorted(refit):
            if store.status[o] == TENTATIVE:
                _batch_refit(store, o, obs, model, parts, t1)
        for o in sorted(reacquired):
            arc = _sliding_arc(store, o, parts, t1)
            if arc is not None and store.status[o] == CATALOGUED:
                _batch_refit(store, o, obs, model, parts, t1, arc)
        _admit(store, obj_row, np.array(sorted(refit), dtype=np.int64), model, parts, t1)
        for o in sorted(refit | reacquired | {int(live[j]) for j in deltas}):
            if store.status[o] in (TENTATIVE, CATALOGUED) and np.all(np.isfinite(store.x[:, o])):
                store.anchors[o].append((t1, store.x[:, o].copy(), float(store.ln_b[o]), store.cov[o, :6, :6].copy()))
    single = []
    for k in window:
        rows = pass_rows[k]
        if k in assigned or obs.needs_prediction[rows[0]]:
            continue
        if obs.kind[rows[0]] == RADAR and rows.size >= parts.initiation.min_detections:
            _initiate(store, obj_row, obs, rows, model, parts, stations, t1)
        elif has_rates(obs, rows) and _initiate_from_crossing(store, obj_row, obs, rows, model, parts, t1):
            continue
        elif template is not None and (obs.kind[rows[0]] == FENCE or parts.origin.from_fan_detections):
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
        o = store.add(fit.state, ln_b, cov, t1, float(obs.t_tt_s[rows].max()), rows.size,
                      (t1, fit.state.copy(), fit.cov.copy()))
        store.first_obs_tt_s[o] = float(obs.t_tt_s[rows].min())
        obj_row[obs.row[rows]] = o


def _associate(store: ObjectStore, obs: Observations, pass_rows: list[NDArray], window: list[int], live: NDArray,
               eph: WindowEphemeris, x0: NDArray, parts: MaintenanceParts,
               half_beam: Mapping[str, float], t0: float) -> dict[int, int]:
    """Pass -> live-object column, by gate and global nearest neighbour per sensor; -1 for an
    ambiguous pass (two objects within ``Gate.ambiguity_margin`` of each other), which is neither
    associated nor starts an object."""
    firsts = np.array([pass_rows[k][0] for k in window])
    pos = eph.positions(obs.t_tt_s[firsts])  # (P, 3, L)
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
    xs = eph.at(obs.t_tt_s[rows], lj)  # (6, K)
    phi = transition(x0[:, lj], eph.b_column(obs.t_tt_s[rows], lj), obs.t_tt_s[rows] - t0, xs)
    zhat, jac = partials(xs, obs, rows)
    inn = residual(obs.z[:, rows], zhat, obs.kind[rows]).T  # (K, 4)
    valid = _valid_components(obs, rows).T
    h = jac @ phi[:, :6, :]  # (K, 4, 7)
    var = np.where(valid, variance(xs, obs, rows).T, 1.0)
    inn = np.where(valid, inn, 0.0)
    h = np.where(valid[:, :, None], h, 0.0)
    d2 = mahalanobis2(inn, h, cov[lj], var)
    ok = d2 <= parts.gate.threshold(valid.sum(axis=1))
    multi = np.array([c for c in np.flatnonzero(ok) if pass_rows[window[pi[c]]].size > 1], dtype=np.int64)
    if multi.size:  # passes of several rows: the gate on all of them, all passes together
        passes = [pass_rows[window[pi[c]]] for c in multi]
        rows_m = np.concatenate(passes)
        cc = np.repeat(lj[multi], [r.size for r in passes])
        t = obs.t_tt_s[rows_m]
        ref = eph.at(t, cc)
        phi_m = transition(x0[:, cc], eph.b_column(t, cc), t - t0, ref)
        zhat, jac = partials(ref, obs, rows_m)
        valid_m = _valid_components(obs, rows_m).T
        inn_m = np.where(valid_m, residual(obs.z[:, rows_m], zhat, obs.kind[rows_m]).T, 0.0)
        weight = np.where(valid_m, 1.0 / np.sqrt(np.where(valid_m, variance(ref, obs, rows_m).T, 1.0)), 0.0)
        starts = np.cumsum([0] + [r.size for r in passes[:-1]])
        h_m = np.where(valid_m[:, :, None], jac @ phi_m[:, :6, :], 0.0)
        d2[multi] = grouped_mahalanobis2(inn_m, h_m, weight, cov[lj[multi]], starts)
        ok[multi] = d2[multi] <= parts.gate.threshold(np.add.reduceat(valid_m.sum(axis=1), starts))
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


def _pass_transitions(obs: Observations, passes: list[NDArray], cols: list[int], eph: WindowEphemeris, x0: NDArray,
                      t0: float) -> list[tuple[NDArray, NDArray]]:
    """For each pass (rows) of a live-object column: the window ephemeris at its rows (6, k) and the
    transition matrices (k, 7, 7) from ``t0`` to them, all in one call."""
    if not passes:
        return []
    rows = np.concatenate(passes)
    cc = np.concatenate([np.full(r.size, c) for r, c in zip(passes, cols, strict=True)])
    t = obs.t_tt_s[rows]
    ref = eph.at(t, cc)
    phi = transition(x0[:, cc], eph.b_column(t, cc), t - t0, ref)
    cut = np.cumsum([r.size for r in passes])[:-1]
    return list(zip(np.split(ref, cut, axis=1), np.split(phi, cut), strict=True))


def _pass_model(obs: Observations, rows: NDArray, ref: NDArray, phi: NDArray,
                delta: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Innovations (m,), partials (m, 7) wrt the correction at the window start and variances (m,)
    of the measured components of one pass's rows, predicted from the window ephemeris ``ref``
    (6, k) plus ``Phi delta`` (``phi``: (k, 7, 7), :func:`_pass_transitions`)."""
    xs = ref + np.einsum("kij,j->ik", phi[:, :6, :], delta)
    zhat, jac = partials(xs, obs, rows)
    v = _valid_components(obs, rows).T
    inn = residual(obs.z[:, rows], zhat, obs.kind[rows]).T
    h = jac @ phi[:, :6, :]  # (k, 4, 7)
    return inn[v], h[v], variance(xs, obs, rows).T[v]


def _update_pass(obs: Observations, rows: NDArray, ref: NDArray, phi: NDArray, x0: NDArray, ln_b: float,
                 delta: NDArray, cov: NDArray, t0: float, model: ForceModel,
                 iterations: int = 4) -> tuple[NDArray, NDArray, float]:
    """Iterated EKF update (Bell & Cathey 1993, IEEE Trans. Autom. Control 38(2)) of one object's
    correction ``delta`` at ``t0`` with all rows of one pass.

    The first step predicts the rows from the window ephemeris plus ``Phi delta``. When the
    correction moves the pass by less than :data:`LINEAR_MAX_M`, that linear step is the update.
    Otherwise each further iteration predicts the rows by propagating the corrected state with the
    full force model, so the fixed point does not depend on the approximate transition matrix,
    which only supplies the partials (its ~1 % error over tens of kilometres of correction exceeds
    a tracker's range noise). Also returns the chi-square of the pass's residuals after a linear
    update (from the same linear model), NaN after an iterated one."""
    inn, h, var = _pass_model(obs, rows, ref, phi, delta)
    d_i, cov_new = update(delta, cov, inn, h, var)
    if np.abs(phi[:, :3, :] @ d_i).max() <= LINEAR_MAX_M:
        post = inn - h @ (d_i - delta)
        return d_i, cov_new, float(np.sum(post**2 / var))
    t_rows = obs.t_tt_s[rows]
    times = np.unique(t_rows)
    ti = np.searchsorted(times, t_rows)
    valid = _valid_components(obs, rows).T
    for _ in range(iterations - 1):
        xs = states_at((x0 + d_i[:6]).reshape(6, 1), t0, times, np.exp([ln_b + d_i[6]]) / model.cd, model)
        xs = xs[ti, :, 0].T
        if not np.all(np.isfinite(xs)):
            return delta, cov, np.nan
        zhat, jac = partials(xs, obs, rows)
        h = (jac @ phi[:, :6, :])[valid]
        inn = residual(obs.z[:, rows], zhat, obs.kind[rows]).T[valid]
        d_new, cov_new = update(delta, cov, inn + h @ (d_i - delta), h, var)
        done = np.all(np.abs(d_new[:6] - d_i[:6]) < np.array([1.0, 1.0, 1.0, 1e-3, 1e-3, 1e-3]))
        d_i = d_new
        if done:
            break
    return d_i, cov_new, np.nan


def _initiate(store: ObjectStore, obj_row: NDArray, obs: Observations, rows: NDArray, model: ForceModel,
              parts: MaintenanceParts, stations: Mapping[str, Station], t1: float) -> None:
    """A new tentative object from an uncorrelated tracker pass (single-pass least squares)."""
    ini = parts.initiation
    if obs.kind[rows[0]] != RADAR or obs.needs_prediction[rows[0]] or rows.size < ini.min_detections:
        return
    if not np.all(np.isfinite(obs.z[:, rows])) or np.unique(obs.t_tt_s[rows]).size < ini.min_detections:
        return
    st = stations[str(obs.sensor[rows[0]])]
    site = Site(str(obs.sensor[rows[0]]), st.latitude_deg, st.longitude_deg, st.altitude_m)
    z, s = obs.z[:, rows], obs.sigma[:, rows]
    deg = 180.0 / np.pi
    arc = RadarArc.from_columns(site, obs.t_tt_s[rows], z[0], z[1] * deg, z[2] * deg, z[3], s[0], s[1] * deg,
                                s[2] * deg, s[3])
    try:
        fit = fit_orbit([arc], epoch_tt_s=min(float(obs.t_tt_s[rows].max()), t1))
    except (np.linalg.LinAlgError, ValueError, ArithmeticError):  # a degenerate pass starts nothing
        return
    if not (fit.converged and fit.rms <= ini.max_rms and np.all(np.isfinite(fit.covariance))):
        return
    _start(store, obj_row, obs, rows, fit.state, fit.epoch_tt_s,  # a short arc's covariance inflated (Initiation)
           fit.covariance * max(fit.rms, 1.0) ** 2 * parts.initiation.covariance_inflation, model, parts, t1)


def _initiate_from_crossing(store: ObjectStore, obj_row: NDArray, obs: Observations, rows: NDArray,
                            model: ForceModel, parts: MaintenanceParts, t1: float) -> bool:
    """A new tentative object from an uncorrelated fence crossing heard by two or more receivers
    with their rates (:mod:`.crossing`); whether one was started."""
    fit = crossing_orbit(obs, rows)
    if fit is None or not fit[3] <= parts.initiation.max_rms:
        return False
    state, epoch, cov, rms = fit  # its own covariance: 21 fragments in 30 days, 20 inflated (docs/tracking.md)
    return _start(store, obj_row, obs, rows, state, epoch, cov * max(rms, 1.0) ** 2, model, parts, t1)


def _start(store: ObjectStore, obj_row: NDArray, obs: Observations, rows: NDArray, state: NDArray, epoch: float,
           cov6: NDArray, model: ForceModel, parts: MaintenanceParts, t1: float) -> bool:
    """A tentative object from a single pass's orbit (state (6,) and covariance ``cov6`` at ``epoch``
    <= ``t1``), if it is orbital: ln B at its prior, carried to ``t1``; whether one was started."""
    if parts.classifier.classify(state.reshape(6, 1))[0] != "orbital":
        return False
    est = parts.estimator
    cov = np.zeros((7, 7))
    cov[:6, :6] = cov6
    cov[6, 6] = est.ln_b_prior_sigma**2
    ln_b = float(np.log(est.b_prior_m2_kg))
    x1 = states_at(state.reshape(6, 1), epoch, np.array([t1]), np.array([np.exp(ln_b) / model.cd]), model)[-1]
    if not np.all(np.isfinite(x1)):
        return False
    o = store.add(x1[:, 0], ln_b, cov, t1, float(obs.t_tt_s[rows].max()), rows.size,
                  (epoch, state.copy(), cov[:6, :6].copy()))
    store.first_obs_tt_s[o] = float(obs.t_tt_s[rows].min())
    dt = np.array([t1 - epoch])
    phi = transition(state.reshape(6, 1), np.zeros((6, 1)), dt, x1)  # tentative: ln B from the re-fit
    store.cov[o] = propagate_covariance(cov[None], phi, process_noise(est, dt))[0]
    obj_row[obs.row[rows]] = o
    return True
