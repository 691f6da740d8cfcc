"""Fragment clouds: the NASA Standard Breakup Model applied to the parents of one event.

An **explosion** may destroy several parents at once (the flagship destroys the Blok L stage and the
2MV-4 probe): each parent fragments independently with its own explosion law
``N(>Lc) = 6 S Lc^-1.6`` (Johnson et al. 2001, eq. 2), its own scaling factor ``S`` and its own
A/m distribution (rocket body, eq. 5, or spacecraft, eq. 6).

A **collision** fragments both bodies. The reference mass ``M`` and the catastrophic test come from
:func:`debriscope.breakup.size.collision_reference_mass`; the event's fragment count
``0.1 M^0.75 Lc^-1.71`` (eq. 4) is shared between the bodies in proportion to the mass each puts
into fragments: catastrophic, each body's whole mass; non-catastrophic, the whole projectile and
``M - m_projectile`` of cratering ejecta from the target, whose hulk survives as a remnant with the
rest of its mass and no ejection velocity.

Each fragment carries the class of the A/m distribution used (its parent's class) and its
parent's name; fragment velocities are the parent's velocity plus the ejection velocity
(eqs. 11-12) when the parents' states are known.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import FragmentCountError, ModelValidityWarning
from .area_to_mass import area_from_lc, check_object_class, sample_log_am
from .delta_v import sample_delta_v
from .mass_budget import POLICIES, SUM_GUARD, n_within_budget, remnants, resample_to_budget
from .size import (
    COLLISION_EXPONENT,
    EXPLOSION_EXPONENT,
    collision_reference_mass,
    expected_count,
    lc_from_mass_m,
    parent_lc_max_m,
    sample_lc,
    stochastic_round,
)

#: Columns of the fragment table, in order (states and epoch only when the parents' states are known).
BASE_COLUMNS = (
    "fragment_id", "parent", "object_class", "lc_m", "am_m2_kg", "area_m2", "mass_kg",
    "dv_x_mps", "dv_y_mps", "dv_z_mps",
)
STATE_COLUMNS = (
    "x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps", "epoch_utc",
)

#: Default explosion scaling factor ``S`` per object class. Johnson et al. (2001) introduce ``S``
#: for the explosion source type and set it to 1 for the nominal upper stage (600-1000 kg);
#: no separate value is published for spacecraft, so 1 is used for both. Override per class or
#: per parent (``[breakup]`` options).
DEFAULT_SCALING_FACTOR = {"rocket_body": 1.0, "spacecraft": 1.0}

#: Default limit on a breakup's expected fragment count. The flagship's two ~900 kg parents at the
#: smallest ``lc_min_m`` the scenario schema allows (1 mm) expect about 7.6e5 fragments (eq. 2), so
#: every scenario within the schema's bounds of that size runs. Measured cost: ``debriscope breakup``
#: of 3.8e5 fragments (900 kg, 1 mm) peaks at 0.58 GB resident, about 1.3 GB per million fragments;
#: 1.5e7 (0.1 mm) would need some 20 GB.
DEFAULT_MAX_FRAGMENTS = 1_000_000


@dataclass(frozen=True)
class Parent:
    """A body that breaks up.

    Attributes
    ----------
    name : str
    object_class : str
        'rocket_body' or 'spacecraft': selects the A/m distribution (eq. 5 or 6).
    mass_kg : float
        Mass that fragments, kg.
    area_m2 : float or None
        Mean cross-sectional area, m^2; bounds the largest fragment (else the mass does).
    r_teme_m, v_teme_mps : tuple of 3 floats or None
        State at the event epoch (TEME).
    """

    name: str
    object_class: str
    mass_kg: float
    area_m2: float | None = None
    r_teme_m: tuple[float, float, float] | None = None
    v_teme_mps: tuple[float, float, float] | None = None

    def __post_init__(self) -> None:
        check_object_class(self.object_class, f"parent {self.name!r} object_class")
        if not (isinstance(self.mass_kg, (int, float)) and math.isfinite(self.mass_kg) and self.mass_kg > 0):
            raise ValueError(f"parent {self.name!r} mass_kg = {self.mass_kg!r}: must be a finite number > 0")
        if self.area_m2 is not None and not (math.isfinite(self.area_m2) and self.area_m2 > 0):
            raise ValueError(f"parent {self.name!r} area_m2 = {self.area_m2!r}: must be > 0 or absent")
        if (self.r_teme_m is None) != (self.v_teme_mps is None):
            raise ValueError(f"parent {self.name!r}: give both r_teme_m and v_teme_mps, or neither")


@dataclass(frozen=True)
class ParentOutcome:
    """What one parent produced (the per-parent part of the summary).

    ``budget_kg`` is the mass its fragments may carry (its mass; for a non-catastrophic collision
    the projectile's part of M and the target's ejecta), ``n_drawn`` the count drawn from the law,
    ``n_am_redrawn`` the fragments whose A/m the budget made draw again.
    """

    name: str
    object_class: str
    mass_kg: float
    lc_max_m: float
    expected_count: float
    budget_kg: float
    n_drawn: int
    n_fragments: int
    n_remnants: int
    n_am_redrawn: int
    mass_fragments_kg: float
    mass_remnants_kg: float
    scaling_factor: float | None = None


@dataclass
class FragmentCloud:
    """A breakup's fragment table and what it accounts for.

    ``table`` is a dict of equal-length 1-D arrays with the columns of :data:`BASE_COLUMNS`,
    ``is_remnant``, and :data:`STATE_COLUMNS` when the parents' states were given.
    """

    table: dict[str, NDArray]
    kind: str
    lc_min_m: float
    mass_budget: bool
    outcomes: tuple[ParentOutcome, ...]
    collision: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The breakup section of ``summary.json`` (JSON-serialisable, units in the keys)."""
        mass = self.table["mass_kg"]
        remnant = self.table["is_remnant"]
        lc = self.table["lc_m"]
        total = math.fsum(o.mass_kg for o in self.outcomes)
        accounted = math.fsum(mass)
        out: dict[str, Any] = {
            "kind": self.kind,
            "n_fragments": int(mass.size),
            "n_remnants": int(remnant.sum()),
            "n_by_parent": {o.name: o.n_fragments + o.n_remnants for o in self.outcomes},
            "expected_count_by_parent": {o.name: o.expected_count for o in self.outcomes},
            "lc_min_m": self.lc_min_m,
            "lc_max_m_by_parent": {o.name: o.lc_max_m for o in self.outcomes},
            "largest_lc_m": float(lc[~remnant].max()) if (~remnant).any() else None,
            "mass_budget": self.mass_budget,
            "mass_total_kg": total,
            "mass_in_fragments_kg": math.fsum(mass[~remnant]),
            "mass_accounted_kg": accounted,
            "mass_accounted_fraction": accounted / total,
        }
        if self.kind == "explosion":
            out["scaling_factor_by_parent"] = {o.name: o.scaling_factor for o in self.outcomes}
        out.update(self.collision)
        return out


def _fragment_parent(
    rng: np.random.Generator,
    parent: Parent,
    kind: str,
    exponent: float,
    n_expected: float,
    lc_min_m: float,
    lc_max_m: float,
    budget_kg: float,
    mass_budget: str | None,
    n_remnants: int,
    hulk: bool,
) -> tuple[dict[str, NDArray], ParentOutcome]:
    """Sample one parent's fragments (and remnants) as columns; ``mass_budget`` is the policy or None."""
    n = stochastic_round(rng, n_expected)
    lc = sample_lc(rng, n, lc_min_m, lc_max_m, exponent) if n else np.empty(0)  # eq. 2 / eq. 4, truncated
    rocket_body = parent.object_class == "rocket_body"
    chi = sample_log_am(rng, lc, rocket_body)  # eqs. 5-7
    area = area_from_lc(lc)  # eqs. 8-9
    n_redrawn = 0
    if mass_budget == "resample":
        chi, n_redrawn = resample_to_budget(rng, lc, chi, area, budget_kg, rocket_body)
    am = 10.0**chi
    mass = area / am  # eq. 10
    if mass_budget == "truncate" and float(np.sum(mass)) > budget_kg * (1.0 - SUM_GUARD):
        keep = n_within_budget(mass, budget_kg)
        lc, chi, am, area, mass = lc[:keep], chi[:keep], am[:keep], area[:keep], mass[:keep]
    dv = sample_delta_v(rng, chi, kind)  # eqs. 11-12
    is_remnant = np.zeros(lc.size, dtype=bool)
    mass_fragments = float(np.sum(mass))
    remainder = parent.mass_kg - mass_fragments
    if hulk:
        n_rem = 1 if remainder > 0 else 0
    else:
        n_rem = n_remnants if (mass_budget and remainder > 0) else 0
    if n_rem:
        r_lc, r_am, r_area, r_mass = remnants(rng, remainder, n_rem, lc_max_m)
        r_dv = np.zeros((3, n_rem)) if hulk else sample_delta_v(rng, np.log10(r_am), kind)
        lc, am, area, mass = (np.concatenate(p) for p in ((lc, r_lc), (am, r_am), (area, r_area), (mass, r_mass)))
        dv = np.concatenate((dv, r_dv), axis=1)
        is_remnant = np.concatenate((is_remnant, np.ones(n_rem, dtype=bool)))
    cols = {
        "parent": np.full(lc.size, parent.name),
        "object_class": np.full(lc.size, parent.object_class),
        "lc_m": lc,
        "am_m2_kg": am,
        "area_m2": area,
        "mass_kg": mass,
        "dv_x_mps": dv[0],
        "dv_y_mps": dv[1],
        "dv_z_mps": dv[2],
        "is_remnant": is_remnant,
    }
    if parent.v_teme_mps is not None:
        r = np.asarray(parent.r_teme_m, dtype=float)[:, None] * np.ones(lc.size)
        v = np.asarray(parent.v_teme_mps, dtype=float)[:, None] + dv
        cols.update(zip(STATE_COLUMNS[:6], (*r, *v), strict=True))
    outcome = ParentOutcome(
        name=parent.name,
        object_class=parent.object_class,
        mass_kg=float(parent.mass_kg),
        lc_max_m=lc_max_m,
        expected_count=n_expected,
        budget_kg=float(budget_kg),
        n_drawn=n,
        n_fragments=int(lc.size - n_rem),
        n_remnants=n_rem,
        n_am_redrawn=n_redrawn,
        mass_fragments_kg=mass_fragments,
        mass_remnants_kg=float(np.sum(mass[lc.size - n_rem:])),
    )
    return cols, outcome


def _assemble(parts: list[dict[str, NDArray]], epoch_utc: str | None) -> dict[str, NDArray]:
    """Concatenate the parents' columns in contract order, numbering fragments from 1."""
    with_states = ["x_teme_m" in p for p in parts]
    if any(with_states) and not all(with_states):
        raise ValueError("parents: give states (r_teme_m, v_teme_mps) for all parents or for none")
    columns = list(BASE_COLUMNS[1:])
    if parts and all(with_states):
        if epoch_utc is None:
            raise ValueError("epoch_utc: required when the parents' states are given")
        columns += STATE_COLUMNS[:6]
    table = {name: np.concatenate([p[name] for p in parts]) for name in [*columns, "is_remnant"]}
    n = table["lc_m"].size
    table = {"fragment_id": np.arange(1, n + 1, dtype=np.int64), **table}
    if "x_teme_m" in table:
        table["epoch_utc"] = np.full(n, epoch_utc)
    table["is_remnant"] = table.pop("is_remnant")  # added column, last
    return table


def check_fragment_count(n_expected: float, lc_min_m: float, max_fragments: float) -> None:
    """Refuse an event whose expected fragment count, from the size laws before any sampling,
    exceeds ``max_fragments`` (:class:`~debriscope.errors.FragmentCountError`)."""
    if not (n_expected <= max_fragments):
        raise FragmentCountError(n_expected, lc_min_m, max_fragments)


def _check_common(lc_min_m: float, n_remnants: int, mass_budget_policy: str) -> None:
    if mass_budget_policy not in POLICIES:
        raise ValueError(f"mass_budget_policy = {mass_budget_policy!r}: allowed: 'resample', 'truncate'")
    if not (isinstance(lc_min_m, (int, float)) and math.isfinite(lc_min_m) and lc_min_m > 0):
        raise ValueError(f"lc_min_m = {lc_min_m!r}: must be a finite number > 0 (m)")
    if not (isinstance(n_remnants, int) and n_remnants >= 0):
        raise ValueError(f"n_remnants = {n_remnants!r}: must be an integer >= 0")


def explosion(
    parents: Sequence[Parent],
    rng: np.random.Generator,
    *,
    lc_min_m: float,
    scaling_factors: Sequence[float] | None = None,
    mass_budget: bool = True,
    mass_budget_policy: str = "resample",
    n_remnants: int = 1,
    epoch_utc: str | None = None,
    max_fragments: float = DEFAULT_MAX_FRAGMENTS,
) -> FragmentCloud:
    """Fragment the parents of an explosion.

    Parameters
    ----------
    parents : sequence of Parent
        One or more bodies destroyed by the explosion.
    rng : numpy.random.Generator
    lc_min_m : float
        Smallest characteristic length sampled, m.
    scaling_factors : sequence of float, optional
        ``S`` per parent (eq. 2); default :data:`DEFAULT_SCALING_FACTOR` by class.
    mass_budget : bool
        Enforce the mass budget (:mod:`debriscope.breakup.mass_budget`).
    mass_budget_policy : str
        'resample' (the heaviest fragments' A/m drawn again, conditioned on the budget) or
        'truncate' (stop at the budget); :mod:`debriscope.breakup.mass_budget`.
    n_remnants : int
        Remnants carrying the mass the fragments leave over (with the budget on; 0 leaves it unaccounted).
    epoch_utc : str, optional
        Event epoch (ISO 8601 UTC), written with the states.
    max_fragments : float
        Refuse (:class:`~debriscope.errors.FragmentCountError`), before sampling anything, an
        event whose expected fragment count (the size laws, eqs. 2 and 4) exceeds this.
    """
    _check_common(lc_min_m, n_remnants, mass_budget_policy)
    if not parents:
        raise ValueError("parents: at least one parent is required")
    if scaling_factors is None:
        scaling_factors = [DEFAULT_SCALING_FACTOR[p.object_class] for p in parents]
    if len(scaling_factors) != len(parents):
        raise ValueError(f"scaling_factors: expected {len(parents)} values, one per parent, got {len(scaling_factors)}")
    plan = []
    for parent, s in zip(parents, scaling_factors, strict=True):
        if not (math.isfinite(s) and s > 0):
            raise ValueError(f"scaling_factor of parent {parent.name!r} = {s!r}: must be a finite number > 0")
        lc_max = parent_lc_max_m(parent.mass_kg, parent.area_m2)
        if lc_min_m >= lc_max:
            raise ValueError(
                f"lc_min_m = {lc_min_m!r}: must be smaller than the size of parent {parent.name!r} ({lc_max:.4g} m)"
            )
        plan.append((parent, s, lc_max, expected_count(lc_min_m, lc_max, EXPLOSION_EXPONENT, 6.0 * s)))  # eq. 2
    check_fragment_count(math.fsum(p[3] for p in plan), lc_min_m, max_fragments)
    parts, outcomes = [], []
    for parent, s, lc_max, n_expected in plan:
        cols, outcome = _fragment_parent(
            rng, parent, "explosion", EXPLOSION_EXPONENT, n_expected, lc_min_m, lc_max,
            parent.mass_kg, mass_budget_policy if mass_budget else None, n_remnants, hulk=False,
        )
        parts.append(cols)
        outcomes.append(replace(outcome, scaling_factor=float(s)))
    return FragmentCloud(_assemble(parts, epoch_utc), "explosion", lc_min_m, mass_budget, tuple(outcomes))


def collision(
    target: Parent,
    impactor: Parent,
    relative_speed_mps: float,
    rng: np.random.Generator,
    *,
    lc_min_m: float,
    mass_budget: bool = True,
    mass_budget_policy: str = "resample",
    n_remnants: int = 1,
    epoch_utc: str | None = None,
    max_fragments: float = DEFAULT_MAX_FRAGMENTS,
) -> FragmentCloud:
    """Fragment both bodies of a collision (Johnson et al. 2001, section 3; Krisko 2011).

    The heavier body is the target, the lighter the projectile, whichever argument they come in.
    Parameters as :func:`explosion`, plus the impact speed ``relative_speed_mps`` (m/s).
    """
    _check_common(lc_min_m, n_remnants, mass_budget_policy)
    if impactor is None:
        raise ValueError("impactor: a collision needs an impactor (mass_kg, object_class)")
    reference, catastrophic, emr = collision_reference_mass(target.mass_kg, impactor.mass_kg, relative_speed_mps)
    heavy, light = (target, impactor) if target.mass_kg >= impactor.mass_kg else (impactor, target)
    coefficient = 0.1 * reference**0.75  # eq. 4
    if catastrophic:
        plan = [(heavy, heavy.mass_kg, False), (light, light.mass_kg, False)]
    else:
        projectile_budget = min(light.mass_kg, reference)
        if reference < light.mass_kg:
            warnings.warn(
                f"non-catastrophic collision at {relative_speed_mps:.4g} m/s: M = m_p v^2 = {reference:.4g} kg is "
                "below the projectile's mass (impact speed under 1 km/s), outside the range the model was fitted "
                "to; the projectile fragments only M",
                ModelValidityWarning,
                stacklevel=2,
            )
        plan = [(heavy, reference - projectile_budget, True), (light, projectile_budget, False)]
    counts = []
    for body, budget, hulk in plan:
        lc_max = parent_lc_max_m(body.mass_kg, body.area_m2)
        if hulk:  # cratering ejecta: no fragment larger than a body of the ejecta's whole mass
            lc_max = min(lc_max, float(lc_from_mass_m(budget)))
        if lc_min_m >= lc_max and not hulk:
            raise ValueError(
                f"lc_min_m = {lc_min_m!r}: must be smaller than the size of {body.name!r} ({lc_max:.4g} m)"
            )
        share = budget / reference  # this body's part of the event's fragment count
        n_expected = share * expected_count(lc_min_m, lc_max, COLLISION_EXPONENT, coefficient) if lc_max > lc_min_m else 0.0
        counts.append((lc_max, n_expected))
    check_fragment_count(math.fsum(c[1] for c in counts), lc_min_m, max_fragments)
    parts, outcomes = [], []
    for (body, budget, hulk), (lc_max, n_expected) in zip(plan, counts, strict=True):
        cols, outcome = _fragment_parent(
            rng, body, "collision", COLLISION_EXPONENT, n_expected, lc_min_m, lc_max,
            budget, mass_budget_policy if mass_budget else None, n_remnants, hulk=hulk,
        )
        parts.append(cols)
        outcomes.append(outcome)
    info = {
        "catastrophic": catastrophic,
        "reference_mass_kg": reference,
        "energy_to_mass_j_per_g": emr,
        "relative_speed_mps": float(relative_speed_mps),
        "target": heavy.name,
        "projectile": light.name,
    }
    return FragmentCloud(_assemble(parts, epoch_utc), "collision", lc_min_m, mass_budget, tuple(outcomes), info)
