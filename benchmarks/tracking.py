"""Tracking throughput: association of a synthetic cloud, batch least squares per track.

    python benchmarks/tracking.py

Prints detections associated per second and milliseconds per orbit fit (no assertions).
"""

from __future__ import annotations

import time

import numpy as np

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.propagation.estimator_dynamics import PASS_MODEL, propagate_states
from debriscope.timescale import utc_to_tt_s
from debriscope.tracking import RadarArc, Site, associate, cartesian_covariance, fit_orbit
from debriscope.tracking.measurements import predict_measurements, radar_to_teme, site_geometry

SITE = Site("clear", 64.2906, -149.1869, 170.0)
SIGMA = np.array([50.0, np.radians(0.05), np.radians(0.05), 10.0])


def cloud_detections(n: int, rng: np.random.Generator, p_detect: float = 0.5):
    t0 = float(utc_to_tt_s("1962-10-24T19:00:00Z"))
    a, e = apsides_to_a_e(180e3, 485e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.349, 0.3, np.sort(rng.uniform(0, 0.3, n)))
    x0 = np.concatenate([r, v + rng.normal(0, 20, (3, n))])
    times = t0 + np.arange(0.0, 4000.0, 2.0)
    m = predict_measurements(propagate_states(x0, t0, times, 0.0, PASS_MODEL), site_geometry(SITE, times))
    ti, fi = np.nonzero((m[2] > np.radians(3.0)) & (rng.random(m[2].shape) < p_detect))
    z = m[:, ti, fi] + SIGMA[:, None] * rng.standard_normal((4, ti.size))
    return times[ti], z, fi


def main() -> None:
    rng = np.random.default_rng(1)
    for n in (30, 100, 300):
        t, z, truth = cloud_detections(n, rng)
        geo = site_geometry(SITE, t)
        sig = np.repeat(SIGMA[:, None], t.size, axis=1)
        r = radar_to_teme(z[0], np.degrees(z[1]), np.degrees(z[2]), geo)
        rc = cartesian_covariance(z[0], z[1], z[2], sig, geo)
        tic = time.perf_counter()
        lab = associate(t, r, rc, z[0], z[3], sig[0], sig[3], geo)
        dt = time.perf_counter() - tic
        print(f"associate: {n:4d} objects, {t.size:6d} detections, {lab.max() + 1:4d} tracks: "
              f"{dt:6.2f} s ({t.size / dt:8.0f} detections/s)")
    k = np.flatnonzero(lab == 0)[:60]
    arc = RadarArc.from_columns(SITE, t[k], z[0, k], np.degrees(z[1, k]), np.degrees(z[2, k]), z[3, k],
                                50.0, 0.05, 0.05, 10.0)
    fit_orbit([arc])  # warm
    tic = time.perf_counter()
    for _ in range(20):
        fit_orbit([arc])
    print(f"fit_orbit: {k.size} measurements: {(time.perf_counter() - tic) / 20 * 1e3:.1f} ms per fit")


if __name__ == "__main__":
    main()
