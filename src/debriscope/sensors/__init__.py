"""Radars: the radar equation, the NASA SEM radar cross section, BMEWS 1962 sites, detections.

Public API::

    radars = shipped_sites()["clear"]                    # tuple of Radar
    rcs_m2 = rcs_from_size_m2(lc_m, wavelength_m)         # NASA SEM
    result = simulate_detections(radars, state0_teme, t0_tt_s, lc_m, propagate_chunk, rng,
                                 t_end_tt_s=...)          # DetectionResult
    site = site_teme(lat_deg, lon_deg, alt_m, t_tt_s); rng, az, el, rr = topocentric(site, r, v)

See ``docs/sensors.md``.
"""

from .detect import DETECTION_COLUMNS, DetectionResult, simulate_detections
from .geometry import SiteTeme, site_teme, subsatellite_point_deg, topocentric
from .radar import Radar
from .radar_equation import pd_nonfluctuating, pd_swerling1, snr_single_pulse
from .sem import rcs_from_size_m2, size_from_rcs_m
from .sites import shipped_sites

__all__ = [
    "DETECTION_COLUMNS",
    "DetectionResult",
    "Radar",
    "SiteTeme",
    "pd_nonfluctuating",
    "pd_swerling1",
    "rcs_from_size_m2",
    "shipped_sites",
    "simulate_detections",
    "site_teme",
    "size_from_rcs_m",
    "snr_single_pulse",
    "subsatellite_point_deg",
    "topocentric",
]
