"""Multi-pass orbit determination: one batch fit over every pass (and site) of a linked object.

**Model.** Seven solve-for parameters: the TEME state at the epoch (the last measurement) and
the logarithm of the ballistic coefficient B = Cd A/m (m^2/kg), with two-body + J2 + drag
dynamics in the static piecewise exponential atmosphere of Vallado 2013 (table 8-4, eq. 8-33;
:func:`debriscope.tracking.dynamics.propagate_drag`). B is *effective*: it also absorbs the
difference between that atmosphere and the real one of the day. ln B carries a weak a-priori
constraint (a pseudo-measurement ``(ln B - ln B0) / sigma``; Tapley, Schutz & Born 2004, sec. 4.6,
"a priori information"), which keeps it determined over a single pass and lets the data decide
over several.

**Estimator.** Weighted nonlinear least squares on range, azimuth, elevation and range rate
(Vallado 2013, alg. 65; Tapley et al. 2004, ch. 4), partials by forward differences through the
propagator (all perturbed copies propagate as columns of one array), steps damped by
Levenberg-Marquardt (Press et al., *Numerical Recipes*, 3rd ed., sec. 15.5.2), formal covariance
``P = (H^T W H)^-1`` including the prior row.

**Incremental build.** :func:`build_object` adds an object's passes in time order, refitting
after each; a pass whose addition leaves the normalised residual RMS above a limit (the pass does
not fit one orbit with the others: a mislink) is set aside, and the passes set aside form further
objects by the same procedure. Each accepted step is classed (orbital/ballistic, with
p_ballistic) from the data available by then: the alert-clearing timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .discrimination import Classification, classify
from .dynamics import DRAG_STEP_S, propagate_drag
from .od import RadarArc

if TYPE_CHECKING:
    from .passgate import PassGate

B_PRIOR_M2_KG = 0.05
"""Default a-priori ballistic coefficient Cd A/m, m^2/kg (Cd 2.2 x A/m 0.02, a mid-size fragment)."""
LN_B_PRIOR_SIGMA = 2.5
"""Default a-priori sigma of ln B (a factor of ~12 either way)."""
_REL_PERTURBATION = 1e-6
_LN_B_PERTURBATION = 1e-3


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


def _normalised(arcs: Sequence[RadarArc], states: NDArray, ln_b: NDArray, epoch: float, step_s: float) -> NDArray:
    """Normalised residuals (n_used, K) of parameter columns ``states (6, K)``, ``ln_b (K,)``."""
    from .measurements import predict_measurements

    t = np.concatenate([a.t_tt_s for a in arcs])
    prop = propagate_drag(states, np.exp(ln_b), epoch, t, step_s=step_s)  # (M, 6, K)
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
    step_s: float = DRAG_STEP_S,
) -> MultiPassFit:
    """Batch least squares for the state and ln B over radar arcs from several passes and sites.

    Parameters
    ----------
    arcs : radar arcs (any order), one per site and pass.
    x0 : (6,) initial TEME state at ``epoch_tt_s`` (e.g. a single-pass fit moved there).
    epoch_tt_s : epoch of the fitted state; default the last measurement.
    b_prior_m2_kg, ln_b_prior_sigma : the a-priori B and the sigma of ln B.
    b0_m2_kg : initial B; default the prior.
    """
    arcs = list(arcs)
    if epoch_tt_s is None:
        epoch_tt_s = float(max(a.t_tt_s.max() for a in arcs))
    ln_b_prior = np.log(b_prior_m2_kg)
    p = np.concatenate([np.asarray(x0, dtype=float).reshape(6), [np.log(b0_m2_kg or b_prior_m2_kg)]])
    scale = np.concatenate([np.full(3, np.linalg.norm(p[:3])), np.full(3, np.linalg.norm(p[3:6])), [1.0]])
    delta = np.concatenate([np.full(6, _REL_PERTURBATION), [_LN_B_PERTURBATION]])

    def residuals(cols: NDArray) -> NDArray:  # (n_used + 1, K): measurements then the prior row
        with np.errstate(all="ignore"):
            meas = _normalised(arcs, cols[:6], cols[6], float(epoch_tt_s), step_s)
        return np.concatenate([meas, ((cols[6] - ln_b_prior) / ln_b_prior_sigma)[None, :]])

    def cost(b: NDArray) -> float:
        c = float(np.sum(b**2))
        return c if np.isfinite(c) else np.inf

    lam, converged, n_iter = 1e-3, False, 0
    h = np.zeros((0, 7))
    b = residuals(p[:, None])[:, 0]
    c = cost(b)
    for n_iter in range(1, max_iterations + 1):  # noqa: B007 (n_iter is reported)
        if not np.isfinite(c):
            break
        cols = p[:, None] + np.concatenate([np.zeros((7, 1)), np.diag(delta * scale)], axis=1)
        r = residuals(cols)
        b = r[:, 0]
        h = -(r[:, 1:] - b[:, None]) / delta  # d h(p)/dp per unit of ``scale``
        if not np.all(np.isfinite(h)):
            break
        a_mat, g = h.T @ h, h.T @ b
        improved = False
        for _ in range(12):  # Levenberg-Marquardt: damp until the cost falls
            try:
                dp = np.linalg.solve(a_mat + lam * np.diag(np.diag(a_mat)), g) * scale
            except np.linalg.LinAlgError:
                lam *= 10.0
                continue
            b_new = residuals((p + dp)[:, None])[:, 0]
            c_new = cost(b_new)
            if c_new < c:
                improved = True
                break
            lam *= 10.0
        if not improved:
            converged = c < np.inf
            break
        p, b, rel = p + dp, b_new, (c - c_new) / max(c, 1e-300)
        c = c_new
        lam = max(lam / 10.0, 1e-9)
        if rel < tolerance:
            converged = True
            break
    cov_s = np.linalg.pinv(h.T @ h) if h.size else np.full((7, 7), np.nan)
    cov = cov_s * np.outer(scale, scale)  # P = (H^T W H)^-1, prior row included
    n_meas = b.size - 1
    rms = float(np.sqrt(np.mean(b[:-1] ** 2))) if n_meas > 0 else np.nan
    return MultiPassFit(float(epoch_tt_s), p[:6], cov[:6, :6], float(np.exp(p[6])), float(np.sqrt(max(cov[6, 6], 0.0))),
                        rms, int(n_meas), n_iter, bool(converged and np.isfinite(rms)))


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

    Returns
    -------
    list of ObjectBuild
        The first holds the first track with a usable seed and the passes consistent with it; the
        passes set aside form the following ones by the same procedure. Tracks without a usable
        single-pass fit are left out (the caller keeps them as objects of their own).
    """
    pending = [k for k in tracks if seeds[k] is not None]
    out: list[ObjectBuild] = []
    while pending:
        k0, rest = pending[0], pending[1:]
        t0, x0 = seeds[k0]
        fit = fit_orbit_multipass([arcs[k0]], x0, t0, b_prior_m2_kg=b_prior_m2_kg, ln_b_prior_sigma=ln_b_prior_sigma)
        steps = [classed_step(k0, float(arcs[k0].t_tt_s[-1]), fit, h_crit_m, rng, n_samples)]
        accepted, set_aside = [k0], []
        queue, admitted, refits = list(rest), None, 0
        while queue:
            if max_refits is not None and refits >= max_refits:
                set_aside += queue
                break
            if gate is not None and admitted is None:  # one propagation screens every candidate left
                admitted = list(gate.admits(fit.state, fit.covariance, fit.b_m2_kg, fit.sigma_ln_b, fit.epoch_tt_s,
                                            [arcs[j] for j in queue], max_rms))
            if admitted is not None and not admitted.pop(0):
                set_aside.append(queue.pop(0))
                continue
            k = queue.pop(0)
            refits += 1
            t_new = float(arcs[k].t_tt_s[-1])
            moved = propagate_drag(fit.state, fit.b_m2_kg, fit.epoch_tt_s, [t_new])[0]
            candidates = [moved]
            if seeds[k] is not None:
                candidates.append(propagate_drag(seeds[k][1], fit.b_m2_kg, seeds[k][0], [t_new])[0])
            best = None
            for x_start in candidates:
                trial = fit_orbit_multipass([arcs[j] for j in [*accepted, k]], x_start, t_new,
                                            b_prior_m2_kg=b_prior_m2_kg, ln_b_prior_sigma=ln_b_prior_sigma,
                                            b0_m2_kg=fit.b_m2_kg)
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
