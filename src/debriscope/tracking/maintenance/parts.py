"""The catalog-maintenance loop's declared parts, each with its own parameters in SI.

Built once by the stage from ``[tracking]`` and injected into :func:`.loop.maintain` (the Stone
Soup style of declared components: Hiscox et al., "Stone Soup: announcement of beta release of an
open-source framework for tracking and state estimation", Proc. SPIE 11018, 2019). Stone Soup
itself is not used: its per-track Python objects do not reach the thousands of detections per
second a debris cloud needs; the parts below work on arrays of objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import chi2

from ..discrimination import Classification, classify, perigee_altitude_m

TENTATIVE, CATALOGUED, LOST, DECAYED, MERGED = 0, 1, 2, 3, 4
STATUS_NAMES = ("tentative", "catalogued", "lost", "decayed", "merged")
"""``merged``: a tentative object found to be a lost catalogued one (:class:`Correlation`); its rows
and orbit went to that object, which keeps its number."""


@dataclass(frozen=True)
class Gate:
    """Associator: chi-square gate on the innovation of a pass's first row, then global nearest
    neighbour (one pass per object per sensor and window; Blackman & Popoli 1999, sec. 6.3).

    ``coarse_sigma``: the line-of-sight pre-screen, in combined standard deviations of position.
    ``ambiguity_margin``: a pass whose two best objects differ by less than this in d^2 (a
    likelihood ratio of exp(4.5) ~ 90 at 9) is ambiguous and left alone, as an analyst would.
    ``single_row_max_sigma_km``: a single detection (a fan crossing, a fence crossing heard by one
    receiver) is associated only with an object predicted better than this [E]: one look cannot
    tell apart the fragments inside a larger uncertainty.
    """

    probability: float = 0.9999
    coarse_sigma: float = 6.0
    ambiguity_margin: float = 9.0
    single_row_max_sigma_km: float = 50.0

    def threshold(self, dof: NDArray) -> NDArray:
        """Gate on d^2 for ``dof`` measurement components."""
        return chi2.ppf(self.probability, np.maximum(dof, 1))


@dataclass(frozen=True)
class Tasking:
    """Trackers and cameras observe only where a prediction points them: an opportunity is taken
    when an object's predicted line of sight lies within the sensor's half-beam (radar) or
    half-field (camera) of where the fragment really was, and its 3-sigma along-track uncertainty
    fits in the beam (the tracker could acquire it)."""

    radar_half_beam_rad: float = np.radians(1.0)
    camera_half_field_rad: float = np.radians(2.5)


@dataclass(frozen=True)
class Initiation:
    """New objects from uncorrelated tracks: a tracker pass (range, angles and range rate, not an
    opportunity) with at least ``min_detections`` rows whose single-pass least-squares fit converges
    with a normalised RMS <= ``max_rms`` and a perigee above ``min_perigee_km``; its covariance is
    inflated by ``covariance_inflation`` (a single short pass's linear covariance is too thin for
    the nonlinear hours that follow). A tentative object is re-fitted by batch least squares with
    a priori (``batch_iterations`` Gauss-Newton steps) when a pass is associated with it, unless its
    batch fit already holds two passes, its drag is linear enough in ln B, and the filter's update
    with the pass is linear and leaves the pass's residuals inside the chi-square quantile
    ``refit_probability`` [E] (:data:`.loop.FILTER_MAX_DRAG_2ND_ORDER_M`): a pass the orbit already explains needs
    no re-fit of the whole arc."""

    min_detections: int = 3
    max_rms: float = 3.0
    min_perigee_km: float = 80.0
    covariance_inflation: float = 25.0
    batch_iterations: int = 6
    refit_probability: float = 0.99


@dataclass(frozen=True)
class Admission:
    """Admission to the catalog: ``min_passes`` correlated passes over at least ``min_span_days``
    and a position uncertainty below ``max_sigma_pos_km``. The network notes found no written rule
    (network-1962.md sec. 1): 3 passes over 1 day is their labelled estimate [E]."""

    min_passes: int = 3
    min_span_days: float = 1.0
    max_sigma_pos_km: float = 50.0

    def admits(self, n_passes: NDArray, span_s: NDArray, sigma_pos_m: NDArray) -> NDArray:
        return (n_passes >= self.min_passes) & (span_s >= self.min_span_days * 86400.0) & (
            sigma_pos_m <= self.max_sigma_pos_km * 1e3)


@dataclass(frozen=True)
class Custody:
    """Loss of custody: a tentative object unseen for ``tentative_days``, or any object unseen for
    ``lost_days`` or whose position uncertainty exceeds ``max_sigma_pos_km`` (it can no longer be
    found by the trackers; the 1962 "lost satellite" lists). Labelled estimates [E]. A catalogued
    object found again after more than ``reacquire_days`` is re-fitted by batch least squares over
    a sliding arc of about ``arc_days`` (the filter's linear update after a long coast loses the
    semi-major axis the earlier passes fixed)."""

    tentative_days: float = 1.0
    lost_days: float = 10.0
    max_sigma_pos_km: float = 2000.0
    reacquire_days: float = 1.0
    arc_days: float = 7.0

    def lost(self, status: NDArray, unseen_s: NDArray, sigma_pos_m: NDArray) -> NDArray:
        live = (status == TENTATIVE) | (status == CATALOGUED)
        late = np.where(status == TENTATIVE, unseen_s > self.tentative_days * 86400.0,
                        unseen_s > self.lost_days * 86400.0)
        return live & (late | (sigma_pos_m > self.max_sigma_pos_km * 1e3))


@dataclass(frozen=True)
class Correlation:
    """Before a new object is numbered, it is correlated with the catalogued objects lost, or unseen
    for more than ``min_unseen_days``, within ``max_lost_days`` (the 1962 centre searched its
    catalog and lost-satellite list before giving a new number; ``min_unseen_days`` [E]: 6 h
    merged two more flagship duplicates than a day, with the same purity and fragments, and on
    the dense cloud raised purity; 1 h merged two distinct dense-cloud fragments). Both orbits are compared at one epoch in the equinoctial elements that
    a lost object keeps when its place along the orbit is gone: ``(a, h, k, p, q)`` without the
    mean longitude (Broucke & Cefola 1972). The distance is the chi-square of their difference
    under the sum of both covariances and of the osculating elements' short-period spread, which
    the Keplerian elements of two different points of one orbit show: J2's first-order amplitudes
    (Kozai 1959, Astron. J. 64, 367) of about ``1.5 J2 (R/a)^2`` relative in ``a``
    (``short_period_a_m``, ~10 km in low orbit), and ``J2 (R/a)^2 ~ 1e-3`` in ``h, k, p, q``
    (``short_period_elements``) [E]. Where the combined uncertainty of the mean longitude is under
    ``max_sigma_mean_longitude_rad`` [E] (an object unseen for a day or two, not yet lost along its
    orbit), the mean longitude is compared too: a pair whose 6-element d^2 fails the gate for 6
    degrees of freedom is not a match (the mean longitude can only veto; ranking stays on the five
    elements). A match inside the gate at
    ``probability``, with no second candidate within ``ambiguity_margin`` of it, is the lost
    object found again."""

    probability: float = 0.999
    max_lost_days: float = 60.0
    min_unseen_days: float = 0.25
    ambiguity_margin: float = 9.0
    short_period_a_m: float = 10e3
    short_period_elements: float = 1e-3
    max_sigma_mean_longitude_rad: float = 0.5

    def threshold(self, dof: int) -> float:
        """Gate on d^2 for ``dof`` elements."""
        return float(chi2.ppf(self.probability, dof))

    def spread(self) -> NDArray:
        """Variances (6,) of the osculating elements' short-period spread (the mean longitude's as
        ``h, k``'s, in radians)."""
        return np.array([self.short_period_a_m, *[self.short_period_elements] * 5]) ** 2


@dataclass(frozen=True)
class Classifier:
    """Orbital or ballistic from the estimate's perigee height above the ellipsoid; for one
    estimate with its covariance, p_ballistic from ``samples`` Monte Carlo draws (0: linearised)
    and the impact point (:func:`debriscope.tracking.discrimination.classify`)."""

    perigee_threshold_km: float = 100.0
    samples: int = 2000

    def assess(self, state: NDArray, covariance: NDArray, epoch_tt_s: float,
               rng: np.random.Generator | None) -> Classification:
        """Class, p_ballistic and impact point of one estimate (linearised without ``rng``)."""
        return classify(state, covariance, epoch_tt_s, rng if self.samples > 0 else None,
                        h_crit_m=self.perigee_threshold_km * 1e3, n_samples=max(self.samples, 1))

    def classify(self, states: NDArray) -> NDArray:
        with np.errstate(invalid="ignore"):
            hp = perigee_altitude_m(states)
        return np.where(~np.isfinite(hp), "undetermined",
                        np.where(hp >= self.perigee_threshold_km * 1e3, "orbital", "ballistic"))
