"""Tracking: association, initial and batch orbit determination, orbital/ballistic discrimination,
the alert timeline and the two-fan study. See ``docs/tracking.md``.

Public API::

    site = Site("clear", 64.2906, -149.1869, 170.0)
    arc = RadarArc.from_columns(site, t_tt_s, range_m, az_deg, el_deg, rr_mps, s_r, s_az, s_el, s_rr)
    fit = fit_orbit([arc])                                   # OrbitFit: state, covariance at epoch
    mp = fit_orbit_multipass([arc1, arc2], fit.state, fit.epoch_tt_s)  # state + Cd A/m over passes
    c = classify(fit.state, fit.covariance, fit.epoch_tt_s, rng)   # class, p_ballistic, impact
    bt = ballistic_trajectory(45.92, 63.342, 38.90, -77.04, t0_tt_s)  # minimum-energy missile
    res = analyse(meas, labels, sites, EarlyWarningParts(), rng)      # the early-warning analysis
"""

from .alerts import misclassification_vs_dwell, naive_alert_index, two_fan_classification
from .association import AssociationParameters, associate, cartesian_covariance
from .ballistic import BallisticTrajectory, ballistic_trajectory
from .discrimination import (
    Classification,
    classify,
    impact_point,
    p_ballistic_linear,
    p_ballistic_monte_carlo,
    perigee_altitude_m,
)
from .iod import fg_series_fit, gibbs, herrick_gibbs
from .linking import link_tracks
from .measurements import Site, predict_measurements, radar_to_teme, site_geometry
from .multipass import MultiPassFit, build_object, clearance_time, fit_orbit_multipass
from .od import OrbitFit, RadarArc, fit_orbit
from .scoring import score_tracks, track_truth
from .tracker import build_tracks, fit_and_classify, measurements_from_table
from .warning import WarningTracks, analyse
from .warning_parts import EarlyWarningParts

__all__ = [
    "AssociationParameters",
    "BallisticTrajectory",
    "Classification",
    "EarlyWarningParts",
    "MultiPassFit",
    "OrbitFit",
    "RadarArc",
    "Site",
    "WarningTracks",
    "analyse",
    "associate",
    "ballistic_trajectory",
    "build_object",
    "build_tracks",
    "cartesian_covariance",
    "classify",
    "clearance_time",
    "fg_series_fit",
    "fit_and_classify",
    "fit_orbit",
    "fit_orbit_multipass",
    "gibbs",
    "herrick_gibbs",
    "impact_point",
    "link_tracks",
    "measurements_from_table",
    "misclassification_vs_dwell",
    "naive_alert_index",
    "p_ballistic_linear",
    "p_ballistic_monte_carlo",
    "perigee_altitude_m",
    "predict_measurements",
    "radar_to_teme",
    "score_tracks",
    "site_geometry",
    "track_truth",
    "two_fan_classification",
]
