"""Association of detections of several targets into tracks, without the true identities."""

from __future__ import annotations

import numpy as np

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.scenario.options import TrackingOptions
from debriscope.tracking.scoring import score_tracks
from debriscope.tracking.tracker import build_tracks, measurements_from_table

PURITY_MIN = 0.98
COMPLETENESS_MIN = 0.95


def _cloud(n: int, rng: np.random.Generator) -> np.ndarray:
    """n fragments spread along the parking orbit (crossings seconds to minutes apart)."""
    a, e = apsides_to_a_e(180e3, 485e3)
    nu = np.sort(rng.uniform(0.0, 0.15, n))
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.349, 0.3, nu)
    return np.concatenate([r, v + rng.normal(0.0, 15.0, (3, n))])


def test_tracker_detections_of_a_cloud_give_pure_tracks(rng, sim):
    states = _cloud(12, rng)
    table = sim.detection_table(sim.CLEAR, states, sim.T0 - 600.0, 3600.0, rng, tracker_s=40.0)
    options = TrackingOptions()
    labels = build_tracks(measurements_from_table(table, options), {"clear": sim.CLEAR}, options)
    scores = score_tracks(labels, table["fragment_id"])
    assert scores.purity_mean >= PURITY_MIN
    assert scores.completeness >= COMPLETENESS_MIN
    assert scores.fragmentation <= 1.5


def test_detection_order_does_not_matter(rng, sim):
    states = _cloud(4, rng)
    table = sim.detection_table(sim.CLEAR, states, sim.T0 - 600.0, 3600.0, rng)
    options = TrackingOptions()
    perm = rng.permutation(len(table["time_utc"]))
    shuffled = {k: v[perm] for k, v in table.items()}
    a = build_tracks(measurements_from_table(table, options), {"clear": sim.CLEAR}, options)
    b = build_tracks(measurements_from_table(shuffled, options), {"clear": sim.CLEAR}, options)
    # the same partition (track numbers may differ where tracks start at the same instant)
    pairs = set(zip(a[perm].tolist(), b.tolist(), strict=True))
    assert len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def test_missing_columns_are_named(sim):
    import pytest

    with pytest.raises(ValueError, match="elevation_deg"):
        measurements_from_table({"time_utc": np.array(["1962-10-24T19:00:00Z"]), "site": np.array(["clear"]),
                                 "range_m": np.array([1e6]), "azimuth_deg": np.array([10.0])}, TrackingOptions())
