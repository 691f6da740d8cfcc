"""The mass budget: fragments of a parent never weigh more than the parent.

The size, A/m and area laws of the NASA Standard Breakup Model (Johnson et al. 2001) are
independent, so a sampled population is not mass-conserving by construction. Krisko (2011,
"Proper implementation of the 1998 NASA breakup model", ODQN 15(4)) prescribes generating fragments
until the parent's mass is reached and putting whatever mass is left into one or a few large
fragments. debriscope does it in two vectorised steps, per parent:

1. **Too heavy**: the fragments are drawn in random order; keep the longest leading run whose
   cumulative mass stays within the budget (the same as generating one by one and stopping before
   the fragment that would exceed it; the ESA/TUM C++ code drops fragments from the end likewise).
2. **Too light** (the usual case: the power law puts most of the mass in the few largest pieces):
   the missing mass becomes ``n_remnants`` *remnants* (1 by default, the parent's hulk), flagged
   ``is_remnant``. Their shares are uniform on the simplex (Dirichlet(1, ..., 1)); each remnant's
   size follows from its mass by the model's size-density relation (Johnson et al. 2001, eq. 1),
   capped at the parent's size; its area from eq. 9 and ``A/m = area / mass``.

With the budget switched off (for comparison with implementations that do not enforce it) the
sample is kept as drawn and may weigh more or less than the parent.

Floating-point sums of many masses carry rounding error; a relative guard of ``SUM_GUARD``
(1e-9) keeps the computed total at or below the budget.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .area_to_mass import area_from_lc
from .size import lc_from_mass_m

#: Relative margin kept below the budget to absorb summation round-off.
SUM_GUARD = 1e-9


def n_within_budget(mass_kg: ArrayLike, budget_kg: float) -> int:
    """Length of the longest leading run of ``mass_kg`` whose cumulative sum stays within the budget."""
    cumulative = np.cumsum(np.asarray(mass_kg, dtype=float))
    return int(np.searchsorted(cumulative, budget_kg * (1.0 - SUM_GUARD), side="right"))


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
