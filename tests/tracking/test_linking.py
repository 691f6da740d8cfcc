"""Cross-pass linking of tracks into objects."""

from __future__ import annotations

import numpy as np

from debriscope.elements import elements_to_rv
from debriscope.propagation.estimator_dynamics import PASS_MODEL, propagate_states
from debriscope.tracking.linking import LinkGates, link_tracks, passes_per_object

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
