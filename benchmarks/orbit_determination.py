"""Orbit determination: milliseconds per single-pass and per three-pass fit, and their errors.

    python benchmarks/orbit_determination.py

A 180 x 485 km, 64.9 deg orbit (the flagship's parking orbit), B = 0.11 m^2/kg; truth from
:func:`debriscope.propagation.propagate` in its reference mode (DOP853) with the exponential
atmosphere; a tracker's measurements (50 m, 0.05 deg, 10 m/s) every 10 s over three passes at one
site. Prints the warm time per fit (median of repeats) and the errors against the truth (no
assertions). Uses only the public fits, so the same script times any version of them.
"""

from __future__ import annotations

import time

import numpy as np

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.propagation import Exponential, make_force_model, propagate
from debriscope.timescale import utc_to_tt_s
from debriscope.tracking import RadarArc, Site, fit_orbit, fit_orbit_multipass
from debriscope.tracking.measurements import predict_measurements, site_geometry

SITE = Site("shemya", 52.7370, 174.0920, 80.0)
SIGMA = np.array([50.0, np.radians(0.05), np.radians(0.05), 10.0])
B_M2_KG = 0.11
REPEATS = 7


def passes(rng: np.random.Generator) -> tuple[list[RadarArc], np.ndarray]:
    t0 = float(utc_to_tt_s("1962-10-24T19:00:00Z"))
    a, e = apsides_to_a_e(180e3, 485e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.349, 0.3, 0.0)
    x0 = np.concatenate([r, v])
    grid = t0 + np.arange(0.0, 86400.0, 10.0)
    model = make_force_model(t0, Exponential(), cd=2.2, mode="reference")
    x = propagate(x0, t0, grid, [B_M2_KG / 2.2], model).states[:, :, 0].T
    z = predict_measurements(x, site_geometry(SITE, grid))
    up = z[2] > np.radians(5.0)
    starts = np.flatnonzero(up[1:] & ~up[:-1]) + 1
    arcs, ends = [], []
    for s in starts[:3]:
        k = s + np.flatnonzero(up[s:s + 80])
        k = k[: np.argmin(np.diff(k) == 1) + 1] if np.any(np.diff(k) != 1) else k
        zk = z[:, k] + SIGMA[:, None] * rng.standard_normal((4, k.size))
        arcs.append(RadarArc.from_columns(SITE, grid[k], zk[0], np.degrees(zk[1]), np.degrees(zk[2]), zk[3],
                                          50.0, 0.05, 0.05, 10.0))
        ends.append(k[-1])
    return arcs, x[:, ends]


def timed(f) -> tuple[float, object]:
    out, ts = None, []
    for _ in range(REPEATS):
        tic = time.perf_counter()
        out = f()
        ts.append(time.perf_counter() - tic)
    return float(np.median(ts)) * 1e3, out


def main() -> None:
    arcs, truth = passes(np.random.default_rng(3))
    single = fit_orbit([arcs[-1]])  # also compiles
    fit_orbit_multipass(arcs, single.state, single.epoch_tt_s)
    ms, single = timed(lambda: fit_orbit([arcs[-1]]))
    print(f"fit_orbit, one pass of {arcs[-1].t_tt_s.size} measurements: {ms:7.1f} ms, {single.n_iterations} "
          f"iterations, position error {np.linalg.norm(single.state[:3] - truth[:3, -1]):7.1f} m")
    ms, multi = timed(lambda: fit_orbit_multipass(arcs, single.state, single.epoch_tt_s))
    print(f"fit_orbit_multipass, {len(arcs)} passes ({sum(a.t_tt_s.size for a in arcs)} measurements over "
          f"{(arcs[-1].t_tt_s[-1] - arcs[0].t_tt_s[0]) / 3600:.1f} h): {ms:7.1f} ms, {multi.n_iterations} iterations, "
          f"position error {np.linalg.norm(multi.state[:3] - truth[:3, -1]):7.1f} m, "
          f"B {multi.b_m2_kg:.4f} m^2/kg (truth {B_M2_KG}), rms {multi.rms:.2f}")


if __name__ == "__main__":
    main()
