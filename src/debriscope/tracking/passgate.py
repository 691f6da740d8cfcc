"""Pass gate: is a pass consistent with an object's orbit before the orbit is refitted with it?

The multi-pass build (:func:`debriscope.tracking.multipass.build_object`) refits every accepted pass
whenever it tries one more; on a dense cloud the linker hands it chains of tens of passes of
different fragments, and the refits grow with the cube of the chain. The gate screens each
candidate pass first, all candidates with one propagation, so that only passes the prediction
admits are refitted.

For a pass of normalised residuals ``y = (z - h(x)) / sigma`` (n used components) predicted from
the fit's state x with covariance P, the innovation covariance is ``S = I + G G^T`` with
``G = H L``, H the normalised measurement partials (forward differences through the propagator)
and ``L L^T = P``; by the matrix inversion lemma ``y^T S^-1 y = y^T y - b^T (I + G^T G)^-1 b``,
``b = G^T y``; computed as ``|y|^2 - sum_i s_i^2 / (1 + s_i^2) (u_i^T y)^2`` from the thin SVD
``G = U diag(s) V^T``, which stays exact where G^T G is too large for a solve. The pass is
admitted if ``d^2`` is inside the chi-square gate of n degrees of freedom (Blackman & Popoli 1999, sec. 6.3; the maintenance loop's
:class:`~debriscope.tracking.maintenance.parts.Gate`). The ballistic coefficient is not linearised
globally: a pass a day later moves by hundreds of km along track for a factor of a few in B, far
outside a linear range. ``d^2`` is the smallest over a grid B = B_fit exp(k sigma_lnB),
``ln_b_points`` values of k evenly over +-``ln_b_span_sigma``; at each grid value ln B is a
seventh, local unknown of sigma one grid spacing (its partial from the neighbouring grid values),
so the gate also covers B between the grid values.

The gate is a pre-screen for a refit that accepts a pass at a normalised RMS up to ``max_rms``
(3 by default, far looser than a chi-square gate of 0.9999): a pass is admitted inside the
chi-square gate or while sqrt(d^2 / n) <= ``rms_factor`` x ``max_rms`` (on the flagship a true
pass 9.6 h after a single tracker pass came at d^2 = 88 for 6 components, 3.2 times the
chi-square gate, and the refit took it). The gate is linear in the state: it applies only to an orbit whose velocity uncertainty is below
``max_sigma_velocity_mps`` (root of the trace of the velocity covariance). A fit of two coarse fan
crossings (sigma of hundreds of m/s to km/s: the period itself is uncertain by minutes) predicts a
pass hours later far outside any linear range, and its true next pass came out at d^2 ~ 10^7
(measured on the flagship); such an orbit admits every candidate and the refit decides, as
without the gate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..propagation import ForceModel
from .maintenance.parts import Gate
from .measurements import predict_measurements
from .od import RadarArc

_REL_PERTURBATION = 1e-6


@dataclass(frozen=True)
class PassGate:
    """Chi-square gate of a pass on an orbit's prediction (``gate.probability``), d^2 minimised
    over a grid of ballistic coefficients B exp(k sigma_lnB), |k| <= ``ln_b_span_sigma``."""

    gate: Gate = Gate()
    ln_b_span_sigma: float = 3.0
    ln_b_points: int = 25
    max_sigma_velocity_mps: float = 50.0
    """Orbits less certain than this are not gated (the linear prediction does not hold) [E]."""
    rms_factor: float = 2.0
    """A pass is also admitted while its RMS on the prediction, sqrt(d^2 / n), is within this
    multiple of the refit's own limit ``max_rms`` [E]."""

    @np.errstate(all="ignore")  # a failed prediction is non-finite and gives d^2 = inf
    def distances(self, state: NDArray, covariance: NDArray, b_m2_kg: float, sigma_ln_b: float,
                  epoch_tt_s: float, arcs: Sequence[RadarArc], model: ForceModel | None = None) -> tuple[NDArray, NDArray]:
        """``d^2`` (n_arcs,) of each arc and its degrees of freedom (used components), from one
        propagation of the state, its perturbed copies and the B grid to every arc's times in the
        estimator's dynamics ``model`` (default :func:`debriscope.tracking.multipass.estimator_dynamics`)."""
        x = np.asarray(state, dtype=float)
        scale = np.concatenate([np.full(3, np.linalg.norm(x[:3])), np.full(3, np.linalg.norm(x[3:]))])
        delta = _REL_PERTURBATION * scale
        sig = sigma_ln_b if np.isfinite(sigma_ln_b) and sigma_ln_b > 0 else 1e-3
        ln_b = np.linspace(-self.ln_b_span_sigma, self.ln_b_span_sigma, max(self.ln_b_points, 2)) * sig
        spacing = ln_b[1] - ln_b[0]
        b = np.concatenate([np.full(6, b_m2_kg), b_m2_kg * np.exp(ln_b)])
        cols = np.concatenate([x[:, None] + np.diag(delta), np.repeat(x[:, None], ln_b.size, axis=1)], axis=1)
        t = np.concatenate([a.t_tt_s for a in arcs])
        from .multipass import propagate_with_b  # multipass builds objects with this gate

        prop = propagate_with_b(cols, b, epoch_tt_s, t, model)  # (M, 6, 6 + n_b)
        w, v = np.linalg.eigh(0.5 * (covariance + covariance.T))
        sqrt_p = v * np.sqrt(np.clip(w, 0.0, None))  # L L^T = P, tolerates a semi-definite P
        nominal = int(np.argmin(np.abs(ln_b)))
        d2, dof = np.full(len(arcs), np.inf), np.zeros(len(arcs), dtype=int)
        i0 = 0
        for k, arc in enumerate(arcs):
            m = arc.t_tt_s.size
            pred = predict_measurements(prop[i0 : i0 + m], arc.geometry)  # (4, m, 6 + n_b)
            i0 += m
            use = np.isfinite(arc.sigma) & (arc.sigma > 0) & np.isfinite(arc.z)
            res = arc.z[:, :, None] - pred
            res[1] = np.mod(res[1] + np.pi, 2.0 * np.pi) - np.pi
            y = (res / np.where(use, arc.sigma, 1.0)[:, :, None])[use]  # (n, 6 + n_b)
            yb = y[:, 6:]  # (n, n_b): the innovation at each grid B
            g6 = (-(y[:, :6] - yb[:, nominal : nominal + 1]) / delta) @ sqrt_p  # (n, 6): H L
            h_b = -np.gradient(yb, ln_b, axis=1) * spacing  # (n, n_b): local ln B column, sigma = spacing
            g = np.concatenate([np.repeat(g6[None], ln_b.size, axis=0), h_b.T[:, :, None]], axis=2)  # (n_b, n, 7)
            ok = np.all(np.isfinite(g), axis=(1, 2)) & np.all(np.isfinite(yb), axis=0)  # a prediction failed
            g, yb = np.where(ok[:, None, None], g, 0.0), np.where(ok[None, :], yb, 0.0)
            u, sv, _ = np.linalg.svd(g, full_matrices=False)  # G = U diag(s) V^T, stable where G G^T is huge
            proj = np.einsum("jni,nj->ji", u, yb)
            quad = np.einsum("nj,nj->j", yb, yb) - np.sum(sv**2 / (1.0 + sv**2) * proj**2, axis=1)
            d2[k] = float(quad[ok].min()) if ok.any() else np.inf
            dof[k] = int(use.sum())
        return d2, dof

    def admits(self, state: NDArray, covariance: NDArray, b_m2_kg: float, sigma_ln_b: float, epoch_tt_s: float,
               arcs: Sequence[RadarArc], max_rms: float, model: ForceModel | None = None) -> NDArray:
        """(n_arcs,) whether each arc is inside the gate, or within ``rms_factor`` x ``max_rms``
        (the refit's acceptance) in normalised RMS."""
        if not arcs:
            return np.zeros(0, dtype=bool)
        if not np.sqrt(np.trace(covariance[3:, 3:])) <= self.max_sigma_velocity_mps:
            return np.ones(len(arcs), dtype=bool)
        d2, dof = self.distances(state, covariance, b_m2_kg, sigma_ln_b, epoch_tt_s, arcs, model)
        limit = np.maximum(self.gate.threshold(dof), (self.rms_factor * max_rms) ** 2 * dof)
        return (dof > 0) & (d2 <= limit)
