"""The catalog stage: ``orbits.csv`` + ``fragments.csv`` + ``decay.csv`` + ``event.json`` ->
``catalog.sqlite`` and ``exports/``.

Reads what tracking saw, builds the catalog (:func:`debriscope.catalog.build.assemble_catalog`)
with the run's own force model for the ephemeris, then writes the database and the exports all
or nothing (:func:`debriscope.catalog.db.write_catalog`): the exports are written from the new
database before it replaces the old one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import __version__
from ..runfolder import (
    CATALOG_FILE,
    DECAY_FILE,
    EVENT_FILE,
    EXPORTS_DIR,
    FRAGMENTS_FILE,
    ORBITS_FILE,
    SCENARIO_FILE,
    RunContext,
)
from .build import CatalogInputs, EphemerisFunction, assemble_catalog
from .db import write_catalog
from .exports import write_exports


def scenario_sha256(ctx: RunContext) -> str:
    """The scenario hash the pipeline recorded, else the SHA-256 of the run's ``scenario.toml``."""
    recorded = ctx.summary.get("scenario_sha256")
    if recorded:
        return str(recorded)
    path = ctx.path(SCENARIO_FILE)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def propagation_ephemeris(ctx: RunContext, t_end_tt_s: float) -> EphemerisFunction:
    """The run's force model as an :data:`EphemerisFunction` (``debriscope.propagation.propagate``)."""
    from ..propagation import make_force_model, propagate

    def ephemeris(state0: NDArray, t0: float, times: NDArray, am: NDArray) -> NDArray:
        model = make_force_model(ctx.scenario.propagation, t0, max(float(times[-1]), t_end_tt_s))
        return propagate(state0, t0, times, am, model).states

    return ephemeris


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Build ``catalog.sqlite`` and ``exports/``; returns the ``catalog`` section of summary.json."""
    from ..sensors import rcs_from_size_m2

    options = ctx.scenario.catalog
    event = ctx.read_json(EVENT_FILE)
    inputs = CatalogInputs(
        event=event,
        orbits=ctx.read_table(ORBITS_FILE),
        fragments=ctx.read_table(FRAGMENTS_FILE),
        decay=ctx.read_table(DECAY_FILE),
        scenario_name=ctx.scenario.name,
        seed=int(ctx.scenario.seed),
        scenario_sha256=scenario_sha256(ctx),
        package_version=__version__,
    )
    t_event = float(event["event"]["t_tt_s"])
    t_end = t_event + 86400.0 * max(options.element_set_epochs_days) + 4 * 3600.0
    result = assemble_catalog(
        inputs, options, propagation_ephemeris(ctx, t_end), lambda lc: np.asarray(rcs_from_size_m2(lc))
    )
    exports_dir = Path(ctx.run_dir) / EXPORTS_DIR
    write_catalog(
        ctx.path(CATALOG_FILE),
        result.rows,
        before_replace=lambda tmp: write_exports(tmp, exports_dir, oem_frame=options.oem_frame),
    )
    return result.summary
