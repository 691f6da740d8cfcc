"""Purity, completeness and fragmentation on hand-made labellings."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.tracking.scoring import score_tracks, track_truth


def test_track_truth_majority_and_purity():
    labels = np.array([0, 0, 0, 1, 1, -1, 2])
    frags = np.array([7, 7, 8, 9, 9, 7, 8])
    tt = track_truth(labels, frags)
    np.testing.assert_array_equal(tt.truth_fragment_id, [7, 9, 8])
    np.testing.assert_allclose(tt.purity, [2 / 3, 1.0, 1.0])
    np.testing.assert_array_equal(tt.n_detections, [3, 2, 1])


def test_scores():
    labels = np.array([0, 0, 1, 1, 2, 2, -1, -1])
    frags = np.array([1, 1, 1, 1, 2, 3, 4, 4])
    sc = score_tracks(labels, frags, min_detections=2)
    assert sc.purity_mean == pytest.approx(5 / 6)  # 2 + 2 + 1 of 6 detections in tracks
    assert sc.n_fragments_detected == 2  # fragments 1 and 4 have two detections
    assert sc.completeness == pytest.approx(0.5)  # 1 is tracked (twice), 4 is not
    assert sc.fragmentation == pytest.approx(2.0)
