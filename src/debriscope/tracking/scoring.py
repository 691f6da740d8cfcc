"""Track quality against the truth (scoring only; the tracker never sees the truth).

- **Purity** of a track: the fraction of its detections that come from its majority fragment
  (the ``truth_fragment_id``).
- **Completeness**: the fraction of the fragments with at least ``min_detections`` detections that
  are the majority fragment of at least one track.
- **Fragmentation**: tracks per recovered fragment (1 is ideal).
- **Position error**: fitted position minus true position at the fit epoch, where the truth is given.
These are the usual measures of track-to-truth assignment (Blackman & Popoli 1999, performance evaluation).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray


class TrackTruth(NamedTuple):
    """Per-track majority fragment and purity (arrays over track ids 0..n-1)."""

    truth_fragment_id: NDArray
    purity: NDArray
    n_detections: NDArray


def track_truth(labels: ArrayLike, fragment_id: ArrayLike) -> TrackTruth:
    """Majority truth fragment and purity of each track (labels >= 0; -1 = not in a track)."""
    lab = np.asarray(labels, dtype=int)
    frag = np.asarray(fragment_id, dtype=np.int64)
    n_tracks = int(lab.max()) + 1 if lab.size and lab.max() >= 0 else 0
    major = np.full(n_tracks, -1, dtype=np.int64)
    purity = np.full(n_tracks, np.nan)
    count = np.zeros(n_tracks, dtype=int)
    sel = lab >= 0
    if n_tracks:
        pairs, n_pair = np.unique(np.stack([lab[sel], frag[sel]]), axis=1, return_counts=True)
        order = np.lexsort((-n_pair, pairs[0]))  # by track, most frequent fragment first
        pairs, n_pair = pairs[:, order], n_pair[order]
        first = np.unique(pairs[0], return_index=True)[1]
        count = np.bincount(lab[sel], minlength=n_tracks)
        major[pairs[0, first]] = pairs[1, first]
        purity[pairs[0, first]] = n_pair[first] / count[pairs[0, first]]
    return TrackTruth(major, purity, count)


class TrackScores(NamedTuple):
    """Summary scores of a set of tracks."""

    purity_mean: float
    """Detection-weighted mean purity."""
    completeness: float
    fragmentation: float
    n_fragments_detected: int
    n_fragments_tracked: int


def score_tracks(labels: ArrayLike, fragment_id: ArrayLike, min_detections: int = 2) -> TrackScores:
    """Purity, completeness and fragmentation of a labelling against the truth fragment ids."""
    lab = np.asarray(labels, dtype=int)
    frag = np.asarray(fragment_id, dtype=np.int64)
    tt = track_truth(lab, frag)
    ids, counts = np.unique(frag, return_counts=True)
    detectable = ids[counts >= min_detections]
    tracked = np.intersect1d(detectable, tt.truth_fragment_id)
    n_tr = tt.purity.size
    purity = float(np.nansum(tt.purity * tt.n_detections) / tt.n_detections.sum()) if n_tr else float("nan")
    completeness = tracked.size / detectable.size if detectable.size else float("nan")
    fragmentation = np.isin(tt.truth_fragment_id, tracked).sum() / tracked.size if tracked.size else float("nan")
    return TrackScores(purity, float(completeness), float(fragmentation), int(detectable.size), int(tracked.size))


def position_errors_m(fitted_r_m: ArrayLike, true_r_m: ArrayLike) -> NDArray:
    """|fitted - true| per column of (3, N) positions, m."""
    return np.linalg.norm(np.asarray(fitted_r_m, dtype=float) - np.asarray(true_r_m, dtype=float), axis=0)
