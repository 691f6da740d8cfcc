"""Porkchop speed: 10^4 departure-arrival pairs (100 x 100) of the 1962 Mars window.

Prints (1) the first porkchop of the process (loading the compiled Lambert loop from Numba's cache,
or compiling it, some 20 s, when there is no cache yet), (2) the best of five warm porkchops, split
into the ephemeris (200 epochs of DE421) and the 10^4 Lambert solutions, and (3) microseconds per
solution. The issue's criterion: under 2 s on 2 cores.

    python benchmarks/porkchop.py
"""

from __future__ import annotations

import time

import numpy as np

from debriscope.constants import GM_SUN_M3_S2
from debriscope.mission.ephemeris import heliocentric_state
from debriscope.mission.lambert import solve_lambert
from debriscope.mission.porkchop import porkchop
from debriscope.timescale import utc_to_tt_s

N = 100


def main() -> None:
    t_dep = np.linspace(utc_to_tt_s("1962-10-01T00:00:00Z"), utc_to_tt_s("1962-11-30T00:00:00Z"), N)
    t_arr = np.linspace(utc_to_tt_s("1963-03-01T00:00:00Z"), utc_to_tt_s("1963-10-31T00:00:00Z"), N)
    start = time.perf_counter()
    porkchop("mars", t_dep, t_arr)
    first = time.perf_counter() - start
    whole, ephem, lambert = [], [], []
    for _ in range(5):
        t0 = time.perf_counter()
        porkchop("mars", t_dep, t_arr)
        whole.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        r1, _ = heliocentric_state("earth", t_dep)
        r2, _ = heliocentric_state("mars", t_arr)
        ephem.append(time.perf_counter() - t0)
        i, j = np.repeat(np.arange(N), N), np.tile(np.arange(N), N)
        a, b, tof = r1[:, i], r2[:, j], t_arr[j] - t_dep[i]
        t0 = time.perf_counter()
        solve_lambert(GM_SUN_M3_S2, a, b, tof)
        lambert.append(time.perf_counter() - t0)
    print(f"porkchop of {N * N} pairs (Mars, Oct-Nov 1962 x Mar-Oct 1963)")
    print(f"  first call in this process (cache load or compile): {first:.2f} s")
    print(f"  warm, best of 5: {min(whole) * 1e3:.1f} ms (ephemeris {min(ephem) * 1e3:.1f} ms, "
          f"Lambert {min(lambert) * 1e3:.1f} ms = {min(lambert) / N**2 * 1e6:.2f} us per solution)")


if __name__ == "__main__":
    main()
