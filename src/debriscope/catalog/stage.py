"""The catalog stage: ``objects.csv`` (+ ``detections.csv``, ``associations.csv``, ``radars.json``) ->
``catalog.sqlite`` and ``exports/``.

Reads what catalog maintenance admitted and builds the catalog
(:func:`debriscope.catalog.build.assemble_catalog`) with the estimator's force model for each
object's ephemeris (:func:`debriscope.propagation.estimator_dynamics.propagate_states`, forward and
backward from the element set's epoch) and its predicted decay
(the estimator's force model of ``models.json``, which its B was estimated with:
:func:`debriscope.tracking.stage.estimator_model`); ``decay.csv`` and
``fragments.csv`` (the truth) are read for the scoring-only columns. The database and the exports
are written all or nothing (:func:`debriscope.catalog.db.write_catalog`): the exports are written
from the new database before it replaces the old one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import __version__
from ..runfolder import (
    ASSOCIATIONS_FILE,
    CATALOG_FILE,
    DECAY_FILE,
    DETECTIONS_FILE,
    EVENT_FILE,
    EXPORTS_DIR,
    FRAGMENTS_FILE,
    MODELS_FILE,
    OBJECTS_FILE,
    RADARS_FILE,
    SCENARIO_FILE,
    RunContext,
)
from .build import CatalogInputs, DecayFunction, EphemerisFunction, assemble_catalog
from .db import write_catalog
from .exports import write_exports


def scenario_sha256(ctx: RunContext) -> str:
    """The scenario hash the pipeline recorded, else the SHA-256 of the run's ``scenario.toml``."""
    recorded = ctx.summary.get("scenario_sha256")
    if recorded:
        return str(recorded)
    path = ctx.path(SCENARIO_FILE)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def estimator_ephemeris(estimator: dict[str, Any]) -> EphemerisFunction:
    """The estimator's force model (its ``models.json`` record, :func:`debriscope.tracking.stage.estimator_model`:
    zonal gravity and drag with B in the estimator's atmosphere) integrated by
    :func:`debriscope.propagation.estimator_dynamics.propagate_states`, which also runs backwards
    from the epoch, as an :data:`EphemerisFunction`."""
    from ..propagation.estimator_dynamics import propagate_states
    from ..tracking.stage import estimator_model

    def ephemeris(state0: NDArray, t0: float, times: NDArray, b: NDArray) -> NDArray:
        span = np.append(np.asarray(times, dtype=float), t0)
        model = estimator_model(estimator, float(span.min()))
        return propagate_states(state0, t0, times, np.asarray(b, dtype=float) / model.cd, model)

    return ephemeris


def estimator_decay(estimator: dict[str, Any], max_days: float) -> DecayFunction:
    """The catalog's decay prediction from each object's own last element set: the estimator's
    force model (its ``models.json`` record; the B it solved for belongs to that atmosphere) with
    ``debriscope.propagation.predict_decay``, over ``max_days``; one call per epoch."""
    from ..propagation import predict_decay
    from ..tracking.stage import estimator_model

    def decay(state0: NDArray, t0: NDArray, am: NDArray) -> NDArray:
        out = np.full(t0.size, np.nan)
        if not t0.size:
            return out
        model = estimator_model(estimator, float(t0.min()))
        for epoch in np.unique(t0):
            sel = np.flatnonzero(t0 == epoch)
            out[sel] = predict_decay(state0[:, sel], float(epoch), am[sel], model, max_days).decay_tt_s
        return out

    return decay


def _inputs(ctx: RunContext, event: dict[str, Any], estimator: dict[str, Any]) -> CatalogInputs:
    from ..sensors.parameters import sensors_from_parameters

    observed = ctx.path(ASSOCIATIONS_FILE).exists() and ctx.path(RADARS_FILE).exists()
    sensors = sensors_from_parameters(ctx.read_json(RADARS_FILE)) if observed else []
    frags = ctx.read_table(FRAGMENTS_FILE) if ctx.path(FRAGMENTS_FILE).exists() else None
    return CatalogInputs(
        event=event,
        objects=ctx.read_table(OBJECTS_FILE),
        decay=ctx.read_table(DECAY_FILE),
        scenario_name=ctx.scenario.name,
        seed=int(ctx.scenario.seed),
        scenario_sha256=scenario_sha256(ctx),
        package_version=__version__,
        cd=float(estimator["cd"]),
        detections=ctx.read_table(DETECTIONS_FILE) if observed else None,
        associations=ctx.read_table(ASSOCIATIONS_FILE) if observed else None,
        sensors={s.name: s for s in sensors},
        truth_lc_m={} if frags is None else dict(zip(np.asarray(frags["fragment_id"], dtype=np.int64).tolist(),
                                                     np.asarray(frags["lc_m"], dtype=float).tolist(), strict=True)),
    )


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Build ``catalog.sqlite`` and ``exports/``; returns the ``catalog`` section of summary.json."""
    options = ctx.scenario.catalog
    estimator = ctx.read_json(MODELS_FILE)["estimator"]
    inputs = _inputs(ctx, ctx.read_json(EVENT_FILE), estimator)
    result = assemble_catalog(inputs, options, estimator_ephemeris(estimator),
                              estimator_decay(estimator, ctx.scenario.propagation.max_days))
    exports_dir = Path(ctx.run_dir) / EXPORTS_DIR
    write_catalog(
        ctx.path(CATALOG_FILE),
        result.rows,
        before_replace=lambda tmp: write_exports(tmp, exports_dir, oem_frame=options.oem_frame),
    )
    return result.summary
