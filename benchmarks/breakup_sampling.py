"""Fragments per second of the vectorised NASA Standard Breakup Model.

Times (1) the sampling of 10^6 fragments (Lc, A/m, area, mass, ejection velocity) and (2) a whole
explosion of a 900 kg rocket body with Lc_min chosen so that the law gives about 10^6 fragments
(mass budget off, so the whole sample is kept). Best of five runs.

    python benchmarks/breakup_sampling.py
"""

from __future__ import annotations

import time

import numpy as np

from debriscope.breakup import Parent, area_from_lc, explosion, sample_delta_v, sample_lc, sample_log_am

N = 1_000_000


def sample_population(rng: np.random.Generator, n: int) -> int:
    lc = sample_lc(rng, n, 0.001, 3.6, -1.6)
    chi = sample_log_am(rng, lc, True)
    mass = area_from_lc(lc) / 10.0**chi
    dv = sample_delta_v(rng, chi, "explosion")
    assert dv.shape == (3, mass.size)
    return mass.size


def best_of(fn, repeats: int = 5) -> tuple[float, int]:
    best, n = float("inf"), 0
    for seed in range(repeats):
        rng = np.random.default_rng(seed)
        t0 = time.perf_counter()
        n = fn(rng)
        best = min(best, time.perf_counter() - t0)
    return best, n


def main() -> None:
    t, n = best_of(lambda rng: sample_population(rng, N))
    print(f"sampling   : {n:,} fragments in {t:.3f} s -> {n / t:,.0f} fragments/s")
    lc_min = (6.0 / N) ** (1 / 1.6)  # N(>Lc_min) = 6 Lc_min^-1.6 = 10^6
    parent = Parent("RB", "rocket_body", 900.0)
    t, n = best_of(lambda rng: explosion([parent], rng, lc_min_m=lc_min, mass_budget=False).table["lc_m"].size)
    print(f"explosion  : {n:,} fragments in {t:.3f} s -> {n / t:,.0f} fragments/s (table assembled, no budget)")
    t, n = best_of(lambda rng: explosion([parent], rng, lc_min_m=lc_min).table["lc_m"].size)
    print(f"with budget: {n:,} fragments and remnants in {t:.3f} s (the law's ~10^6, A/m resampled if overweight)")


if __name__ == "__main__":
    main()
