"""Benchmark of the sensors stage's detection simulation on a synthetic Blok L-like cloud.

Propagates N fragments (EGM96 J2-J4, no drag: ``debriscope.propagation`` fast mode) over the window
and simulates the shipped Clear and Thule radars plus an all-azimuth FPS-50 copy at 45 N; prints the time spent in propagation and in the
detection code separately.

    python benchmarks/sensors.py [N] [window_days] [step_s]
"""

from __future__ import annotations

import dataclasses
import sys
import time

import numpy as np

from debriscope.elements import elements_to_rv
from debriscope.propagation import make_force_model, propagate
from debriscope.scenario.fields import build
from debriscope.scenario.options import PropagationOptions
from debriscope.sensors import shipped_sites, simulate_detections
from debriscope.timescale import utc_to_tt_s


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    days = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    step = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
    rng = np.random.default_rng(0)
    t0 = float(utc_to_tt_s("1962-10-24T18:56:00Z"))
    a = 6378137.0 + 332.5e3
    r, v = elements_to_rv(a, 152.5e3 / a, np.radians(64.9), np.radians(336.0), np.radians(120.0), np.radians(60.0))
    state0 = np.vstack([np.repeat(r, n, axis=1), v + rng.normal(0, 30.0, (3, n))])
    lc = np.exp(rng.uniform(np.log(0.05), np.log(2.0), n))
    model = make_force_model(build(PropagationOptions, {"drag": False}, "propagation"), t0, t0 + days * 86400)
    spent = [0.0]

    def chunk(state, t_start, times, rows):
        tic = time.perf_counter()
        out = propagate(state, t_start, times, np.full(state.shape[1], 0.01), model).states
        spent[0] += time.perf_counter() - tic
        return out

    radars = [r for site in shipped_sites().values() for r in site]
    # plus an all-azimuth copy of the FPS-50 at mid latitude, so that the looks and noise are exercised
    radars.append(dataclasses.replace(radars[0], name="bench_fan", site="bench", latitude_deg=45.0,
                                      longitude_deg=60.0, azimuth_min_deg=0.0, azimuth_max_deg=360.0))
    tic = time.perf_counter()
    res = simulate_detections(radars, state0, t0, lc, chunk, np.random.default_rng(1),
                              t_end_tt_s=t0 + days * 86400, step_s=step)
    total = time.perf_counter() - tic
    print(f"fragments {n}, window {days} d, step {step} s: {res.t_tt_s.size} detections")
    print(f"total {total:.2f} s = propagation {spent[0]:.2f} s + detection {total - spent[0]:.2f} s")


if __name__ == "__main__":
    main()
