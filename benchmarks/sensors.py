"""Benchmark of the sensors stage: the flagship cloud (Lc >= 5 cm) observed by the whole 1962 network.

Runs the flagship scenario's scenario, breakup and propagation stages into a temporary folder (not
timed; ``--run RUN`` copies an existing run folder instead), then the sensors stage with the
scenario's ``[sensors]`` options (default: the ``spadats-1962`` network over the cloud's life)
twice, each in a fresh process: first with an empty density-slice cache in a temporary folder
(``$DEBRISCOPE_CACHE_DIR``; the NRLMSIS slices its propagation needs are built), then with that
cache warm. It prints both wall times (their difference is the density-slice build), the warm
process's CPU time and peak resident memory (``ru_maxrss``, which includes the interpreter and the
libraries; on a shared machine the CPU time is the steadier figure)
and what the stage produced (with a digest of ``detections.csv``: the two runs must agree).

    python benchmarks/sensors.py [window_days|life] [max_window_days] [--run RUN]
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import tomli_w

_CHILD = """
import json, resource, sys, time
from debriscope.pipeline import rerun_stage
tic = time.perf_counter()
section = rerun_stage(sys.argv[1], "sensors")
wall = time.perf_counter() - tic
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall_s": wall, "cpu_s": use.ru_utime + use.ru_stime, "peak_mb": use.ru_maxrss / 1024.0, "window_days": section["window_days"],
                  "n_detections": section["n_detections"], "by_kind": section["n_detections_by_kind"],
                  "n_sites": section["n_sites_with_detections"], "n_fragments": section["n_fragments_simulated"],
                  "last_days": section["last_detection_days_after_event"]}))
"""


def _sensors(folder: Path, cache: Path) -> dict:
    """The sensors stage on ``folder`` in a fresh process with the slice cache ``cache``."""
    env = {**os.environ, "DEBRISCOPE_CACHE_DIR": str(cache)}
    tic = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _CHILD, str(folder)], capture_output=True, text=True, env=env)
    if out.returncode:
        sys.exit(out.stderr)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["process_s"] = time.perf_counter() - tic
    res["sha256"] = hashlib.sha256((folder / "detections.csv").read_bytes()).hexdigest()[:16]
    return res


def main() -> None:
    args = sys.argv[1:]
    source = None
    if "--run" in args:
        k = args.index("--run")
        source = Path(args[k + 1])
        del args[k:k + 2]
    window = args[0] if args else "life"
    cap = float(args[1]) if len(args) > 1 else None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "run"
        if source is None:
            from debriscope.pipeline import run
            from debriscope.scenario import load

            os.environ["DEBRISCOPE_CACHE_DIR"] = str(Path(tmp) / "cache-propagation")
            run(load("sputnik22"), folder, stages=("scenario", "breakup", "propagation"))
        else:
            shutil.copytree(source, folder)
            (folder / "detections.csv").unlink(missing_ok=True)
        data = tomllib.loads((folder / "scenario.toml").read_text())
        sensors = data.setdefault("sensors", {})
        sensors["window_days"] = window if window == "life" else float(window)
        if cap is None:
            sensors.pop("max_window_days", None)  # the current default (a copied run holds its own)
        else:
            sensors["max_window_days"] = cap
        (folder / "scenario.toml").write_text(tomli_w.dumps(data))
        cache = Path(tmp) / "cache-sensors"
        cold = _sensors(folder, cache)
        warm = _sensors(folder, cache)
    print(f"sensors stage, flagship (Lc >= 5 cm), {warm['n_fragments']} fragments simulated, "
          f"window {warm['window_days']:.1f} d: {warm['n_detections']} detections from {warm['n_sites']} sites, "
          f"last {warm['last_days']:.1f} d after the event")
    print(f"  by kind: {warm['by_kind']}")
    print(f"  empty slice cache: wall time {cold['wall_s']:.1f} s (process {cold['process_s']:.1f} s, "
          f"CPU {cold['cpu_s']:.1f} s), of which density-slice build {cold['wall_s'] - warm['wall_s']:.1f} s")
    print(f"  warm slice cache:  wall time {warm['wall_s']:.1f} s (process {warm['process_s']:.1f} s, "
          f"CPU {warm['cpu_s']:.1f} s), peak memory {warm['peak_mb']:.0f} MB")
    print(f"  detections.csv sha256 {warm['sha256']} (empty cache {cold['sha256']}: "
          f"{'same' if warm['sha256'] == cold['sha256'] else 'DIFFERENT'})")


if __name__ == "__main__":
    main()
