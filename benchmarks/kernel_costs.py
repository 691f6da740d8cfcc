"""Cost of the fast mode's kernel pieces, one thread: what the flagship cloud's decay is made of.

Run: ``python benchmarks/kernel_costs.py [--objects 400]``. On a 200 x 400 km, 64.9 deg orbit at
1962-10-24T19:00Z (NRLMSIS 2.1, historical indices), prints the time per Runge-Kutta-Nystrom step
at 120 s with drag and without (``kernels._step``, the state in registers, objects spread along
the orbit), per revolution of the averaged phase's set-up (drag-free at 60 s, with and without
the mean elements; the calibration's integrated revolution and its three quadratures) and per
quadrature of the averaged drag (``kernels.mean_rates``). Best of three runs each.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numba
import numpy as np

warnings.filterwarnings("ignore", message="Local data files are older")


def _best_of_three(run) -> float:
    run()  # compile
    best = np.inf
    for _ in range(3):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--objects", type=int, default=400)
    args = parser.parse_args()

    from debriscope.elements import apsides_to_a_e, elements_to_rv
    from debriscope.propagation import force_model_from_parameters
    from debriscope.propagation import kernels as K
    from debriscope.propagation.fast import _grid_for
    from debriscope.scenario.models import truth_parameters
    from debriscope.scenario.options import PropagationOptions
    from debriscope.timescale import utc_to_tt_s

    @numba.njit(fastmath=K._FM)  # the kernels' flags: Numba compiles inlined code with the caller's
    def steps(states, t0, span_s, h, cd_am, prm, grid, alt, lut, gax):
        P, F = K.field(prm, grid, alt, lut, gax)
        k1 = np.empty(6)
        total = 0.0
        for j in range(states.shape[0]):
            y = states[j].copy()
            K._deriv(t0, y, k1, cd_am, prm, grid, alt, lut, gax)
            s, t = K._load(y, k1), t0
            while t < t0 + span_s:
                s, _ = K._step(t, h, s, cd_am, P, F)
                t += h
            total += s[0]
        return total

    @numba.njit
    def set_up(y, t0, cd_am, prm, grid, alt, lut, gax, n, part):
        el0, m, delta, free_end, avg, rates = (np.empty(6), np.empty(5), np.empty(5), np.empty(6), np.empty(5),
                                               np.empty(5))
        K._orbit_elements(y, prm[K.P_MU], el0)
        K._initial_mean(t0, y, el0, prm, grid, alt, lut, gax, m, delta, free_end, K.MEAN_STEP_S)
        total = 0.0
        for i in range(n):
            if part == 0:
                K._drag_free_revolution(t0, y, prm, grid, alt, lut, gax, avg, free_end, K.MEAN_STEP_S)
            elif part == 1:
                K._drag_free_revolution(t0, y, prm, grid, alt, lut, gax, np.empty(0), free_end, K.MEAN_STEP_S)
            elif part == 2:
                total += K._calibrate(t0, y, m, el0[5], cd_am, prm, grid, alt, lut, gax, 100e3, free_end,
                                      K.MEAN_STEP_S)[0]
            else:
                total += K.mean_rates(t0 + i, m, el0[5], cd_am, prm, grid, alt, lut, gax, rates, 1.0, 1.0, np.empty(0))
            total += free_end[0]
        return total

    numba.set_num_threads(1)
    t0 = float(utc_to_tt_s("1962-10-24T19:00:00Z"))
    a, e = apsides_to_a_e(200e3, 400e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.0, 0.0, np.linspace(0.0, 2.0 * np.pi, args.objects,
                                                                            endpoint=False))
    states = np.ascontiguousarray(np.vstack([r, v]).T)
    model = force_model_from_parameters(truth_parameters(PropagationOptions()), t0)
    grid, alt, lut, gax, k0 = _grid_for(model, t0, t0 + 86400.0)
    prm = model.kernel_params(k0)
    no_drag = prm.copy()
    no_drag[8] = 0.0
    cd_am, span_s, h = 2.2 * 0.01, 5400.0, 120.0
    n_steps = args.objects * span_s / h
    print(f"one thread, {a / 1e3 - 6378.137:.0f} km mean altitude orbit, e = {e:.4f}, A/m 0.01 m^2/kg")
    for label, p in (("Nystrom step, 120 s, with drag", prm), ("Nystrom step, 120 s, drag off", no_drag)):
        dt = _best_of_three(lambda p=p: steps(states, t0, span_s, h, cd_am, p, grid, alt, lut, gax))
        print(f"{label:<52} {dt / n_steps * 1e9:8.0f} ns")
    n = 200
    for part, label in enumerate(("drag-free revolution, 60 s, mean elements", "drag-free revolution, 60 s",
                                  "calibration (revolution with drag + 3 quadratures)")):
        dt = _best_of_three(lambda part=part: set_up(states[0], t0, cd_am, prm, grid, alt, lut, gax, n, part))
        print(f"{label:<52} {dt / n * 1e6:8.1f} us")
    n = 20000
    dt = _best_of_three(lambda: set_up(states[0], t0, cd_am, prm, grid, alt, lut, gax, n, 3))
    print(f"{f'quadrature ({K.quadrature_nodes(a, e)} nodes)':<52} {dt / n * 1e6:8.2f} us")


if __name__ == "__main__":
    main()
