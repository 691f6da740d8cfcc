"""Cold compile: what the first run after installing spends compiling Numba kernels.

Run: ``python benchmarks/cold_compile.py [--repeat 1] [--src PATH] [--stage | --run | --slices]``.
Each measurement runs in a fresh interpreter with an empty ``NUMBA_CACHE_DIR`` (every kernel the
flagship run needs compiled in the process, grouped by package: propagation's ephemeris and decay
kernels, the CSV writer's, the estimator's dynamics (called as tracking calls them: many columns, and
one column with scalar arguments), the sensors' look grid; the mission's Lambert solver is NumPy and
compiles nothing), then again in a fresh interpreter with that cache now filled (every kernel loaded). The
density-slice cache is off and the atmosphere the cheap exponential one, so the figures are the
kernels' alone. Prints, per step, the cold and the warm seconds, wall clock and CPU time of the
process (compilation is single-threaded: on a busy machine the CPU time is the steadier figure);
the cold total less the import is the compile cost of a first run. ``--src`` measures another
checkout's ``src`` folder (e.g. the main branch's, for a before/after pair on the same machine).

``--run`` checks that list against a real first run: a small flagship run (sputnik22, seed 1962,
Lc >= 10 cm, 5 days, every stage) in a fresh interpreter with an empty ``NUMBA_CACHE_DIR``,
printing the CPU seconds Numba spent compiling per module (its ``numba:compile`` events, outermost
only) and every function compiled more than once (one specialisation each is the aim).

``--stage`` measures the other cold cost instead: the flagship's propagation stage (sputnik22,
seed 1962) with an empty density-slice cache (``DEBRISCOPE_CACHE_DIR`` a new empty folder), then
again with that folder filled; the kernels are compiled (or loaded) beforehand. CPU time includes
the slice-building worker processes.

``--slices`` prints what one of those slices costs and where (the flagship's band: 73 altitudes x
19 latitudes x 24 local times): CPU ms of the whole slice, of its first altitude (NRLMSIS's
horizontal expansion at each latitude and longitude, which it caches while only the altitude
changes), of each further altitude, and of the same points in an order that defeats that cache.
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
from debriscope.mission.lambert import solve_lambert
from debriscope.propagation import Exponential, ForceModel, predict_decay, propagate
from debriscope.sensors.geometry import _look_grid
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
site = np.ascontiguousarray(np.repeat(r.T, 4, axis=0) * 0.99)
axes = np.ascontiguousarray(np.eye(3)[:, None, :].repeat(4, axis=1))
r_mars = np.array([2.0e11, 1.0e11, 0.0])
steps = [
    ("propagation: ephemeris", lambda: propagate(state, t0, t0 + np.arange(0.0, 7200.0, 600.0), am, model)),
    ("propagation: decay (averaged)", lambda: predict_decay(state, t0, am, model, 3.0)),
    ("tables: csv writer", lambda: table_to_csv_bytes({"x": state[0], "id": np.arange(n)})),
    # as tracking calls them: many columns, and one column with a scalar epoch and A/m
    ("propagation: estimator propagate_states", lambda: (propagate_states(state, t0, [t0 + 600.0], am, model),
                                                         propagate_states(state[:, 0], t0, [t0 - 600.0], 0.01, model))),
    ("propagation: estimator propagate_to_height",
     lambda: propagate_to_height(state[:, :2], t0, 150e3, 600.0, PASS_MODEL)),
    ("sensors: look grid", lambda: _look_grid(site, axes[0], axes[1], axes[2], np.repeat(state[None, :3], 4, axis=0), 0.0)),
    ("mission: Lambert (NumPy)", lambda: (solve_lambert(1.327e20, [1.5e11, 0.0, 0.0], r_mars, 2.0e7),
                                          solve_lambert(1.327e20, [1.5e11, 0.0, 0.0], r_mars, [1.5e7, 2.0e7]))),
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


RUN = """
import collections, dataclasses, tempfile, time, warnings
from pathlib import Path
warnings.filterwarnings("ignore")
from numba.core import event
per_module, compiles, open_ = collections.defaultdict(float), collections.Counter(), []
class Listener(event.Listener):
    def on_start(self, ev):
        open_.append(time.process_time())
    def on_end(self, ev):
        func = ev.data["dispatcher"].py_func
        compiles[f"{func.__module__}.{func.__qualname__}"] += 1
        start = open_.pop()
        if not open_:
            per_module[func.__module__] += time.process_time() - start
event.register("numba:compile", Listener())
from debriscope import pipeline
from debriscope.scenario.load import load
sc = load("sputnik22")
sc = dataclasses.replace(sc, breakup=dataclasses.replace(sc.breakup, lc_min_m=0.1),
                         propagation=dataclasses.replace(sc.propagation, max_days=5.0, snapshot_days=(0.1, 1.0)))
cpu = time.process_time()
with tempfile.TemporaryDirectory() as tmp:
    pipeline.run(sc, Path(tmp) / "run")
print(f"small flagship run: {time.process_time() - cpu:.1f} CPU s, of which compiling:")
for module, seconds in sorted(per_module.items(), key=lambda kv: -kv[1]):
    print(f"  {module:40s} {seconds:6.2f}")
print(f"  {'total':40s} {sum(per_module.values()):6.2f}")
print("compiled more than once:", ", ".join(f"{k} x{n}" for k, n in compiles.items() if n > 1
                                             and not k.startswith("numba.")) or "none")
"""


SLICES = """
import time, warnings
warnings.filterwarnings("ignore")
import numpy as np
from pymsis import msis
from debriscope.propagation.atmosphere import Nrlmsis, _build_slice, banded_axes, default_axes
from debriscope.timescale import utc_to_tt_s
ax = banded_axes(default_axes(), 65.9 + 1.0)
alt, lat, lon = ax.alt_km, ax.lat0_deg + ax.dlat_deg * np.arange(ax.nlat), 15.0 * np.arange(ax.nlst)
key = (tuple(alt.tolist()), ax.lat0_deg, ax.dlat_deg, ax.nlat, ax.dlst_h, ax.nlst)
t0, date = float(utc_to_tt_s("1962-10-24T06:00:00Z")), np.datetime64("1962-10-24T06:00")
def cpu_ms(f, n=10):
    f()
    c = time.process_time()
    for _ in range(n):
        f()
    return (time.process_time() - c) / n * 1e3
def grid(alts):
    return msis.calculate(date, lon, lat, alts, 90.0, 85.0, [[10.0] * 7], version=2.1)
pts = [a.ravel() for a in np.meshgrid(alt, lon, lat, indexing="ij")]  # altitude slowest
n = pts[0].size
full, one = cpu_ms(lambda: _build_slice(Nrlmsis(), t0, key)), cpu_ms(lambda: grid(alt[:1]))
print(f"one slice, {alt.size} x {ax.nlat} x {ax.nlst} = {n} points: {full:.1f} CPU ms")
print(f"  first altitude (horizontal part at {ax.nlat * ax.nlst} points): {one:.1f} ms")
print(f"  each further altitude: {(cpu_ms(lambda: grid(alt)) - one) / (alt.size - 1):.3f} ms")
slowest = cpu_ms(lambda: msis.calculate(np.full(n, date), pts[1], pts[2], pts[0], np.full(n, 90.0),
                                       np.full(n, 85.0), np.full((n, 7), 10.0), version=2.1), 2)
print(f"  same points, altitude slowest (no horizontal reuse): {slowest:.1f} ms")
"""


def _env(src: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, **extra,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))}


def _measure(src: Path, cache: Path) -> dict[str, list[float]]:
    env = _env(src, NUMBA_CACHE_DIR=str(cache), DEBRISCOPE_CACHE_DIR="off")
    res = subprocess.run([sys.executable, "-c", STEPS], env=env, check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (the process and its children) of a subprocess."""
    before, t = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - t, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def stage_costs(src: Path) -> None:
    """The flagship's propagation stage with an empty, then a filled, density-slice cache."""
    with tempfile.TemporaryDirectory(prefix="slices-cold-") as tmp:
        run, slices = str(Path(tmp) / "run"), Path(tmp) / "slices"
        slices.mkdir()
        env = _env(src, DEBRISCOPE_CACHE_DIR=str(slices))
        subprocess.run([sys.executable, "-c", STAGE, run, "setup"], env=env, check=True, capture_output=True)
        _timed([sys.executable, "-c", STEPS], _env(src, DEBRISCOPE_CACHE_DIR="off"))  # kernels compiled
        cold = _timed([sys.executable, "-c", STAGE, run, "stage"], env)
        n_files = sum(1 for _ in slices.rglob("*.npy"))
        mb = sum(p.stat().st_size for p in slices.rglob("*.npy")) / 1e6
        warm = _timed([sys.executable, "-c", STAGE, run, "stage"], env)
    print(f"flagship propagation stage, {n_files} density slices built ({mb:.0f} MB)")
    print(f"{'slice cache':12s} {'wall s':>8s} {'CPU s':>8s}")
    print(f"{'empty':12s} {cold[0]:8.2f} {cold[1]:8.2f}")
    print(f"{'filled':12s} {warm[0]:8.2f} {warm[1]:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="cold/warm pairs (each with a new empty cache)")
    parser.add_argument("--src", type=Path, default=Path(__file__).resolve().parents[1] / "src",
                        help="the src folder to measure (default: this checkout's)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--stage", action="store_true", help="the flagship's propagation stage with an empty "
                      "density-slice cache instead")
    mode.add_argument("--slices", action="store_true", help="what one NRLMSIS density slice costs, and where")
    mode.add_argument("--run", action="store_true", help="the compile of a small flagship run, per module, instead")
    args = parser.parse_args()
    if args.stage:
        stage_costs(args.src)
        return
    if args.slices:
        print(subprocess.run([sys.executable, "-c", SLICES], env=_env(args.src), check=True, capture_output=True,
                             text=True).stdout, end="")
        return
    if args.run:
        with tempfile.TemporaryDirectory(prefix="numba-cold-") as tmp:
            env = _env(args.src, NUMBA_CACHE_DIR=tmp)
            print(subprocess.run([sys.executable, "-c", RUN], env=env, check=True, capture_output=True,
                                 text=True).stdout, end="")
        return
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="numba-cold-") as tmp:
            cold = _measure(args.src, Path(tmp))
            warm = _measure(args.src, Path(tmp))
        print(f"{'step':32s} {'cold wall s':>12s} {'cold CPU s':>11s} {'warm wall s':>12s} {'warm CPU s':>11s}")
        for name in cold:
            print(f"{name:32s} {cold[name][0]:12.2f} {cold[name][1]:11.2f} {warm[name][0]:12.2f} {warm[name][1]:11.2f}")
        for label, keys in (("compile (all but import)", [k for k in cold if k != "import"]), ("total", list(cold))):
            total = [sum(run[k][i] for k in keys) for run in (cold, warm) for i in (0, 1)]
            print(f"{label:32s} {total[0]:12.2f} {total[1]:11.2f} {total[2]:12.2f} {total[3]:11.2f}")


if __name__ == "__main__":
    main()
