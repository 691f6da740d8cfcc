"""The ``Radar``: where a radar stands, what it can see, and how well it measures.

Two measurement principles (``mode``):

``"fan"``
    Fixed fan beams at given elevations (BMEWS AN/FPS-50): a thin beam swept in azimuth across
    the sector every ``scan_period_s`` by the feed, at each fan elevation. A target is measured
    when it crosses a fan (elevation = fan elevation) inside the sector and range; the time it
    spends inside the fan is ``fan_thickness_deg / |d(elevation)/dt|`` and each sweep during it
    is one detection opportunity.
``"tracker"``
    A steerable dish (AN/FPS-49) above ``min_elevation_deg`` inside its sector, cued by the fan
    detections of the radars of the same ``site``; it follows a cued target for ``dwell_s``,
    one measurement every ``scan_period_s``, ``cue_delay_s`` after the cue.
``"tasked"``
    A steerable dish that follows the catalog (Moorestown, Millstone Hill, Trinidad): it can
    observe an object only when pointed from a prediction, so the stage reports every pass above
    ``min_elevation_deg``, in sector and range, and detected, as one *observation opportunity*
    (at the pass's highest sampled elevation), flagged ``needs_prediction``; the cataloguing
    stage decides which were taken.

SNR from the radar range equation, detection probability from the Swerling model
(:mod:`debriscope.sensors.radar_equation`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import C_LIGHT_MPS
from ..errors import ScenarioError
from .radar_equation import db_to_ratio, snr_single_pulse

_POSITIVE = (
    "max_range_m", "peak_power_w", "frequency_hz", "pulse_width_s", "noise_temperature_k",
    "scan_period_s", "fan_thickness_deg",
)
_NON_NEGATIVE = (
    "gain_dbi", "losses_db", "sigma_range_m", "sigma_azimuth_deg", "sigma_elevation_deg",
    "dwell_s", "cue_delay_s",
)


@dataclass(frozen=True, kw_only=True)
class Radar:
    """One radar (SI units; angles in degrees as named). Parameters as in ``[[sensors.radars]]``.

    Every field is validated on construction; a bad value raises
    :class:`~debriscope.errors.ScenarioError` naming ``<radar name>.<field>``.
    """

    name: str
    site: str = ""
    latitude_deg: float
    longitude_deg: float
    altitude_m: float = 0.0
    mode: str = "fan"
    azimuth_min_deg: float = 0.0
    azimuth_max_deg: float = 360.0
    fan_names: tuple[str, ...] = ("fan_low", "fan_high")
    fan_elevations_deg: tuple[float, ...] = (3.5, 7.0)
    fan_thickness_deg: float = 1.0
    min_elevation_deg: float = 0.0
    max_range_m: float
    peak_power_w: float
    gain_dbi: float
    frequency_hz: float
    pulse_width_s: float
    noise_temperature_k: float
    losses_db: float = 0.0
    pfa: float = 1e-6
    swerling: int = 1
    sigma_range_m: float
    sigma_azimuth_deg: float
    sigma_elevation_deg: float
    sigma_range_rate_mps: float | None = None
    scan_period_s: float
    dwell_s: float = 60.0
    cue_delay_s: float = 10.0
    source: str = ""

    def __post_init__(self) -> None:
        if not self.site:
            object.__setattr__(self, "site", self.name)
        object.__setattr__(self, "fan_names", tuple(self.fan_names))
        object.__setattr__(self, "fan_elevations_deg", tuple(float(e) for e in self.fan_elevations_deg))
        self._validate()

    def _fail(self, key: str, allowed: str) -> None:
        raise ScenarioError(f"{self.name}.{key}", getattr(self, key), allowed)

    def _validate(self) -> None:
        for key in _POSITIVE:
            value = getattr(self, key)
            if not np.isfinite(value) or value <= 0:
                self._fail(key, "must be a finite number > 0")
        for key in _NON_NEGATIVE:
            value = getattr(self, key)
            if not np.isfinite(value) or value < 0:
                self._fail(key, "must be a finite number >= 0")
        if self.sigma_range_rate_mps is not None and not self.sigma_range_rate_mps >= 0:
            self._fail("sigma_range_rate_mps", "must be >= 0, or None when range rate is not measured")
        if not -90.0 <= self.latitude_deg <= 90.0:
            self._fail("latitude_deg", "must lie in [-90, 90]")
        if not -180.0 <= self.longitude_deg <= 360.0:
            self._fail("longitude_deg", "must lie in [-180, 360]")
        if self.mode not in ("fan", "tracker", "tasked"):
            self._fail("mode", "allowed: 'fan', 'tracker', 'tasked'")
        for key in ("azimuth_min_deg", "azimuth_max_deg"):
            if not 0.0 <= getattr(self, key) <= 360.0:
                self._fail(key, "must lie in [0, 360]")
        if self.azimuth_min_deg == self.azimuth_max_deg:
            self._fail("azimuth_max_deg", "differs from azimuth_min_deg (0 to 360 for all azimuths)")
        if not 0.0 < self.pfa <= 0.5:
            self._fail("pfa", "must lie in (0, 0.5]")
        if self.swerling not in (0, 1, 3):
            self._fail("swerling", "allowed: 0, 1, 3")
        if not -5.0 <= self.min_elevation_deg < 90.0:
            self._fail("min_elevation_deg", "must lie in [-5, 90)")
        if self.mode == "fan":
            if not self.fan_elevations_deg or len(self.fan_names) != len(self.fan_elevations_deg):
                self._fail("fan_names", "one name per fan elevation, at least one fan")
            if any(not 0.0 <= e < 90.0 for e in self.fan_elevations_deg):
                self._fail("fan_elevations_deg", "each in [0, 90)")
            if len(set(self.fan_names)) != len(self.fan_names) or "tracker" in self.fan_names:
                self._fail("fan_names", "distinct names other than 'tracker'")

    # --- derived quantities ----------------------------------------------------------------
    @property
    def wavelength_m(self) -> float:
        return C_LIGHT_MPS / self.frequency_hz

    @property
    def sector_width_deg(self) -> float:
        """Width of the azimuth sector, clockwise from ``azimuth_min_deg``, deg (0, 360]."""
        width = (self.azimuth_max_deg - self.azimuth_min_deg) % 360.0
        return 360.0 if width == 0.0 else width

    @property
    def measures_range_rate(self) -> bool:
        return self.sigma_range_rate_mps is not None

    @property
    def beams(self) -> tuple[str, ...]:
        return self.fan_names if self.mode == "fan" else (self.mode,)

    def in_sector(self, azimuth_deg: ArrayLike) -> NDArray:
        """Whether azimuths (deg) lie inside the sector (clockwise from min to max)."""
        offset = (np.asarray(azimuth_deg, dtype=float) - self.azimuth_min_deg) % 360.0
        return offset <= self.sector_width_deg

    def snr(self, range_m: ArrayLike, rcs_m2: ArrayLike) -> NDArray:
        """Mean single-look SNR (power ratio) on a target of ``rcs_m2`` at ``range_m``."""
        return snr_single_pulse(
            range_m, rcs_m2,
            peak_power_w=self.peak_power_w, gain=float(db_to_ratio(self.gain_dbi)),
            wavelength_m=self.wavelength_m, pulse_width_s=self.pulse_width_s,
            noise_temperature_k=self.noise_temperature_k, losses=float(db_to_ratio(self.losses_db)),
        )
