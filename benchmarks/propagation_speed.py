"""Flagship-cloud speed: the 24 Oct 1962 Blok L + 2MV-4 explosion (Lc >= 1 cm) propagated to decay.

Run: ``python benchmarks/propagation_speed.py [--lc-min-m 0.01] [--max-days 400] [--msis 2.1]
[--warm-runs 3]``. Prints the cloud size, the number decayed, object-days, wall time, CPU time over
all threads and object-days per second, with the density-grid time (pymsis, or the disk cache)
reported separately: once with an empty density-slice cache (every slice built) and then
``--warm-runs`` times with the slices the first run stored (a repeated run of the same event),
with the median and range of those runs (timings on a shared VM vary by +-10 %). Historical
1962 indices; fast mode with the orbit-averaged decay phase (``--no-averaged``: integrated throughout).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore", message="Local data files are older")


def flagship_cloud(lc_min_m: float, seed: int = 7):
    """Fragments of Blok L (900 kg, 5.8 m^2) and the 2MV-4 probe (893.5 kg) at perigee of the
    180 x 485 km, 64.9 deg parking orbit, 1962-10-24T19:00Z (scenario-facts.md)."""
    from debriscope.breakup import Parent, explosion
    from debriscope.elements import apsides_to_a_e, elements_to_rv

    a, e = apsides_to_a_e(180e3, 485e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.0, 0.0, 0.0)
    r, v = tuple(r[:, 0]), tuple(v[:, 0])
    parents = [Parent("Blok L", "rocket_body", 900.0, 5.8, r, v),
               Parent("2MV-4 No.1", "spacecraft", 893.5, None, r, v)]
    cloud = explosion(parents, np.random.default_rng(seed), lc_min_m=lc_min_m,
                      epoch_utc="1962-10-24T19:00:00Z")
    return cloud.table


def flagship_cloud_states(lc_min_m: float):
    """The :func:`flagship_cloud` as (TEME states (6, N) m and m/s, A/m (N,) m^2/kg, epoch TT s)."""
    from debriscope.timescale import utc_to_tt_s

    frags = flagship_cloud(lc_min_m)
    state0 = np.vstack([frags[c] for c in ("x_teme_m", "y_teme_m", "z_teme_m",
                                           "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")])
    return state0, frags["am_m2_kg"], float(utc_to_tt_s("1962-10-24T19:00:00Z"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lc-min-m", type=float, default=0.01)
    parser.add_argument("--max-days", type=float, default=400.0)
    parser.add_argument("--msis", default="2.1", choices=("00", "2.0", "2.1"))
    parser.add_argument("--no-averaged", action="store_true", help="every step integrated (no averaged phase)")
    parser.add_argument("--warm-runs", type=int, default=3,
                        help="runs with the slices on disk (this VM's timings vary by +-10 %%: the median is printed)")
    args = parser.parse_args()

    from debriscope.propagation import atmosphere as atm
    from debriscope.propagation import force_model_from_parameters, predict_decay
    from debriscope.scenario.models import truth_parameters
    from debriscope.scenario.options import PropagationOptions

    state0, am, t0 = flagship_cloud_states(args.lc_min_m)
    options = PropagationOptions(msis_version=args.msis, max_days=args.max_days, averaged=not args.no_averaged)
    model = force_model_from_parameters(truth_parameters(options), t0)
    warm = force_model_from_parameters(truth_parameters(PropagationOptions(atmosphere="exponential")), t0)
    predict_decay(state0[:, :2], t0, am[:2], warm, 0.5)  # load the Numba cache (compile once); the
    atm.clear_slice_cache()  # NRLMSIS grid workers start inside the timed run

    grid_s = [0.0]
    original = atm._slices_for

    def timed(*a):
        start = time.perf_counter()
        out = original(*a)
        grid_s[0] += time.perf_counter() - start
        return out

    atm._slices_for = timed
    scheme = "integrated throughout" if args.no_averaged else "orbit-averaged phase"
    print(f"fragments: {am.size} (Lc >= {args.lc_min_m} m), NRLMSIS {args.msis}, historical indices, {scheme}")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["DEBRISCOPE_CACHE_DIR"] = cache  # an empty disk cache: the first run builds every slice
        labels = ["cold density cache (slices built)"] + [
            f"warm density cache (slices read from disk), run {k + 1} of {args.warm_runs}"
            for k in range(args.warm_runs)]
        warm = []
        for label in labels:
            atm.clear_slice_cache()  # the process memo; the disk cache keeps the first run's slices
            grid_s[0] = 0.0
            start, cpu = time.perf_counter(), time.process_time()
            res = predict_decay(state0, t0, am, model, args.max_days)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            decayed = res.status == 1
            life = np.where(decayed, (res.decay_tt_s - t0) / 86400.0, args.max_days)
            obj_days = float(life.sum())
            print(f"-- {label}")
            print(f"decayed within {args.max_days:g} d: {decayed.sum()}; median lifetime "
                  f"{np.median(life[decayed]):.2f} d; longest {life[decayed].max():.1f} d")
            print(f"object-days: {obj_days:.0f}")
            print(f"wall time: {wall:.2f} s (density grid {grid_s[0]:.2f} s, integration "
                  f"{wall - grid_s[0]:.2f} s)")
            print(f"CPU time (this process, all threads; grid workers not counted): {cpu:.2f} s")
            print(f"object-days per second: {obj_days / wall:.0f} overall, "
                  f"{obj_days / max(wall - grid_s[0], 1e-9):.0f} integration only")
            if label.startswith("warm"):
                warm.append((wall, obj_days / wall))
        if warm:
            walls, rates = np.array(warm).T
            print(f"-- warm, {len(warm)} runs: wall median {np.median(walls):.2f} s "
                  f"({walls.min():.2f}-{walls.max():.2f}); object-days per second median "
                  f"{np.median(rates):.0f} ({rates.min():.0f}-{rates.max():.0f})")

if __name__ == "__main__":
    main()
