"""Fast decay prediction (orbit-averaged phase) against integrating every step, on the flagship cloud.

Run: ``python benchmarks/cloud_lifetimes_vs_numerical.py [--per-class 300 100 40] [--seed 1]``.
The flagship cloud of ``propagation_speed.py`` (Lc >= 1 cm, 18,610 fragments) is sorted by the
fast mode's lifetime into < 1 d, 1-5 d, 5-30 d and > 30 d; a seeded random sample of each class
(every fragment of the last) is propagated to decay again integrating every 30 s step of the
Runge-Kutta-Nystrom kernel (same grid and
force model, ``averaged=False, max_jump_revs=0``). Prints the lifetime differences in percent per
lifetime class and the worst fragments with their orbits and A/m: the accuracy of the averaged
phase where the cloud actually is, beyond the few orbits of ``fast_vs_reference.py``. 15 s with
the density slices on disk, under a minute without.
"""

from __future__ import annotations

import argparse
import warnings
from dataclasses import replace

import numpy as np
from propagation_speed import flagship_cloud_states

warnings.filterwarnings("ignore", message="Local data files are older")

CLASSES = ((0.0, 1.0), (1.0, 5.0), (5.0, 30.0), (30.0, np.inf))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-class", type=int, nargs=3, default=(300, 100, 40),
                        help="sample sizes of the < 1 d, 1-5 d and 5-30 d classes (> 30 d: all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-days", type=float, default=200.0)
    args = parser.parse_args()

    from debriscope.constants import R_EARTH_GRAVITY_M
    from debriscope.elements import rv_to_elements
    from debriscope.propagation import force_model_from_parameters, predict_decay
    from debriscope.scenario.models import truth_parameters
    from debriscope.scenario.options import PropagationOptions

    state0, am, t0 = flagship_cloud_states(0.01)
    model = force_model_from_parameters(truth_parameters(PropagationOptions(max_days=args.max_days)), t0)
    fast_all = (predict_decay(state0, t0, am, model, args.max_days).decay_tt_s - t0) / 86400.0

    rng = np.random.default_rng(args.seed)
    picks = []
    for (lo, hi), n in zip(CLASSES, (*args.per_class, None), strict=True):
        members = np.flatnonzero((fast_all >= lo) & (fast_all < hi))
        picks.append(members if n is None or n >= members.size else rng.choice(members, n, replace=False))
    sel = np.concatenate(picks)
    numerical = replace(model, averaged=False, max_jump_revs=0)
    truth = (predict_decay(state0[:, sel], t0, am[sel], numerical, args.max_days).decay_tt_s - t0) / 86400.0
    fast = fast_all[sel]
    diff = 100.0 * (fast / truth - 1.0)

    print(f"{sel.size} fragments of {am.size}; fast (averaged phase) vs every 30 s step integrated, "
          "lifetime difference in %")
    print(f"{'class':>10} {'n':>5} {'mean':>8} {'sd':>7} {'min':>8} {'max':>8} {'|d|>1%':>7}")
    for lo, hi in CLASSES:
        s = (truth >= lo) & (truth < hi)
        if s.any():
            d = diff[s]
            print(f"{lo:>4g}-{hi:<5g} {s.sum():>5} {d.mean():>+8.3f} {d.std():>7.3f} {d.min():>+8.3f} "
                  f"{d.max():>+8.3f} {(np.abs(d) > 1).sum():>7}")
    d = diff
    print(f"{'all':>10} {d.size:>5} {d.mean():>+8.3f} {d.std():>7.3f} {d.min():>+8.3f} {d.max():>+8.3f} "
          f"{(np.abs(d) > 1).sum():>7}")
    el = rv_to_elements(state0[:3, sel], state0[3:, sel])
    hp = (el.a_m * (1 - el.e) - R_EARTH_GRAVITY_M) / 1e3
    ha = (el.a_m * (1 + el.e) - R_EARTH_GRAVITY_M) / 1e3
    print("worst: diff %, integrated lifetime d, perigee x apogee km, A/m m^2/kg")
    for j in np.argsort(-np.abs(diff))[:8]:
        print(f"  {diff[j]:+6.2f} {truth[j]:8.3f} {hp[j]:5.0f} x {ha[j]:<5.0f} {am[sel][j]:.3f}")


if __name__ == "__main__":
    main()
