"""The step of the numerically integrated last revolutions (``decay_step_s``): speed against accuracy.

Run: ``python benchmarks/decay_step.py [--steps 15 60 90 120]``.
The flagship cloud of ``propagation_speed.py`` (Lc >= 1 cm, 18,610 fragments) is propagated to
decay in the default fast mode (orbit-averaged phase) once per step; the first, finest step is the
yardstick. Prints, per step, the wall time and the lifetime differences in percent against the
yardstick by lifetime class: the integrator's own share of the fast mode's error, the averaged
phase being the same in every run. About a minute with the density slices on disk.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from propagation_speed import flagship_cloud_states

warnings.filterwarnings("ignore", message="Local data files are older")

CLASSES = ((0.0, 0.1), (0.1, 0.3), (0.3, 1.0), (1.0, 3.0), (3.0, 10.0), (10.0, np.inf), (1.0, np.inf))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=float, nargs="+", default=(15.0, 60.0, 90.0, 120.0),
                        help="values of decay_step_s in s; the first is the yardstick")
    parser.add_argument("--max-days", type=float, default=400.0)
    args = parser.parse_args()

    from debriscope.propagation import force_model_from_parameters, predict_decay
    from debriscope.scenario.models import truth_parameters
    from debriscope.scenario.options import PropagationOptions

    state0, am, t0 = flagship_cloud_states(0.01)
    lifetimes, walls = [], []
    for step in args.steps:
        options = PropagationOptions(max_days=args.max_days, decay_step_s=step)
        model = force_model_from_parameters(truth_parameters(options), t0)
        predict_decay(state0[:, :10], t0, am[:10], model, args.max_days)  # compile and load the slices
        start = time.perf_counter()
        result = predict_decay(state0, t0, am, model, args.max_days)
        walls.append(time.perf_counter() - start)
        lifetimes.append((result.decay_tt_s - t0) / 86400.0)

    ref = lifetimes[0]
    print(f"{am.size} fragments; decay_step_s against {args.steps[0]:g} s, lifetime difference in %")
    for step, wall, life in zip(args.steps, walls, lifetimes, strict=True):
        print(f"decay_step_s {step:g} s: {wall:.2f} s wall, {np.isnan(life).sum()} not decayed")
        if life is ref:
            continue
        diff = 100.0 * (life / ref - 1.0)
        for lo, hi in CLASSES:
            s = (ref >= lo) & (ref < hi)
            if s.any():
                d = diff[s]
                print(f"  {lo:>4g}-{hi:<5g} d  n {s.sum():>5}  mean {d.mean():+.3f}  min {d.min():+.3f}  "
                      f"max {d.max():+.3f}  |d|>0.25%: {(np.abs(d) > 0.25).sum()}")


if __name__ == "__main__":
    main()
