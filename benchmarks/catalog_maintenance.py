"""Tracking and catalog throughput on a dense debris cloud.

    python benchmarks/catalog_maintenance.py [--work DIR] [--max-detections N]

A catastrophic collision (1,000 kg target, 10 kg impactor at 10 km/s, cross-track) at 800 km in
a circular 86 deg orbit, fragments >= 10 cm (NASA SBM: about 850 after the mass budget),
observed by the default sensors (the 1962 network, ``[sensors]`` defaults). The scenario,
breakup, propagation and sensors stages run once into ``DIR`` (default
``benchmarks/.catalog_maintenance``; reused if present); then the tracking and catalog stages
are timed on a copy. Prints the detections, the catalog-maintenance loop's own time, rate
(target: >= 5,000 detections/s on 2 cores), association purity and completeness against the
truth, the tracking and catalog stages' wall and process CPU time (tracking also runs the two-day
early-warning analysis: its own CPU time is the stage's less the loop's) and the peak resident
memory of the process. The machine is shared: CPU time is the figure to compare.

``--max-detections`` keeps the first N detections in time order (to measure how the time grows).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time
from pathlib import Path

import numpy as np

from debriscope.pipeline import rerun_stage, run
from debriscope.tables import read_csv, write_csv

SCENARIO = """
name = "dense_collision"
seed = 16

[orbit.state]  # circular, 800 km above the equatorial radius, 86 deg: r = 7178.137 km, v = 7451.8 m/s
epoch_utc = "1962-10-24T19:00:00Z"
position_m = [7178137.0, 0.0, 0.0]
velocity_mps = [0.0, 519.8, 7433.6]

[[objects]]
name = "target"
object_class = "spacecraft"
mass_kg = 1000.0

[event]
kind = "collision"
time_utc = "1962-10-24T19:00:00Z"

[event.impactor]
mass_kg = 10.0
relative_speed_mps = 10000.0

[breakup]
lc_min_m = 0.1

[propagation]
max_days = 3.0  # nothing at 800 km decays within the window; the catalog needs decay.csv only
"""


def prepare(work: Path) -> Path:
    """The run folder up to the sensors stage (built once)."""
    base = work / "base"
    if (base / "radars.json").exists() and (base / "models.json").exists():
        return base
    work.mkdir(parents=True, exist_ok=True)
    (work / "dense.toml").write_text(SCENARIO, encoding="utf-8")
    run(work / "dense.toml", base, stages=["scenario", "breakup", "propagation", "sensors"], force=True)
    return base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path(__file__).parent / ".catalog_maintenance")
    parser.add_argument("--max-detections", type=int, default=0)
    args = parser.parse_args()
    base = prepare(args.work)
    case = args.work / "case"
    shutil.rmtree(case, ignore_errors=True)
    shutil.copytree(base, case)
    det = read_csv(case / "detections.csv")
    if args.max_detections:
        keep = np.sort(np.argsort(np.asarray(det["time_utc"]).astype(str), kind="stable")[: args.max_detections])
        write_csv(case / "detections.csv", {k: np.asarray(c)[keep] for k, c in det.items()})
        truth = read_csv(case / "truth_states.csv")  # row by row with detections.csv
        write_csv(case / "truth_states.csv", {k: np.asarray(c)[keep] for k, c in truth.items()})
    n_det = min(len(det["time_utc"]), args.max_detections or len(det["time_utc"]))
    times, cpu = {}, {}
    for stage in ("tracking", "catalog"):
        tic, tic_cpu = time.perf_counter(), time.process_time()
        summary = rerun_stage(case, stage)
        times[stage], cpu[stage] = time.perf_counter() - tic, time.process_time() - tic_cpu
        if stage == "tracking":
            m = summary.get("maintenance", {})
            n_ew = summary["n_detections"]
            print(f"early warning: tracks {summary['n_tracks']}, purity "
                  f"{summary.get('track_quality', {}).get('purity_mean')}")
            print(f"maintenance: {m.get('n_detections')} detections, {m.get('n_passes')} passes, "
                  f"{m.get('seconds')} s, {m.get('detections_per_second')} detections/s (target >= 5000)")
            print(f"maintenance: objects {m.get('n_objects')}, admitted {m.get('n_admitted')}, association purity "
                  f"{m.get('association_purity')} (admitted objects {m.get('association_purity_catalogued')}), "
                  f"completeness {m.get('completeness')} of {m.get('n_fragments_seen_by_search_sensors')} "
                  f"fragments seen by search sensors")
    ew_cpu = cpu["tracking"] - float(m.get("cpu_seconds") or 0.0)  # the stage less the maintenance loop
    print(f"early warning: {n_ew} fan and cued rows in {ew_cpu:.1f} CPU s, {n_ew / max(ew_cpu, 1e-9):.0f} rows/CPU s")
    total, total_cpu = sum(times.values()), sum(cpu.values())
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"detections {n_det}")
    print(f"tracking {times['tracking']:.1f} s ({cpu['tracking']:.1f} CPU s), catalog {times['catalog']:.1f} s "
          f"({cpu['catalog']:.1f} CPU s), total {total:.1f} s ({total_cpu:.1f} CPU s)")
    print(f"tracking and catalog stages: detections per second {n_det / total:.0f} ({n_det / total_cpu:.0f} per CPU s)")
    print(f"peak memory {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
