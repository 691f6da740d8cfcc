"""The early-warning analysis's declared parts, each with its own parameters in SI.

Built once by the stage adapter from ``[tracking]`` (:func:`debriscope.tracking.stage.early_warning_parts`)
and injected into :func:`debriscope.tracking.warning.analyse` (the Stone Soup style of declared
components: Hiscox et al., Proc. SPIE 11018, 2019). The associator's parameters are
:class:`~debriscope.tracking.association.AssociationParameters`, the classifier and the pass gate's
chi-square gate are the maintenance loop's own :class:`~debriscope.tracking.maintenance.parts.Classifier`
and :class:`~debriscope.tracking.maintenance.parts.Gate`, the linker's gates
:class:`~debriscope.tracking.linking.LinkGates` and :class:`~debriscope.tracking.revlink.PairGates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..propagation import ForceModel
from .association import AssociationParameters
from .linking import LinkGates
from .maintenance.parts import Classifier
from .multipass import B_PRIOR_M2_KG, LN_B_PRIOR_SIGMA, estimator_dynamics
from .od import RadarArc
from .passgate import PassGate
from .revlink import PairGates


@dataclass(frozen=True)
class DefaultSigmas:
    """Measurement sigmas of detections that carry none (a user's CSV)."""

    range_m: float = 1000.0
    angle_rad: float = float(np.radians(0.3))
    range_rate_mps: float = 50.0


@dataclass(frozen=True)
class AlertRule:
    """The naive direction-and-descent rule (:func:`debriscope.tracking.alerts.naive_alert_index`):
    the defended point and the heading tolerance."""

    defended_lat_rad: float = float(np.radians(39.83))
    defended_lon_rad: float = float(np.radians(-98.58))
    heading_tolerance_rad: float = float(np.radians(60.0))

    def first_alert(self, arc: RadarArc) -> int:
        """Index of the detection at which the rule first fires, -1 if never."""
        from .alerts import naive_alert_index

        return naive_alert_index(arc, float(np.degrees(self.defended_lat_rad)), float(np.degrees(self.defended_lon_rad)),
                                 float(np.degrees(self.heading_tolerance_rad)))


@dataclass(frozen=True)
class Clearance:
    """An alert is cleared when p_ballistic < ``p_clear``; a pass is re-fitted at most
    ``max_evaluations`` times (prefixes spread geometrically) to find when."""

    p_clear: float = 0.01
    max_evaluations: int = 10


@dataclass(frozen=True)
class ObjectBuilder:
    """The multi-pass build of linked objects (:func:`debriscope.tracking.multipass.build_object`):
    a pass joins if the refit's normalised RMS stays <= ``max_rms``; the a-priori B and sigma of
    ln B; the pass gate that screens candidates before any refit; at most ``max_refits``
    candidates refitted per object [E] (a fan pair's orbit is not gated, and on a dense cloud the
    linker hands it chains of ~120 passes of ~25 fragments: without a bound, every set-aside
    pass is refitted against every later one)."""

    max_rms: float = 3.0
    b_prior_m2_kg: float = B_PRIOR_M2_KG
    ln_b_prior_sigma: float = LN_B_PRIOR_SIGMA
    gate: PassGate = PassGate()
    max_refits: int = 16
    max_tries: int = 2
    """A pass is refitted into at most this many objects of its linked chain [E] (a set-aside pass
    starts an object of its own later): the refits grow linearly with the chain."""


@dataclass(frozen=True)
class DwellStudy:
    """The two-fan study (:func:`debriscope.tracking.alerts.misclassification_vs_dwell`): tracker
    dwells, interval, the tracker sigmas where the detections hold no tracker rows (range_m,
    azimuth_rad, elevation_rad, range_rate_mps), Monte Carlo samples per object and dwell."""

    dwell_s: tuple[float, ...] = (0.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0)
    tracker_interval_s: float = 1.0
    tracker_sigma: tuple[float, float, float, float] = (50.0, float(np.radians(0.05)), float(np.radians(0.05)), 10.0)
    samples: int = 2000


def _link_gates() -> LinkGates:
    return LinkGates(25e3, 100e3, 25e3, 1.0, 24 * 3600.0)


def _pair_gates() -> PairGates:
    return PairGates(26 * 3600.0, 86 * 60.0, 110 * 60.0, 15.0, 3.0)


@dataclass(frozen=True)
class EarlyWarningParts:
    """Every part of the early-warning analysis, and the estimator's dynamics ``estimator`` of the
    multi-pass fits, the pass gate and two-pass linking: the stage passes the run's own
    (``models.json`` ``estimator``, the maintenance loop's model); the default is
    :func:`~debriscope.tracking.multipass.estimator_dynamics`."""

    sigmas: DefaultSigmas = DefaultSigmas()
    associator: AssociationParameters = AssociationParameters()
    classifier: Classifier = Classifier(perigee_threshold_km=120.0, samples=2000)
    alert: AlertRule = AlertRule()
    clearance: Clearance = Clearance()
    linker: LinkGates = field(default_factory=_link_gates)
    builder: ObjectBuilder = ObjectBuilder()
    pairing: PairGates = field(default_factory=_pair_gates)
    study: DwellStudy = DwellStudy()
    estimator: ForceModel = field(default_factory=estimator_dynamics)
