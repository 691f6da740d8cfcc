"""SGP4 element-set fits to the real force model (EGM96 zonals + NRLMSIS drag): residuals and time.

Fragments around the 1962-057 parking orbit (180 x 485 km, 64.9 deg; NASA NSSDC) with A/m from
0.003 to 0.1 m^2/kg are propagated with ``debriscope.propagation`` (default options) and an SGP4
element set is fitted over two revolutions at each epoch. Run: ``python benchmarks/catalog_tle_fit.py``.
"""

from __future__ import annotations

import time

import numpy as np

from debriscope.catalog.tle_fit import fit_sgp4
from debriscope.elements import apsides_to_a_e, elements_to_rv, period_s
from debriscope.propagation import force_model_from_parameters, propagate
from debriscope.scenario.models import truth_parameters
from debriscope.scenario.options import PropagationOptions
from debriscope.timescale import utc_to_tt_s

T0 = float(utc_to_tt_s("1962-10-24T18:56:00Z"))
EPOCHS_DAYS = (0.0, 0.25, 1.0, 3.0)
POINTS_PER_ORBIT = 48


def main() -> None:
    am = np.array([0.003, 0.01, 0.03, 0.1])
    a, e = apsides_to_a_e(np.full(am.size, 200e3), np.full(am.size, 485e3))
    r, v = elements_to_rv(a, e, np.radians(64.9), 1.0, 0.4, 0.5)
    state0 = np.vstack([r, v])
    p = float(period_s(a[0]))
    windows = [T0 + d * 86400.0 + np.arange(2 * POINTS_PER_ORBIT + 1) * p / POINTS_PER_ORBIT for d in EPOCHS_DAYS]
    grid = np.unique(np.concatenate(windows))
    start = time.perf_counter()
    model = force_model_from_parameters(truth_parameters(PropagationOptions()), T0)
    eph = propagate(state0, T0, grid, am, model)
    t_prop = time.perf_counter() - start
    print(f"propagation: {am.size} objects, {grid.size} times, {t_prop:.2f} s")
    print(f"{'A/m m2/kg':>10} {'epoch d':>8} {'RMS m':>9} {'max m':>9} {'B* 1/ER':>11} {'fit s':>7}")
    for j, am_j in enumerate(am):
        for d, w in zip(EPOCHS_DAYS, windows, strict=True):
            idx = np.searchsorted(grid, w)
            states = eph.states[idx, :, j].T
            if not np.all(np.isfinite(states)):
                print(f"{am_j:10.3f} {d:8.2f}   decayed")
                continue
            start = time.perf_counter()
            fit = fit_sgp4(w, states, float(w[0]), am_m2_kg=float(am_j))
            print(
                f"{am_j:10.3f} {d:8.2f} {fit.rms_m:9.1f} {fit.max_m:9.1f} {fit.satrec.bstar:11.3e}"
                f" {time.perf_counter() - start:7.3f}"
            )


if __name__ == "__main__":
    main()
