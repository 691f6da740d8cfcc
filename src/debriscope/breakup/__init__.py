"""NASA Standard Breakup Model (Johnson et al. 2001; Krisko 2011), vectorised.

Arrays in, arrays out; every random draw from a passed-in ``numpy.random.Generator``.

>>> import numpy as np
>>> from debriscope.breakup import Parent, explosion
>>> cloud = explosion([Parent("Blok L", "rocket_body", 900.0)], np.random.default_rng(7), lc_min_m=0.05)
>>> cloud.summary()["mass_accounted_kg"] <= 900.0
True

See ``docs/breakup.md`` for the model, its sources and where implementations disagree.
"""

from .area_to_mass import area_from_lc, log_am_cdf, sample_log_am
from .cloud import FragmentCloud, Parent, collision, explosion
from .delta_v import isotropic_directions, sample_delta_v
from .fragments_io import read_fragments, write_fragments
from .size import (
    collision_cumulative_count,
    collision_reference_mass,
    explosion_cumulative_count,
    parent_lc_max_m,
    sample_lc,
)

__all__ = [
    "FragmentCloud",
    "Parent",
    "area_from_lc",
    "collision",
    "collision_cumulative_count",
    "collision_reference_mass",
    "explosion",
    "explosion_cumulative_count",
    "isotropic_directions",
    "log_am_cdf",
    "parent_lc_max_m",
    "read_fragments",
    "sample_delta_v",
    "sample_lc",
    "sample_log_am",
    "write_fragments",
]
