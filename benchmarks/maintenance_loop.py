"""The catalog-maintenance loop alone on a run folder: its CPU time, rate and score.

    python benchmarks/maintenance_loop.py RUN [--days D] [--profile]

``RUN`` is a run folder whose sensors stage has run (``detections.csv``, ``radars.json``,
``event.json``, ``scenario.toml``; e.g. ``debriscope run -o RUN``, or the dense cloud that
``benchmarks/catalog_maintenance.py`` builds in ``benchmarks/.catalog_maintenance/base``).
``--days`` keeps the detections of the first D days. Prints the detections, the loop's process
CPU time and wall time, detections per CPU second, and the score against the truth (purity,
completeness, admitted, merged); ``--profile`` adds the cProfile listing by cumulative time.
CPU time is the figure to compare on a shared machine.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time
from pathlib import Path

import numpy as np

from debriscope.propagation import force_model_from_parameters
from debriscope.scenario.load import load
from debriscope.scenario.models import estimator_parameters
from debriscope.tables import read_csv
from debriscope.timescale import utc_to_tt_s
from debriscope.tracking.maintenance import maintain, observations_from_table, stations_from_sensors
from debriscope.tracking.maintenance.observations import with_defaults
from debriscope.tracking.maintenance.outputs import admissible_fragments, score
from debriscope.tracking.stage import event_origin, maintenance_parts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", type=Path)
    ap.add_argument("--days", type=float, default=None)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    options = load(args.run / "scenario.toml").tracking
    det = read_csv(args.run / "detections.csv")
    if args.days:
        t = utc_to_tt_s(np.asarray(det["time_utc"]))
        keep = t <= t.min() + args.days * 86400.0
        det = {k: np.asarray(v)[keep] for k, v in det.items()}
    det = with_defaults(det)
    stations = stations_from_sensors(json.loads((args.run / "radars.json").read_text()))
    obs = observations_from_table(det, stations)
    model = force_model_from_parameters(estimator_parameters(options), float(obs.t_tt_s[0]))
    parts = maintenance_parts(options)
    origin = event_origin(json.loads((args.run / "event.json").read_text()))
    profiler = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    result = maintain(obs, model, parts, {k[0]: v for k, v in stations.items() if not k[1]}, origin=origin)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    fid = np.asarray(det["fragment_id"], dtype=np.int64)
    searchable = ~np.asarray(obs.needs_prediction)[np.argsort(obs.row)]
    out = score(result, fid, searchable, admissible_fragments(fid, searchable, obs, parts.admission))
    print(f"detections {obs.size}, windows {result.n_windows}")
    print(f"loop: {cpu:.1f} CPU s ({obs.size / cpu:,.0f} detections per CPU second), {wall:.1f} s wall")
    for key in ("n_objects", "n_admitted", "n_merged", "association_purity", "association_purity_catalogued",
                "n_distinct_fragments_catalogued", "n_fragments_seen_by_search_sensors", "completeness",
                "n_fragments_admissible", "completeness_admissible"):
        print(f"{key}: {out.get(key)}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
