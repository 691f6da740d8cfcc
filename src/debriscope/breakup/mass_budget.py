"""The mass budget: every kilogram of a parent is in its fragments or its remnants, and the
fragments never weigh more than the budget.

The size, A/m and area laws of the NASA Standard Breakup Model (Johnson et al. 2001) are
independent, so a sampled population is not mass-conserving by construction. The 2001 paper does not
address it; Bade et al. (1998) regenerate fragments; Krisko (2011, "Proper implementation of the 1998
NASA breakup model", ODQN 15(4)) adds a remnant for a non-catastrophic collision's cratered target
(as summarised by the ESA/TUM C++ code's authors, esa/NASA-breakup-model-cpp pull request 5; the
papers could not be read here, docs/breakup.md).

A population drawn from the true A/m mixture (eqs. 5-6) weighs more than one drawn from the
weighted-sum form most implementations use, so the budget binds far more often (docs/breakup.md).
Stopping at the budget then throws away a large part of the count law's fragments. debriscope
keeps the count and the sizes and conditions the heaviest fragments' A/m on the budget instead:

- policy ``"resample"`` (default): if the fragments weigh more than the budget ``B``, the ``k``
  heaviest (the fewest whose removal brings the rest below ``B``) share the room ``R`` the rest
  leaves, each a part proportional to its drawn mass; each draws chi again from the model's law at
  its own Lc, truncated below so that its mass fits its part
  (:func:`~debriscope.breakup.area_to_mass.sample_log_am_above`). Every fragment keeps its Lc, the
  count is the law's, and the A/m of the others is untouched.
- policy ``"truncate"``: the fragments are in random order; the longest leading run that fits is
  kept (generating one by one and stopping before the fragment that would exceed the budget, as the
  ESA/TUM code does). Kept for comparison.

Either way, what the fragments leave of the parent's mass becomes ``n_remnants`` *remnants* (1 by
default, the hulk), flagged ``is_remnant``: shares uniform on the simplex (Dirichlet(1, ..., 1)),
size from the size-density relation (eq. 1) capped at the parent's size, area from eq. 9 and
``A/m = area / mass``.

Floating-point sums of many masses carry rounding error; a relative guard of ``SUM_GUARD`` (1e-9)
keeps the computed totals at or below the budget.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .area_to_mass import area_from_lc, sample_log_am_above
from .size import lc_from_mass_m

#: Relative margin kept below the budget to absorb summation round-off.
SUM_GUARD = 1e-9
#: The ways to enforce the budget on an overweight sample (module docstring).
POLICIES = ("resample", "truncate")


def n_within_budget(mass_kg: ArrayLike, budget_kg: float) -> int:
    """Length of the longest leading run of ``mass_kg`` whose cumulative sum stays within the budget."""
    cumulative = np.cumsum(np.asarray(mass_kg, dtype=float))
    return int(np.searchsorted(cumulative, budget_kg * (1.0 - SUM_GUARD), side="right"))


def resample_to_budget(
    rng: np.random.Generator, lc_m: NDArray, chi: NDArray, area_m2: NDArray, budget_kg: float, rocket_body: bool
) -> tuple[NDArray, int]:
    """chi with the heaviest fragments' A/m drawn again, conditioned so that the masses fit the budget.

    Parameters
    ----------
    rng : numpy.random.Generator
    lc_m, chi, area_m2 : ndarray, shape (N,)
        Characteristic lengths (m), log10(A/m [m^2/kg]) as drawn, areas (m^2).
    budget_kg : float
        Mass the fragments may carry, kg.
    rocket_body : bool
        Which A/m law (eq. 5 or 6) the fragments follow.

    Returns
    -------
    chi : ndarray, shape (N,)
        New log10(A/m); ``sum(area / 10^chi) <= budget_kg (1 - SUM_GUARD)``.
    n_redrawn : int
        Fragments whose A/m was drawn again (0 when the sample already fits).
    """
    mass = area_m2 / 10.0**chi
    limit = budget_kg * (1.0 - SUM_GUARD)
    if np.sum(mass) <= limit:
        return chi, 0
    order = np.argsort(-mass, kind="stable")
    rest = np.sum(mass) - np.cumsum(mass[order])  # mass left after removing the k + 1 heaviest
    rest[-1] = 0.0  # nothing is left after removing all (not a rounding residue): some k always fits
    k = int(np.argmax(rest < limit)) + 1
    heavy = order[:k]
    room = limit - max(float(rest[k - 1]), 0.0)
    cap = room * mass[heavy] / np.sum(mass[heavy])  # each heavy fragment's part of the room, kg
    chi = chi.copy()
    # mass <= cap  <=>  chi >= log10(area / cap); nextafter keeps the rounded mass within the cap
    chi_min = np.nextafter(np.log10(area_m2[heavy] / cap), np.inf)
    chi[heavy] = sample_log_am_above(rng, lc_m[heavy], chi_min, rocket_body)
    return chi, k


def remnants(
    rng: np.random.Generator, remainder_kg: float, n_remnants: int, lc_max_m: float
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Large fragments carrying the mass the sampled population left over.

    Parameters
    ----------
    rng : numpy.random.Generator
    remainder_kg : float
        Mass to distribute, kg (>= 0).
    n_remnants : int
        Number of remnants (>= 1).
    lc_max_m : float
        The parent's characteristic length, m: no remnant is larger.

    Returns
    -------
    lc_m, am_m2_kg, area_m2, mass_kg : ndarray, shape (n_remnants,)
    """
    shares = rng.dirichlet(np.ones(n_remnants)) if n_remnants > 1 else np.ones(1)
    mass = remainder_kg * (1.0 - SUM_GUARD) * shares
    lc = np.minimum(lc_from_mass_m(mass), lc_max_m)  # eq. 1 size-density relation, capped
    area = area_from_lc(lc)  # eq. 9
    return lc, area / mass, area, mass
