"""Benchmark of the sensors stage: the flagship cloud (Lc >= 5 cm) observed by the whole 1962 network.

Runs the flagship scenario's scenario, breakup and propagation stages into a temporary folder (not
timed), then the sensors stage with the scenario's ``[sensors]`` options (default: the
``spadats-1962`` network over the cloud's life) in a fresh process, and prints its wall time and
that process's peak resident memory (``ru_maxrss``), which includes the interpreter and the
libraries.

    python benchmarks/sensors.py [window_days|life] [max_window_days]
"""

from __future__ import annotations

import json
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
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print(json.dumps({"wall_s": wall, "peak_mb": peak_mb, "window_days": section["window_days"],
                  "n_detections": section["n_detections"], "by_kind": section["n_detections_by_kind"],
                  "n_sites": section["n_sites_with_detections"], "n_fragments": section["n_fragments_simulated"],
                  "last_days": section["last_detection_days_after_event"]}))
"""


def main() -> None:
    from debriscope.pipeline import run
    from debriscope.scenario import load

    window = sys.argv[1] if len(sys.argv) > 1 else "life"
    cap = float(sys.argv[2]) if len(sys.argv) > 2 else None
    scenario = load("sputnik22")
    with tempfile.TemporaryDirectory() as tmp:
        folder = run(scenario, Path(tmp) / "run", stages=("scenario", "breakup", "propagation"))
        data = tomllib.loads((folder / "scenario.toml").read_text())
        sensors = data.setdefault("sensors", {})
        sensors["window_days"] = window if window == "life" else float(window)
        if cap is not None:
            sensors["max_window_days"] = cap
        (folder / "scenario.toml").write_text(tomli_w.dumps(data))
        tic = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", _CHILD, str(folder)], capture_output=True, text=True)
        if out.returncode:
            sys.exit(out.stderr)
        total = time.perf_counter() - tic
        res = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"sensors stage, flagship (Lc >= 5 cm), {res['n_fragments']} fragments simulated, "
          f"window {res['window_days']:.1f} d: {res['n_detections']} detections from {res['n_sites']} sites, "
          f"last {res['last_days']:.1f} d after the event")
    print(f"  by kind: {res['by_kind']}")
    print(f"  wall time {res['wall_s']:.1f} s (process {total:.1f} s), peak memory {res['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
