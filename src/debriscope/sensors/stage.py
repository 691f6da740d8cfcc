"""The ``sensors`` stage: radar detections of the fragment cloud -> ``detections.csv``.

Reads ``fragments.csv`` (post-event TEME states, A/m, characteristic length), propagates the
fragments over ``[sensors] window_days`` with the ``[propagation]`` force model, simulates the
shipped sites (``sites``) and user-defined radars (``[[sensors.radars]]``), and writes
``detections.csv`` (optionally ``detections.tdm``) and ``radars.json`` (every radar simulated, its
parameters as in ``[[sensors.radars]]``: what later stages know of the sensors). Its summary answers, per site: could the
radars see the cloud at all, and when (first crossing of each fan, with the sub-satellite point).
"""

from __future__ import annotations

import dataclasses
import logging
import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..constants import SECONDS_PER_DAY
from ..errors import RunFolderError
from ..propagation import make_force_model, propagate
from ..runfolder import DETECTIONS_FILE, FRAGMENTS_FILE, RADARS_FILE, RunContext, write_json
from ..tables import Table, write_csv
from ..timescale import tt_s_to_utc_iso, utc_to_tt_s
from .detect import DetectionResult, chunk_grid, simulate_detections
from .radar import Radar
from .sites import shipped_sites
from .tdm import write_tdm

log = logging.getLogger(__name__)
TDM_FILE = "detections.tdm"


def radars_from_options(options: Any) -> list[Radar]:
    """The radars a ``[sensors]`` section asks for: shipped sites first, then user-defined radars."""
    sites = shipped_sites()
    radars = [r for name in options.sites for r in sites[name]]
    radars += [Radar.from_spec(spec) for spec in options.radars]
    return radars


def _none_if_nan(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def site_summary(
    radars: list[Radar], result: DetectionResult, fragment_id: NDArray, t0_tt_s: float
) -> dict[str, Any]:
    """Per-site summary: detections, fragments seen, first detection, and each fan's first crossing."""
    out: dict[str, Any] = {}
    radar_site = {r.name: r.site for r in radars}
    det_site = np.array([radar_site[n] for n in result.radar], dtype=str).reshape(-1)
    for site in dict.fromkeys(r.site for r in radars):
        mask = det_site == site
        t = result.t_tt_s[mask]
        beams = result.beam[mask].astype(str)
        fans: dict[str, Any] = {}
        for (vsite, beam), vis in result.visibility.items():
            if vsite != site:
                continue
            seen = math.isfinite(vis.t_tt_s)
            fans[beam] = {
                "n_fragments_in_coverage": len(vis.fragments),
                "first_rising_crossing_utc": tt_s_to_utc_iso(vis.t_tt_s, 1) if seen else None,
                "first_rising_crossing_hours_after_event": _none_if_nan((vis.t_tt_s - t0_tt_s) / 3600.0) if seen else None,
                "fragment_id": int(fragment_id[vis.fragment_index]) if seen else None,
                "subsatellite_lat_deg": _none_if_nan(vis.subsatellite_lat_deg),
                "subsatellite_lon_deg": _none_if_nan(vis.subsatellite_lon_deg),
                "range_km": _none_if_nan(vis.range_m / 1000.0),
                "azimuth_deg": _none_if_nan(vis.azimuth_deg),
            }
        first = float(t.min()) if t.size else math.nan
        out[site] = {
            "radars": [r.name for r in radars if r.site == site],
            "could_see_cloud": bool(any(f["n_fragments_in_coverage"] for f in fans.values())),
            "first_detection_utc": tt_s_to_utc_iso(first, 1) if t.size else None,
            "first_detection_hours_after_event": _none_if_nan((first - t0_tt_s) / 3600.0),
            "n_fragments_seen": int(np.unique(result.fragment_index[mask]).size),
            "n_detections": int(mask.sum()),
            "n_detections_by_beam": {b: int((beams == b).sum()) for b in sorted(set(beams))},
            "fans": fans,
        }
    return out


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Simulate the radars over the window after the event; write ``detections.csv``."""
    options = ctx.scenario.sensors
    radars = radars_from_options(options)
    frags = ctx.read_table(FRAGMENTS_FILE)
    fragment_id = np.asarray(frags["fragment_id"])
    state0 = np.stack([np.asarray(frags[k], dtype=float) for k in (
        "x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")])
    epochs = np.unique(np.asarray(frags["epoch_utc"], dtype=str))
    if epochs.size != 1:
        raise RunFolderError(f"{FRAGMENTS_FILE}: expected one epoch_utc for all fragments, found {epochs.size}")
    t0 = float(utc_to_tt_s(str(epochs[0])))
    t_end = t0 + options.window_days * SECONDS_PER_DAY
    am = np.asarray(frags["am_m2_kg"], dtype=float)
    model = make_force_model(ctx.scenario.propagation, t0, t_end)

    def propagate_chunk(state: NDArray, t_start: float, times: NDArray, rows: NDArray) -> NDArray:
        return propagate(state, t_start, times, am[rows], model).states

    chunk_s = options.chunk_hours * 3600.0
    n_chunks = len(chunk_grid(t0, t_end, options.step_s, chunk_s, state0.shape[1]))
    log.info("sensors: %d radars, %d fragments, %d chunks", len(radars), state0.shape[1], n_chunks)
    with ctx.progress(n_chunks, "sensors") as advance:
        result = simulate_detections(
            radars, state0, t0, np.asarray(frags["lc_m"], dtype=float), propagate_chunk, ctx.rng,
            t_end_tt_s=t_end, step_s=options.step_s, chunk_s=chunk_s, on_chunk=advance,
        )
    table: Table = result.table(radars, fragment_id)
    write_csv(ctx.path(DETECTIONS_FILE), table)
    write_json(ctx.path(RADARS_FILE), {"radars": [dataclasses.asdict(r) for r in radars]})  # for later stages
    files = [DETECTIONS_FILE, RADARS_FILE]
    if options.tdm:
        write_tdm(ctx.path(TDM_FILE), table, radars)
        files.append(TDM_FILE)
    return {
        "window_days": options.window_days,
        "n_radars": len(radars),
        "n_detections": int(result.t_tt_s.size),
        "n_fragments_seen": int(np.unique(result.fragment_index).size),
        "sites": site_summary(radars, result, fragment_id, t0),
        "files": files,
    }
