"""Association of detections of several targets into tracks, without the true identities."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.timescale import tt_s_to_utc_iso, utc_to_tt_s
from debriscope.tracking.scoring import score_tracks
from debriscope.tracking.tracker import build_tracks, measurements_from_table
from debriscope.tracking.warning_parts import EarlyWarningParts

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
    parts = EarlyWarningParts()
    labels = build_tracks(measurements_from_table(table, parts.sigmas), {"clear": sim.CLEAR}, parts.associator)
    scores = score_tracks(labels, table["fragment_id"])
    assert scores.purity_mean >= PURITY_MIN
    assert scores.completeness >= COMPLETENESS_MIN
    assert scores.fragmentation <= 1.5


def test_detection_order_does_not_matter(rng, sim):
    states = _cloud(4, rng)
    table = sim.detection_table(sim.CLEAR, states, sim.T0 - 600.0, 3600.0, rng)
    parts = EarlyWarningParts()
    perm = rng.permutation(len(table["time_utc"]))
    shuffled = {k: v[perm] for k, v in table.items()}
    a = build_tracks(measurements_from_table(table, parts.sigmas), {"clear": sim.CLEAR}, parts.associator)
    b = build_tracks(measurements_from_table(shuffled, parts.sigmas), {"clear": sim.CLEAR}, parts.associator)
    # the same partition (track numbers may differ where tracks start at the same instant)
    pairs = set(zip(a[perm].tolist(), b.tolist(), strict=True))
    assert len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def test_missing_columns_are_named(sim):
    import pytest

    with pytest.raises(ValueError, match="elevation_deg"):
        measurements_from_table({"time_utc": np.array(["1962-10-24T19:00:00Z"]), "site": np.array(["clear"]),
                                 "range_m": np.array([1e6]), "azimuth_deg": np.array([10.0])}, EarlyWarningParts().sigmas)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.floats(1e5, 5e6), st.floats(0, 360, exclude_max=True), st.floats(0, 89),
            st.one_of(st.just(""), st.floats(-8e3, 8e3)),
            st.one_of(st.just(""), st.floats(0, 1e5)),
        ),
        min_size=1, max_size=8,
    )
)
def test_parser_fills_sigmas(rows):
    # Parsing any detection rows: sigmas come out positive where a value is measured; a missing
    # range rate is not used (NaN sigma); a zero or missing sigma takes the documented default.
    n = len(rows)
    table = {
        "time_utc": np.array([f"1962-10-24T19:00:{k:02d}Z" for k in range(n)]),
        "site": np.full(n, "clear"),
        "range_m": np.array([r[0] for r in rows]), "azimuth_deg": np.array([r[1] for r in rows]),
        "elevation_deg": np.array([r[2] for r in rows]),
        "range_rate_mps": np.array([str(r[3]) for r in rows]),
        "sigma_range_m": np.array([str(r[4]) for r in rows]),
    }
    parts = EarlyWarningParts()
    meas = measurements_from_table(table, parts.sigmas)
    assert np.all(meas.sigma[:3] > 0)
    assert np.all(np.isnan(meas.sigma[3]) == np.isnan(meas.z[3]))
    given_sig = np.array([r[4] if r[4] != "" and r[4] > 0 else parts.sigmas.range_m for r in rows])
    np.testing.assert_allclose(meas.sigma[0], given_sig)
    assert np.all(np.diff(meas.t_tt_s) > 0)


def test_association_work_grows_linearly_with_separated_objects(rng, sim):
    """N objects whose passes follow one another (each copy of one pass shifted by 15 min, so each
    is a valid orbit rotated about the polar axis): N tracks of purity 1, and the track-detection
    pairs the gate is offered grow linearly with N (closed tracks are not offered), counted."""
    from debriscope.tracking.association import AssociationCounts

    one = sim.detection_table(sim.CLEAR, sim.flagship_states(1, rng, spread_mps=0.0), sim.T0 - 600.0, 3000.0, rng)
    t_one = np.asarray(utc_to_tt_s(one["time_utc"]))
    parts = EarlyWarningParts()
    per_object = {}
    for n in (4, 16):
        table = {k: np.concatenate([v] * n) for k, v in one.items()}
        shift = np.repeat(np.arange(n) * 900.0, t_one.size)
        table["time_utc"] = np.asarray(tt_s_to_utc_iso(np.tile(t_one, n) + shift, decimals=3))
        table["fragment_id"] = np.repeat(np.arange(n), t_one.size)
        counts = AssociationCounts()
        labels = build_tracks(measurements_from_table(table, parts.sigmas), {"clear": sim.CLEAR}, parts.associator,
                              counts)
        scores = score_tracks(labels, table["fragment_id"])
        assert labels.max() + 1 == n and scores.purity_mean == 1.0 and scores.completeness == 1.0
        per_object[n] = counts.pairs / n
    assert per_object[16] <= 1.05 * per_object[4]
