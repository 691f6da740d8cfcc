"""Passes from detection rows, without the truth."""

from __future__ import annotations

import numpy as np

from debriscope.tracking.maintenance.observations import (
    FENCE,
    RADAR,
    observations_from_table,
    pass_ids,
    stations_from_sensors,
)


def _tracker_rows(t0: float, range0_m: float, az_rad: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    t = t0 + 10.0 * np.arange(n)
    z = np.stack([range0_m - 3000.0 * (t - t0), np.full(n, az_rad), np.full(n, 0.3), np.full(n, -3000.0)])
    return t, z


def test_a_tracker_handed_to_another_object_starts_a_new_pass():
    t1, z1 = _tracker_rows(0.0, 2.0e6, 1.0, 6)
    t2, z2 = _tracker_rows(70.0, 1.2e6, 2.5, 6)  # 10 s after the last row, elsewhere in the sky
    t, z = np.concatenate([t1, t2]), np.concatenate([z1, z2], axis=1)
    n = t.size
    ids = pass_ids(t, np.full(n, "fps49"), np.full(n, RADAR), np.full(n, "tracker"), np.zeros(n, bool), z)
    assert ids.tolist() == [0] * 6 + [1] * 6
    # the same rows without the measurements (the old grouping by time alone) make one pass
    assert np.unique(pass_ids(t, np.full(n, "fps49"), np.full(n, RADAR), np.full(n, "tracker"),
                              np.zeros(n, bool))).size == 1


def test_fence_receivers_of_one_crossing_are_one_pass_and_fans_a_row_each():
    t = np.array([0.0, 0.1, 0.2, 5.0, 5.0])
    kind = np.array([FENCE, FENCE, FENCE, RADAR, RADAR])
    beam = np.array(["rx1", "rx2", "rx1", "fan_low", "fan_low"])
    sensor = np.array(["fence", "fence", "fence", "clear_fps50_1", "clear_fps50_1"])
    ids = pass_ids(t, sensor, kind, beam, np.zeros(5, bool))
    assert ids.tolist() == [0, 0, 1, 2, 3]  # rx1 twice: a second object


def test_fence_rows_carry_the_fences_time_tag_sigma_and_radar_rows_none():
    doc = {"radars": [{"name": "clear", "latitude_deg": 64.3, "longitude_deg": -149.2}],
           "fences": [{"name": "navspasur", "sigma_time_s": 0.1, "stations": [
               {"name": "silver_lake", "latitude_deg": 33.1, "longitude_deg": -91.0}]}]}
    stations = stations_from_sensors(doc)
    table = {"time_utc": np.array(["1962-10-25T00:00:00Z", "1962-10-25T00:00:01Z"]),
             "sensor": np.array(["navspasur", "clear"]), "measurement": np.array(["crossing_dcos", "range_az_el"]),
             "beam": np.array(["silver_lake", "fan"]), "dcos_east": np.array([0.1, np.nan]),
             "dcos_north": np.array([0.2, np.nan]), "sigma_dcos": np.array([3e-4, np.nan]),
             "range_m": np.array([np.nan, 1e6]), "azimuth_deg": np.array([np.nan, 10.0]),
             "elevation_deg": np.array([np.nan, 5.0])}
    obs = observations_from_table(table, stations)
    assert obs.sigma_t.tolist() == [0.1, 0.0]
