"""The propagation stage: every fragment to its decay, plus element snapshots for Gabbard diagrams.

Reads ``fragments.csv``, ``event.json`` and ``models.json`` (the truth's force model, resolved by the
scenario stage); writes ``decay.csv`` (fragment_id, decay_utc,
lifetime_days, status: in_orbit, decayed, failed, or escaped for fragments thrown out of Earth
orbit, which are not propagated) and ``elements.csv`` (osculating and mean elements at
``propagation.snapshot_days`` after the event). One pass: the cloud is propagated through the
snapshot windows, then the survivors on to decay or ``max_days``.

A scenario with a ``[mission]`` (``compare_lifetimes``, the default) whose event cut a burn short
(``[event.burn]``) also gets ``lifetimes_burn_vs_parking.csv``: the same cloud started from the
other event state, to decay (:mod:`debriscope.propagation.burn_lifetimes`).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np

from ..errors import RunFolderError
from ..runfolder import (
    BURN_LIFETIMES_FILE,
    DECAY_FILE,
    ELEMENTS_FILE,
    EVENT_FILE,
    FRAGMENTS_FILE,
    MODELS_FILE,
    RunContext,
)
from ..tables import write_csv
from ..timescale import tt_s_to_utc_iso, utc_to_tt_s
from .batch import predict_decay, propagate
from .burn_lifetimes import compare_lifetimes
from .parameters import atmosphere_label, force_model_from_parameters
from .results import STATUS_TEXT, Status
from .snapshots import snapshot_tables, window_times

log = logging.getLogger(__name__)
_STATE_COLUMNS = ("x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")


def _epoch(fragments: dict, event: dict) -> float:
    """The fragments' common epoch (TT s); it must agree with event.json's event time."""
    epochs = np.unique(np.asarray(fragments["epoch_utc"]).astype(str))
    if epochs.size != 1:
        raise RunFolderError(f"{FRAGMENTS_FILE}: expected one epoch_utc for all fragments, got {epochs[:3]}")
    t0 = float(utc_to_tt_s(str(epochs[0])))
    t_event = event.get("event", {}).get("t_tt_s")
    if t_event is not None and abs(float(t_event) - t0) > 1e-3:
        raise RunFolderError(f"{FRAGMENTS_FILE} epoch {epochs[0]} differs from {EVENT_FILE} event time; "
                             "re-run the breakup stage")
    return t0


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Propagate the cloud to decay; write ``decay.csv`` and ``elements.csv``; return the summary."""
    opts = ctx.scenario.propagation
    frags = ctx.read_table(FRAGMENTS_FILE)
    event = ctx.read_json(EVENT_FILE)
    t0 = _epoch(frags, event)
    ids = np.asarray(frags["fragment_id"], dtype=np.int64)
    state0 = np.vstack([np.asarray(frags[c], dtype=float) for c in _STATE_COLUMNS])
    am = np.asarray(frags["am_m2_kg"], dtype=float)
    n = ids.size
    t_end = t0 + opts.max_days * 86400.0
    truth = ctx.read_json(MODELS_FILE)["truth"]
    model = force_model_from_parameters(truth, t0)

    snap_days = np.array(sorted(d for d in opts.snapshot_days if d < opts.max_days))
    snap_t = t0 + snap_days * 86400.0
    times = window_times(snap_t)
    k_per = times.size // max(snap_days.size, 1)
    ephem = propagate(state0, t0, times, am, model) if times.size else None

    decay_t = np.full(n, np.nan)
    status = np.full(n, int(Status.OK), dtype=np.int64)
    tables = []
    if ephem is not None:
        for j, t_s in enumerate(snap_t):
            tables += snapshot_tables(ids, tt_s_to_utc_iso(t_s, decimals=3),
                                      ephem.states[j * k_per:(j + 1) * k_per])
        decay_t, status = ephem.decay_tt_s.copy(), ephem.status.copy()
    t_last = float(times[-1]) if times.size else t0
    alive = status == int(Status.OK)
    if alive.any() and t_last < t_end:
        start = ephem.states[-1][:, alive] if ephem is not None else state0[:, alive]
        with ctx.progress(int(alive.sum()), "propagation to decay") as advance:
            res = predict_decay(start, t_last, am[alive], model, (t_end - t_last) / 86400.0, advance)
        decay_t[alive], status[alive] = res.decay_tt_s, res.status

    decayed = status == int(Status.DECAYED)
    lifetime = np.where(decayed, (decay_t - t0) / 86400.0, np.nan)
    decay_utc = np.full(n, "", dtype=object)
    if decayed.any():
        decay_utc[decayed] = tt_s_to_utc_iso(decay_t[decayed], decimals=3)
    write_csv(ctx.path(DECAY_FILE), {
        "fragment_id": ids,
        "decay_utc": decay_utc.astype(str),
        "lifetime_days": lifetime,
        "status": np.array([STATUS_TEXT[Status(s)] for s in status]),
    })
    if tables:
        write_csv(ctx.path(ELEMENTS_FILE), {k: np.concatenate([t[k] for t in tables]) for k in tables[0]})
    else:
        write_csv(ctx.path(ELEMENTS_FILE), {k: np.array([]) for k in (
            "fragment_id", "epoch_utc", "kind", "period_min", "apogee_km", "perigee_km", "inclination_deg",
            "a_m", "e", "raan_deg", "argp_deg", "mean_anomaly_deg")})

    span_days = np.where(decayed, lifetime, np.where(status == int(Status.OK), opts.max_days, 0.0))
    first = float(np.nanmin(decay_t[decayed])) if decayed.any() else None
    last = float(np.nanmax(decay_t[decayed])) if decayed.any() else None
    summary = {
        "mode": model.mode,
        "atmosphere": atmosphere_label(truth["atmosphere"]),
        "indices": (truth["atmosphere"] or {}).get("indices", "historical"),
        "n_fragments": int(n),
        "n_decayed": int(decayed.sum()),
        "n_in_orbit": int((status == int(Status.OK)).sum()),
        "n_failed": int((status == int(Status.FAILED)).sum()),
        "n_escaped": int((status == int(Status.ESCAPED)).sum()),
        "first_decay_utc": tt_s_to_utc_iso(first) if first is not None else None,
        "last_decay_utc": tt_s_to_utc_iso(last) if last is not None else None,
        "median_lifetime_days": float(np.median(lifetime[decayed])) if decayed.any() else None,
        "object_days": float(np.sum(span_days)),
        "max_days": float(opts.max_days),
    }
    mission = getattr(ctx.scenario, "mission", None)
    if mission is not None and getattr(mission, "compare_lifetimes", True):
        start = time.perf_counter()
        with ctx.progress(n, "propagation from the other event state") as advance:
            compared = compare_lifetimes(event, np.asarray(frags["parent"]), state0, t0, am, lifetime, status, model,
                                         opts.max_days, advance)
        if compared is not None:
            table, summary["burn_comparison"] = compared
            write_csv(ctx.path(BURN_LIFETIMES_FILE), {"fragment_id": ids, **table})
            log.info("propagation: the cloud from the other event state of [event.burn] in %.2f s",
                     time.perf_counter() - start)
    log.info("propagation: %d of %d fragments decayed within %.0f days", summary["n_decayed"], n, opts.max_days)
    return summary
