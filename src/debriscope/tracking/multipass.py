"""Multi-pass orbit determination: one batch fit over every pass (and site) of a linked object.

**Model.** Seven solve-for parameters: the TEME state at the epoch (the last measurement) and
the logarithm of the ballistic coefficient B = Cd A/m (m^2/kg), with zonal gravity (J2..J4) + drag
dynamics in the estimator's atmosphere (by default the static piecewise exponential atmosphere of
Vallado 2013, table 8-4, eq. 8-33: :func:`estimator_dynamics`), integrated by
:func:`debriscope.propagation.estimator_dynamics.propagate_states`. B is *effective*: it also
absorbs the difference between that atmosphere and the real one of the day. ln B carries a weak
a priori (information 1/sigma^2 on ln B alone; Tapley, Schutz & Born 2004, sec. 4.6, "a priori
information"), which keeps it determined over a single pass and lets the data decide over several.

**Estimator.** Weighted nonlinear least squares on range, azimuth, elevation and range rate
(Vallado 2013, alg. 65; Tapley et al. 2004, ch. 4), partials by forward differences through the
propagator (all perturbed copies propagate as columns of one array), steps damped by
Levenberg-Marquardt (Press et al., *Numerical Recipes*, 3rd ed., sec. 15.5.2), formal covariance
``P = (H^T W H + Lambda_a)^-1`` including the a priori: the core :func:`debriscope.tracking.lsq.solve`.

**Incremental build.** :func:`build_object` adds an object's passes in time order, refitting
after each; a pass whose addition leaves the normalised residual RMS above a limit (the pass does
not fit one orbit with the others: a mislink) is set aside, and the passes set aside form further
objects by the same procedure. Each accepted step is classed (orbital/ballistic, with
p_ballistic) from the data available by then: the alert-clearing timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..propagation import Exponential, ForceModel
from ..propagation.estimator_dynamics import propagate_states
from .discrimination import Classification, classify
from .lsq import APriori, LsqSettings, forward_differences, solve
from .od import RadarArc

if TYPE_CHECKING:
    from .passgate import PassGate

B_PRIOR_M2_KG = 0.05
"""Default a-priori ballistic coefficient Cd A/m, m^2/kg (Cd 2.2 x A/m 0.02, a mid-size fragment)."""
LN_B_PRIOR_SIGMA = 2.5
"""Default a-priori sigma of ln B (a factor of ~12 either way)."""
_REL_PERTURBATION = 1e-6
_LN_B_PERTURBATION = 1e-3
DRAG_STEP_S = 20.0
"""Step of the multi-pass dynamics, s: under a metre per revolution at 180 km perigee."""


@cache
def estimator_dynamics() -> ForceModel:
    """The default multi-pass dynamics: EGM96 J2..J4 and drag in the static exponential atmosphere
    of Vallado 2013 table 8-4 (not the truth's NRLMSIS), step :data:`DRAG_STEP_S`; ``cd`` 1, so
    that the area-to-mass ratio passed to the propagator is B itself."""
    return ForceModel(zonal_degree=4, drag=True, cd=1.0, atmosphere=Exponential(), step_s=DRAG_STEP_S)


def propagate_with_b(state0_teme: ArrayLike, b_m2_kg: ArrayLike, t0_tt_s: float, times_tt_s: ArrayLike,
                     model: ForceModel | None = None, step_s: float | None = None) -> NDArray:
    """States (T, 6, K) ((T, 6) for a 1-D state) at ``times_tt_s`` (either side of ``t0_tt_s``) of
    columns with ballistic coefficients ``b_m2_kg`` = Cd A/m, in ``model`` (default
    :func:`estimator_dynamics`)."""
    m = model or estimator_dynamics()
    return propagate_states(state0_teme, t0_tt_s, times_tt_s, np.asarray(b_m2_kg, dtype=float) / m.cd, m,
                            step_s=step_s)


class MultiPassFit(NamedTuple):
    """Result of a multi-pass fit (state and ballistic coefficient)."""

    epoch_tt_s: float
    state: NDArray
    """(6,) TEME state at the epoch, SI."""
    covariance: NDArray
    """(6, 6) state block of the formal covariance, SI."""
    b_m2_kg: float
    """Estimated ballistic coefficient B = Cd A/m, m^2/kg."""
    sigma_ln_b: float
    """Formal sigma of ln B (LN_B_PRIOR_SIGMA when the data add nothing)."""
    rms: float
    """RMS of the normalised measurement residuals (prior row excluded); about 1 when consistent."""
    n_measurements: int
    n_iterations: int
    converged: bool


def _normalised(arcs: Sequence[RadarArc], states: NDArray, ln_b: NDArray, epoch: float, step_s: float | None,
                model: ForceModel | None = None) -> NDArray:
    """Normalised residuals (n_used, K) of parameter columns ``states (6, K)``, ``ln_b (K,)``."""
    from .measurements import predict_measurements

    t = np.concatenate([a.t_tt_s for a in arcs])
    prop = propagate_with_b(states, np.exp(ln_b), epoch, t, model, step_s)  # (M, 6, K)
    rows, i0 = [], 0
    for arc in arcs:
        m = arc.t_tt_s.size
        res = arc.z[:, :, None] - predict_measurements(prop[i0 : i0 + m], arc.geometry)
        res[1] = np.mod(res[1] + np.pi, 2.0 * np.pi) - np.pi  # wrap the azimuth residual
        use = np.isfinite(arc.sigma) & (arc.sigma > 0) & np.isfinite(arc.z)
        rows.append((res / np.where(use, arc.sigma, 1.0)[:, :, None])[use])
        i0 += m
    return np.concatenate(rows, axis=0)


def fit_orbit_multipass(
    arcs: Sequence[RadarArc],
    x0: ArrayLike,
    epoch_tt_s: float | None = None,
    *,
    b_prior_m2_kg: float = B_PRIOR_M2_KG,
    ln_b_prior_sigma: float = LN_B_PRIOR_SIGMA,
    b0_m2_kg: float | None = None,
    max_iterations: int = 25,
    tolerance: float = 1e-6,
    step_s: float | None = None,
    model: ForceModel | None = None,
) -> MultiPassFit:
    """Batch least squares for the state and ln B over radar arcs from several passes and sites.

    Parameters
    ----------
    arcs : radar arcs (any order), one per site and pass.
    x0 : (6,) initial TEME state at ``epoch_tt_s`` (e.g. a single-pass fit moved there).
    epoch_tt_s : epoch of the fitted state; default the last measurement.
    b_prior_m2_kg, ln_b_prior_sigma : the a-priori B and the sigma of ln B.
    b0_m2_kg : initial B; default the prior.
    model, step_s : the dynamics (default :func:`estimator_dynamics`) and its step (default the model's).
    """
    arcs = list(arcs)
    if epoch_tt_s is None:
        epoch_tt_s = float(max(a.t_tt_s.max() for a in arcs))
    p = np.concatenate([np.asarray(x0, dtype=float).reshape(6), [np.log(b0_m2_kg or b_prior_m2_kg)]])
    scale = np.concatenate([np.full(3, np.linalg.norm(p[:3])), np.full(3, np.linalg.norm(p[3:6])), [1.0]])
    delta = np.concatenate([np.full(6, _REL_PERTURBATION), [_LN_B_PERTURBATION]])

    def columns(cols: NDArray) -> NDArray:
        with np.errstate(all="ignore"):
            return _normalised(arcs, cols[:6], cols[6], float(epoch_tt_s), step_s, model)

    linearise, residuals = forward_differences(columns, delta * scale)
    apriori = APriori.diagonal(np.r_[np.zeros(6), np.log(b_prior_m2_kg)], np.r_[np.full(6, np.inf), ln_b_prior_sigma])
    settings = LsqSettings(max_iterations=max_iterations, step_control="levenberg", max_trials=12,
                           cost_tolerance=tolerance)
    sol = solve(linearise, p, apriori=apriori, settings=settings, residuals=residuals)
    cov = sol.covariance
    return MultiPassFit(float(epoch_tt_s), sol.x[:6], cov[:6, :6], float(np.exp(sol.x[6])),
                        float(np.sqrt(max(cov[6, 6], 0.0))), sol.rms, int(sol.residuals.size), sol.n_iterations,
                        bool(sol.converged and np.isfinite(sol.rms)))


@dataclass(frozen=True)
class ObjectStep(Classification):
    """One step of an object's incremental build: the fit after adding one more pass."""

    track: int
    """Index of the track (pass) added at this step."""
    t_available_tt_s: float
    """When the data of this step were all in: the last detection of that pass."""
    fit: MultiPassFit


class ObjectBuild(NamedTuple):
    """An object: its accepted tracks (time order) and the step after each addition."""

    tracks: list[int]
    steps: list[ObjectStep]


def classed_step(track: int, t: float, fit: MultiPassFit, h_crit_m: float, rng: np.random.Generator | None,
                 n_samples: int) -> ObjectStep:
    """The step of ``fit`` after adding ``track`` (data available at ``t``), classed orbital/ballistic."""
    c = classify(fit.state, fit.covariance, fit.epoch_tt_s, rng, h_crit_m=h_crit_m, n_samples=n_samples)
    return ObjectStep(**vars(c), track=track, t_available_tt_s=t, fit=fit)


def build_object(
    tracks: Sequence[int],
    arcs: Sequence[RadarArc],
    seeds: Sequence[tuple[float, NDArray] | None],
    *,
    max_rms: float,
    h_crit_m: float,
    rng: np.random.Generator | None,
    n_samples: int = 2000,
    b_prior_m2_kg: float = B_PRIOR_M2_KG,
    ln_b_prior_sigma: float = LN_B_PRIOR_SIGMA,
    gate: PassGate | None = None,
    max_refits: int | None = None,
    max_tries: int | None = None,
    model: ForceModel | None = None,
) -> list[ObjectBuild]:
    """Build objects from candidate tracks of one linked object by adding passes in time order.

    Parameters
    ----------
    tracks : candidate track indices, in time order of their first detection.
    arcs : every track's radar arc (indexed by track).
    seeds : every track's single-pass fit as ``(epoch_tt_s, state (6,))``, None where it failed.
    max_rms : a pass is accepted only if the refit's normalised residual RMS stays at or below this.
    h_crit_m : the orbital/ballistic perigee threshold.
    rng : Generator for the Monte Carlo p_ballistic (None: linearised).
    gate : if given, a pass is refitted only if the orbit so far admits it
        (:class:`~debriscope.tracking.passgate.PassGate`; the rest are screened at once, again
        after each accepted pass); the others are set aside without a fit.
    max_refits : if given, at most this many candidate passes are refitted per object; the rest
        are set aside without a fit (bounded work on the long mixed chains of a dense cloud).
    max_tries : if given, a pass is refitted into at most this many objects of the chain; after
        that it is set aside without a fit until it heads an object of its own (the refits then
        grow linearly with the chain, not as its square: each set-aside pass starts an object).
    model : the estimator's dynamics (default :func:`estimator_dynamics`).

    Returns
    -------
    list of ObjectBuild
        The first holds the first track with a usable seed and the passes consistent with it; the
        passes set aside form the following ones by the same procedure. Tracks without a usable
        single-pass fit are left out (the caller keeps them as objects of their own).
    """
    pending = [k for k in tracks if seeds[k] is not None]
    out: list[ObjectBuild] = []
    tries = dict.fromkeys(pending, 0)
    while pending:
        k0, rest = pending[0], pending[1:]
        t0, x0 = seeds[k0]
        fit = fit_orbit_multipass([arcs[k0]], x0, t0, b_prior_m2_kg=b_prior_m2_kg, ln_b_prior_sigma=ln_b_prior_sigma,
                                  model=model)
        steps = [classed_step(k0, float(arcs[k0].t_tt_s[-1]), fit, h_crit_m, rng, n_samples)]
        accepted, set_aside = [k0], []
        queue, admitted, refits = list(rest), None, 0
        while queue:
            if max_refits is not None and refits >= max_refits:
                set_aside += queue
                break
            if gate is not None and admitted is None:  # one propagation screens every candidate left
                admitted = list(gate.admits(fit.state, fit.covariance, fit.b_m2_kg, fit.sigma_ln_b, fit.epoch_tt_s,
                                            [arcs[j] for j in queue], max_rms, model))
            if admitted is not None and not admitted.pop(0):
                set_aside.append(queue.pop(0))
                continue
            k = queue.pop(0)
            if max_tries is not None and tries[k] >= max_tries:
                set_aside.append(k)
                continue
            tries[k] += 1
            refits += 1
            t_new = float(arcs[k].t_tt_s[-1])
            moved = propagate_with_b(fit.state, fit.b_m2_kg, fit.epoch_tt_s, [t_new], model)[0]
            candidates = [moved]
            if seeds[k] is not None:
                candidates.append(propagate_with_b(seeds[k][1], fit.b_m2_kg, seeds[k][0], [t_new], model)[0])
            best = None
            for x_start in candidates:
                trial = fit_orbit_multipass([arcs[j] for j in [*accepted, k]], x_start, t_new,
                                            b_prior_m2_kg=b_prior_m2_kg, ln_b_prior_sigma=ln_b_prior_sigma,
                                            b0_m2_kg=fit.b_m2_kg, model=model)
                if np.isfinite(trial.rms) and (best is None or trial.rms < best.rms):
                    best = trial
                if best is not None and best.rms <= max_rms:
                    break
            if best is not None and best.rms <= max_rms and np.all(np.isfinite(best.covariance)):
                fit = best
                accepted.append(k)
                steps.append(classed_step(k, t_new, fit, h_crit_m, rng, n_samples))
                admitted = None  # the orbit changed: screen the rest again
            else:
                set_aside.append(k)
        out.append(ObjectBuild(accepted, steps))
        pending = set_aside
    return out


def clearance_time(build: ObjectBuild, track: int, p_clear: float) -> float:
    """Earliest time at which a step of ``build`` from ``track``'s own pass on gives
    p_ballistic < ``p_clear`` (data available by then), TT s; NaN if none."""
    if track not in build.tracks:
        return np.nan
    start = build.tracks.index(track)
    for s in build.steps[start:]:
        if np.isfinite(s.p_ballistic) and s.p_ballistic < p_clear:
            return s.t_available_tt_s
    return np.nan
