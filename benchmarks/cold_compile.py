"""Cold compile: what the first run after installing spends compiling Numba kernels.

Run: ``python benchmarks/cold_compile.py [--repeat 1] [--stage]``.
Each measurement runs in a fresh interpreter with an empty ``NUMBA_CACHE_DIR`` (every kernel the
flagship needs compiled in the process: the propagation kernels, the estimator's dynamics, the CSV
writer's), then again in a fresh interpreter with that cache now filled (every kernel loaded). The
density-slice cache is off and the atmosphere the cheap exponential one, so the figures are the
kernels' alone. Prints, per step, the cold and the warm seconds, wall clock and CPU time of the
process (compilation is single-threaded: on a busy machine the CPU time is the steadier figure);
the cold total is the compile cost of a first run.

``--stage`` measures the other cold cost instead: the flagship's propagation stage (sputnik22,
seed 1962) with an empty density-slice cache (``DEBRISCOPE_CACHE_DIR`` a new empty folder), then
again with that folder filled; the kernels are compiled (or loaded) beforehand. CPU time includes
the slice-building worker processes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = """
import json, sys, time, warnings
warnings.filterwarnings("ignore")
t, c = time.perf_counter(), time.process_time()
import numpy as np
from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.propagation import Exponential, ForceModel, predict_decay, propagate
from debriscope.tables import table_to_csv_bytes
from debriscope.timescale import utc_to_tt_s
from debriscope.propagation.estimator_dynamics import PASS_MODEL, propagate_states, propagate_to_height
out = {"import": (time.perf_counter() - t, time.process_time() - c)}
t0 = float(utc_to_tt_s("1962-10-24T19:00:00Z"))
rng = np.random.default_rng(1)
n = 16
a, e = apsides_to_a_e(180e3, 485e3)
r, v = elements_to_rv(a, e, np.radians(64.9), 0.0, 0.0, 0.0)
state = np.repeat(np.vstack([r, v]), n, axis=1)
state[3:] += rng.normal(0.0, 30.0, (3, n))
am = 10 ** rng.uniform(-2.5, -0.5, n)
model = ForceModel(atmosphere=Exponential(), t_ref_tt_s=t0)
steps = [
    ("propagate (ephemeris)", lambda: propagate(state, t0, t0 + np.arange(0.0, 7200.0, 600.0), am, model)),
    ("predict_decay (averaged)", lambda: predict_decay(state, t0, am, model, 3.0)),
    ("csv writer", lambda: table_to_csv_bytes({"x": state[0], "id": np.arange(n)})),
    ("estimator propagate_states", lambda: propagate_states(state, t0, [t0 + 600.0], 0.01, model)),
    ("estimator propagate_to_height", lambda: propagate_to_height(state[:, :2], t0, 150e3, 600.0, PASS_MODEL)),
]
for name, step in steps:
    t, c = time.perf_counter(), time.process_time()
    step()
    out[name] = (time.perf_counter() - t, time.process_time() - c)
print(json.dumps(out))
"""


STAGE = """
import sys, time, warnings
warnings.filterwarnings("ignore")
from debriscope import pipeline
run = sys.argv[1]
if sys.argv[2] == "setup":
    pipeline.run("sputnik22", run, stages=["scenario", "breakup"])
else:
    pipeline.rerun_stage(run, "propagation")
"""


def _env(**extra: str) -> dict[str, str]:
    src = Path(__file__).resolve().parents[1] / "src"
    return {**os.environ, **extra,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))}


def _measure(cache: Path) -> dict[str, list[float]]:
    env = _env(NUMBA_CACHE_DIR=str(cache), DEBRISCOPE_CACHE_DIR="off")
    res = subprocess.run([sys.executable, "-c", STEPS], env=env, check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (the process and its children) of a subprocess."""
    before, t = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - t, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def stage_costs() -> None:
    """The flagship's propagation stage with an empty, then a filled, density-slice cache."""
    with tempfile.TemporaryDirectory(prefix="slices-cold-") as tmp:
        run, slices = str(Path(tmp) / "run"), Path(tmp) / "slices"
        slices.mkdir()
        env = _env(DEBRISCOPE_CACHE_DIR=str(slices))
        subprocess.run([sys.executable, "-c", STAGE, run, "setup"], env=env, check=True, capture_output=True)
        _timed([sys.executable, "-c", STEPS], _env(DEBRISCOPE_CACHE_DIR="off"))  # kernels compiled
        slices_env = _env(DEBRISCOPE_CACHE_DIR=str(slices))
        cold = _timed([sys.executable, "-c", STAGE, run, "stage"], slices_env)
        n_files = sum(1 for _ in slices.rglob("*.npy"))
        mb = sum(p.stat().st_size for p in slices.rglob("*.npy")) / 1e6
        warm = _timed([sys.executable, "-c", STAGE, run, "stage"], slices_env)
    print(f"flagship propagation stage, {n_files} density slices built ({mb:.0f} MB)")
    print(f"{'slice cache':12s} {'wall s':>8s} {'CPU s':>8s}")
    print(f"{'empty':12s} {cold[0]:8.2f} {cold[1]:8.2f}")
    print(f"{'filled':12s} {warm[0]:8.2f} {warm[1]:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="cold/warm pairs (each with a new empty cache)")
    parser.add_argument("--stage", action="store_true", help="the flagship's propagation stage with an empty "
                        "density-slice cache instead")
    args = parser.parse_args()
    if args.stage:
        stage_costs()
        return
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="numba-cold-") as tmp:
            cold = _measure(Path(tmp))
            warm = _measure(Path(tmp))
        print(f"{'step':30s} {'cold wall s':>12s} {'cold CPU s':>11s} {'warm wall s':>12s} {'warm CPU s':>11s}")
        for name in cold:
            print(f"{name:30s} {cold[name][0]:12.2f} {cold[name][1]:11.2f} {warm[name][0]:12.2f} {warm[name][1]:11.2f}")
        total = [sum(v[k] for v in run.values()) for run in (cold, warm) for k in (0, 1)]
        print(f"{'total':30s} {total[0]:12.2f} {total[1]:11.2f} {total[2]:12.2f} {total[3]:11.2f}")


if __name__ == "__main__":
    main()
