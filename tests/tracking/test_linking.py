"""Cross-pass linking of tracks into objects."""

from __future__ import annotations

import numpy as np

from debriscope.elements import elements_to_rv
from debriscope.propagation.estimator_dynamics import PASS_MODEL, propagate_states
from debriscope.tracking.linking import LinkCounts, LinkGates, link_tracks, passes_per_object

GATES = LinkGates(25e3, 100e3, 25e3, 1.0, 24 * 3600.0)


def test_same_orbit_links_across_passes_and_others_do_not():
    r, v = elements_to_rv(6.75e6, 0.02, np.radians(64.9), np.array([0.3, 0.3, 1.3]), 0.3, np.array([0.0, 0.5, 0.0]))
    x0 = np.concatenate([r, v])
    # object A at t=0 and one revolution later (+5560 s); B at 600 s; C (other plane) at 300 s
    t = np.array([0.0, 5560.0, 600.0, 300.0])
    states = np.stack([
        x0[:, 0],
        propagate_states(x0[:, 0], 0.0, [5560.0], 0.0, PASS_MODEL)[0] + np.r_[2e3, 0, 0, 0, 0, 0],  # 2 km off: inside gates
        x0[:, 1],
        x0[:, 2],
    ], axis=1)
    first = t - 60.0
    obj = link_tracks(states, t, first, np.array(["clear"] * 4), GATES)
    assert obj[0] == obj[1]
    assert len({obj[0], obj[2], obj[3]}) == 3
    np.testing.assert_array_equal(passes_per_object(obj), [2, 2, 1, 1])
    assert sorted(set(obj)) == [1, 2, 3]  # numbered from 1


def test_invalid_fits_stay_alone():
    r, v = elements_to_rv(6.75e6, 0.02, 1.0, 0.3, 0.3, 0.0)
    x = np.concatenate([r, v])
    states = np.concatenate([x, propagate_states(x[:, 0], 0.0, [600.0], 0.0, PASS_MODEL)[0][:, None]], axis=1)
    obj = link_tracks(states, np.array([0.0, 600.0]), np.array([-60.0, 540.0]), np.array(["a", "a"]), GATES,
                      valid=np.array([True, False]))
    assert obj[0] != obj[1]


def test_passes_beyond_the_prediction_window_are_not_linked():
    """The same orbit seen again after 3 revolutions links with a 6 h window, not with a 2 h one
    (the march drops a track from the comparison once its window has passed)."""
    r, v = elements_to_rv(6.75e6, 0.02, np.radians(64.9), 0.3, 0.3, 0.0)
    x = np.concatenate([r, v])[:, 0]
    t = np.array([0.0, 3 * 5560.0])
    states = np.stack([x, propagate_states(x, 0.0, [t[1]], 0.0, PASS_MODEL)[0]], axis=1)
    sites = np.array(["clear", "clear"])
    assert len(set(link_tracks(states, t, t - 60.0, sites, GATES._replace(max_gap_s=6 * 3600.0)))) == 1
    assert len(set(link_tracks(states, t, t - 60.0, sites, GATES._replace(max_gap_s=2 * 3600.0)))) == 2


def test_a_track_has_at_most_one_successor_per_site():
    """Two passes overlapping in time at one site (neither can precede the other) both fall in the
    gates of an earlier pass of that site: it links to the closer one only (a greedy chain linked
    both, making one object of three tracks)."""
    r, v = elements_to_rv(6.75e6, 0.02, np.radians(64.9), 0.3, 0.3, 0.0)
    x = np.concatenate([r, v])[:, 0]
    t = np.array([0.0, 5560.0, 5570.0])
    moved = propagate_states(x, 0.0, t[1:], 0.0, PASS_MODEL)
    states = np.stack([x, moved[0] + np.r_[1e3, 0, 0, 0, 0, 0], moved[1] + np.r_[10e3, 0, 0, 0, 0, 0]], axis=1)
    first = np.array([-60.0, 5500.0, 5510.0])  # the second and third overlap
    obj = link_tracks(states, t, first, np.array(["clear"] * 3), GATES)
    np.testing.assert_array_equal(obj, [1, 1, 2])


def _staggered_objects(n: int, period_s: float = 5560.0, spacing_s: float = 2000.0):
    """n objects in distinct planes (RAAN k x 37 deg), object k seen at t_k + (0, 1, 2) periods,
    t_k = k x ``spacing_s``: tracks' states, epochs and the true object of each track."""
    k = np.repeat(np.arange(n), 3)
    rev = np.tile(np.arange(3), n)
    raan = np.radians((37.0 * k) % 360.0)
    r, v = elements_to_rv(6.9e6, 0.001, np.radians(64.9), raan, 0.3, 0.0)
    x0 = np.concatenate([r, v])
    t = k * spacing_s + rev * period_s
    states = np.stack([propagate_states(x0[:, j], 0.0, [rev[j] * period_s], 0.0, PASS_MODEL)[0]
                       for j in range(k.size)], axis=1)
    return states, t, k


def test_separated_objects_give_pure_chains_and_linear_work():
    """N objects passing one after another in distinct planes give N chains of 3 tracks, each pure;
    the pairs compared (counted, not timed) grow linearly with N (each track meets only the tracks
    of its prediction window: equal increments of N add equal work), and each track keeps only its
    own object's earlier passes as candidates."""
    gates = GATES._replace(max_gap_s=2.2 * 5560.0)
    work = {}
    for n in (20, 40, 60):
        states, t, truth = _staggered_objects(n)
        counts = LinkCounts()
        obj = link_tracks(states, t, t - 60.0, np.array(["clear"] * t.size), gates, counts=counts)
        assert len(set(obj)) == n
        for k in range(n):  # purity 1: an object's tracks carry one truth, and every truth one object
            assert len(set(obj[truth == k])) == 1
        assert counts.candidates == 3 * n  # pass 2 has 1 candidate, pass 3 has 2: its own object's
        work[n] = counts.pairs
    assert work[20] > 0
    assert abs((work[60] - work[40]) - (work[40] - work[20])) <= 0.05 * (work[40] - work[20])
