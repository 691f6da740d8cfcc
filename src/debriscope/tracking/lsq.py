"""Weighted batch least squares with a priori information: the one core of tracking's orbit fits.

The estimate minimises

    J(x) = b(x)^T b(x) + (x - x_a)^T Lambda_a (x - x_a),   b = W^(1/2) (z - h(x)),

b the measurement residuals divided by their sigmas (W = diag(sigma^-2)) and (x_a, Lambda_a) the a
priori estimate and its information matrix Lambda_a = P_a^-1, zero in the directions it does not
constrain. Each iteration linearises at x, H = W^(1/2) dh/dx, and solves the normal equations

    (H^T W H + Lambda_a) dx = H^T W (z - h(x)) + Lambda_a (x_a - x)

(Tapley, Schutz & Born 2004, *Statistical Orbit Determination*, ch. 4: the least-squares solution
with a priori information and the batch processor of sec. 4.6; without a priori, the nonlinear
weighted least squares of Vallado 2013, *Fundamentals of Astrodynamics and Applications*, 4th ed.,
algorithm 65). The a priori enters as the rows of its square root (R_a^T R_a = Lambda_a) under the
measurement rows, the columns are scaled to unit norm and the stacked system is solved by
``numpy.linalg.lstsq`` (SVD), which keeps a short arc's near-singular normal matrix from losing the
digits that forming H^T W H would.

Step control, :class:`LsqSettings`: ``"halving"`` takes the Gauss-Newton step and halves it while
the cost does not fall; ``"levenberg"`` adds lambda diag(H^T W H + Lambda_a) to the normal matrix
(Marquardt 1963, SIAM J. Appl. Math. 11(2), 431; Press et al., *Numerical Recipes*, 3rd ed.,
sec. 15.5.2), raising lambda tenfold while the cost does not fall and lowering it tenfold after each
accepted step. Convergence: the relative fall of J below ``cost_tolerance``, or every
|dx_i| below ``step_tolerance_i``; also when no trial step lowers J (the minimum, to the accuracy
of the partials). Covariance: P = (H^T W H + Lambda_a)^-1 at the solution (pseudo-inverse).

Partials come from the caller (:data:`Linearise`) or by forward differences of a residual function
that takes parameter columns (:func:`forward_differences`: the perturbed copies of a state propagate
as the columns of one array).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

Linearise = Callable[[NDArray], "tuple[NDArray, NDArray] | None"]
"""x (n,) -> (b (m,), H (m, n)): normalised residuals and their model partials, H = -db/dx;
None where the model cannot be evaluated (e.g. the orbit decays)."""
Residuals = Callable[[NDArray], "NDArray | None"]
"""x (n,) -> b (m,), or None."""

STEP_CONTROLS = ("halving", "levenberg")


@dataclass(frozen=True)
class APriori:
    """A priori estimate ``x`` (n,) and its information matrix ``information`` = P_a^-1 (n, n),
    symmetric positive semi-definite (zero rows and columns: parameters it leaves free)."""

    x: NDArray
    information: NDArray

    @classmethod
    def diagonal(cls, x: ArrayLike, sigma: ArrayLike) -> APriori:
        """Independent a priori sigmas (inf: that parameter free)."""
        s = np.asarray(sigma, dtype=float)
        return cls(np.asarray(x, dtype=float), np.diag(np.where(np.isfinite(s), 1.0 / s**2, 0.0)))

    def square_root(self) -> NDArray:
        """R_a (k, n) with R_a^T R_a = ``information``, its zero directions dropped."""
        w, v = np.linalg.eigh(0.5 * (self.information + self.information.T))
        keep = w > w.max(initial=0.0) * 1e-14
        return np.sqrt(w[keep])[:, None] * v[:, keep].T


@dataclass(frozen=True)
class LsqSettings:
    """Iteration, step control and convergence of :func:`solve`.

    Parameters
    ----------
    max_iterations : int
        Most accepted steps (each a linearisation).
    step_control : {"halving", "levenberg"}
        Gauss-Newton with step halving, or Levenberg-Marquardt damping (module docstring).
    max_trials : int
        Trial steps per iteration (halvings, or tenfold increases of lambda) before giving up.
    cost_tolerance : float
        Converged when an accepted step lowers J by less than this fraction (0: test off).
    relinearise_at_solution : bool
        With a ``residuals`` function: False stops at such a step without linearising at the new
        point (one evaluation of the partials less; the covariance then comes from the partials
        of the point before, which the step moved by a negligible fraction of J).
    step_tolerance : array_like or None
        Converged when every |dx_i| is below ``step_tolerance[i]`` (parameter units; None: off).
    initial_lambda : float
        Levenberg-Marquardt's first lambda.
    """

    max_iterations: int = 15
    step_control: str = "halving"
    max_trials: int = 7
    cost_tolerance: float = 2e-5
    relinearise_at_solution: bool = True
    step_tolerance: ArrayLike | None = None
    initial_lambda: float = 1e-3

    def __post_init__(self) -> None:
        if self.step_control not in STEP_CONTROLS:
            raise ValueError(f"step_control {self.step_control!r}: allowed {STEP_CONTROLS}")
        if not (self.max_iterations >= 1 and self.max_trials >= 1 and self.cost_tolerance >= 0
                and self.initial_lambda > 0):
            raise ValueError("max_iterations and max_trials must be >= 1, cost_tolerance >= 0, initial_lambda > 0")


class LsqSolution(NamedTuple):
    """Result of :func:`solve`."""

    x: NDArray
    """(n,) estimate."""
    covariance: NDArray
    """(n, n) formal covariance (H^T W H + Lambda_a)^-1 at ``x``; NaN if never linearised."""
    residuals: NDArray
    """(m,) normalised measurement residuals at ``x`` (a priori rows excluded)."""
    cost: float
    """J at ``x``, a priori term included."""
    rms: float
    """RMS of ``residuals`` (about 1 for a consistent fit)."""
    n_iterations: int
    converged: bool


def _cost(b: NDArray, x: NDArray, apriori: APriori | None) -> float:
    c = float(b @ b)
    if apriori is not None:
        d = x - apriori.x
        c += float(d @ apriori.information @ d)
    return c if np.isfinite(c) else np.inf


def _finite(lin: tuple[NDArray, NDArray] | None) -> tuple[NDArray, NDArray] | None:
    if lin is None or not (np.all(np.isfinite(lin[0])) and np.all(np.isfinite(lin[1]))):
        return None
    return lin


class _System:
    """The stacked, column-scaled system at one linearisation point."""

    def __init__(self, b: NDArray, h: NDArray, x: NDArray, apriori: APriori | None, r_a: NDArray | None) -> None:
        a, rhs = h, b
        if r_a is not None and r_a.shape[0]:
            a = np.vstack([h, r_a])
            rhs = np.concatenate([b, r_a @ (apriori.x - x)])
        d = np.linalg.norm(a, axis=0)
        self.d = np.where(d > 0, d, 1.0)
        self.a, self.rhs = a / self.d, rhs

    def step(self, lam: float) -> NDArray:
        a, rhs = self.a, self.rhs
        if lam > 0:  # Marquardt: lambda diag(A^T A), the identity in the scaled columns
            n = a.shape[1]
            a, rhs = np.vstack([a, np.sqrt(lam) * np.eye(n)]), np.concatenate([rhs, np.zeros(n)])
        return np.linalg.lstsq(a, rhs, rcond=None)[0] / self.d

    def covariance(self) -> NDArray:
        return np.linalg.pinv(self.a.T @ self.a) / np.outer(self.d, self.d)


def solve(
    linearise: Linearise,
    x0: ArrayLike,
    *,
    apriori: APriori | None = None,
    settings: LsqSettings | None = None,
    residuals: Residuals | None = None,
) -> LsqSolution:
    """Weighted least squares with optional a priori (module docstring).

    Parameters
    ----------
    linearise : x -> (b, H) or None (:data:`Linearise`).
    x0 : (n,) starting point.
    apriori : the a priori estimate and information (None: none).
    settings : iteration, step control and convergence (default :class:`LsqSettings`).
    residuals : x -> b or None, to judge a trial step without its partials (default: ``linearise``,
        whose partials are then kept if the step is taken).
    """
    s = settings or LsqSettings()
    x = np.asarray(x0, dtype=float).copy()
    n = x.size
    r_a = apriori.square_root() if apriori is not None else None
    tol_dx = None if s.step_tolerance is None else np.broadcast_to(np.asarray(s.step_tolerance, dtype=float), (n,))
    lin = _finite(linearise(x))
    if lin is None:
        return LsqSolution(x, np.full((n, n), np.nan), np.zeros(0), np.inf, np.nan, 0, False)
    cost = _cost(lin[0], x, apriori)
    system = _System(lin[0], lin[1], x, apriori, r_a)
    lam = s.initial_lambda if s.step_control == "levenberg" else 0.0
    converged, n_iter = False, 0
    for n_iter in range(1, s.max_iterations + 1):  # noqa: B007 (n_iter is reported)
        accepted = None
        dx = system.step(lam)
        for k in range(s.max_trials):
            if k and s.step_control == "halving":
                dx = 0.5 * dx
            elif k:
                lam *= 10.0
                dx = system.step(lam)
            if residuals is None:
                trial = _finite(linearise(x + dx))
                b_trial = None if trial is None else trial[0]
            else:
                trial, b_trial = None, residuals(x + dx)
                b_trial = b_trial if b_trial is not None and np.all(np.isfinite(b_trial)) else None
            c_trial = np.inf if b_trial is None else _cost(b_trial, x + dx, apriori)
            lower = c_trial <= cost if s.step_control == "halving" else c_trial < cost
            if lower:
                accepted = (trial, c_trial)
                b_accepted = b_trial
                break
        if accepted is None:  # no step lowers J: the minimum, to the accuracy of the partials
            converged = np.isfinite(cost)
            break
        trial, c_new = accepted
        rel = (cost - c_new) / max(cost, 1e-300)
        x = x + dx
        small = rel < s.cost_tolerance or (tol_dx is not None and np.all(np.abs(dx) < tol_dx))
        if trial is None and not s.relinearise_at_solution and small:
            converged = True  # a negligible step: the last partials serve the covariance
            lin, cost = (b_accepted, lin[1]), c_new
            break
        lin = trial if trial is not None else _finite(linearise(x))
        if lin is None:
            break
        cost = _cost(lin[0], x, apriori)
        system = _System(lin[0], lin[1], x, apriori, r_a)
        if lam > 0:
            lam = max(lam / 10.0, 1e-9)
        if small:
            converged = True
            break
    b = lin[0] if lin is not None else np.zeros(0)
    cov = system.covariance()
    rms = float(np.sqrt(np.mean(b**2))) if b.size else np.nan
    return LsqSolution(x, cov, b, cost, rms, n_iter, bool(converged))


def forward_differences(columns: Callable[[NDArray], NDArray], steps: ArrayLike) -> tuple[Linearise, Residuals]:
    """:data:`Linearise` and :data:`Residuals` from a residual function of parameter columns.

    ``columns(X)`` maps parameters (n, K) to normalised residuals (m, K); the partials are forward
    differences H[:, i] = -(b(x + steps_i e_i) - b(x)) / steps_i, the n + 1 columns in one call.
    """
    h = np.asarray(steps, dtype=float)

    def linearise(x: NDArray) -> tuple[NDArray, NDArray] | None:
        r = columns(np.concatenate([x[:, None], x[:, None] + np.diag(h)], axis=1))
        b = r[:, 0]
        return b, -(r[:, 1:] - b[:, None]) / h

    def residuals(x: NDArray) -> NDArray | None:
        return columns(x[:, None])[:, 0]

    return linearise, residuals
