"""Per-stage options of a scenario: the ``[breakup]``, ``[propagation]``, ``[sensors]``,
``[tracking]``, ``[catalog]`` and ``[report]`` tables. Each is a frozen dataclass built by
:func:`debriscope.scenario.fields.build`; every field states its unit and meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ScenarioError
from .fields import param


@dataclass(frozen=True, kw_only=True)
class ParentScalingFactor:
    """``[[breakup.scaling_factor_by_parent]]``: the explosion scaling factor S of one named parent."""

    parent: str = param(doc="parent name, as in event.json")
    scaling_factor: float = param(doc="explosion scaling factor S (Johnson et al. 2001, eq. 2)", min=0.0, exclusive_min=True)


@dataclass(frozen=True, kw_only=True)
class BreakupOptions:
    """``[breakup]``: NASA Standard Breakup Model options (see docs/breakup.md)."""

    lc_min_m: float = param(0.05, doc="smallest characteristic length sampled, m", min=0.001)
    max_fragments: int = param(
        1_000_000, doc="refuse, before sampling, a breakup whose expected fragment count (size law, "
        "Johnson et al. 2001 eqs. 2 and 4) exceeds this; about 1.3 GB of memory per million", min=1,
    )
    mass_budget: bool = param(
        True, doc="enforce the mass budget (Krisko 2011): fragments never weigh more than their parent"
    )
    mass_budget_policy: str = param(
        "resample", doc="how an overweight sample meets the budget: 'resample' (the heaviest fragments' A/m drawn "
        "again, conditioned on the budget; the count law kept) or 'truncate' (stop at the budget)",
        choices=("resample", "truncate"),
    )
    n_remnants: int = param(
        1, doc="large remnants carrying the mass the fragments leave over (mass budget on; 0 leaves it unaccounted)",
        min=0, max=100,
    )
    scaling_factor_rocket_body: float = param(
        1.0, doc="explosion scaling factor S for rocket bodies (eq. 2; 1 = nominal upper stage)",
        min=0.0, exclusive_min=True,
    )
    scaling_factor_spacecraft: float = param(
        1.0, doc="explosion scaling factor S for spacecraft (eq. 2)", min=0.0, exclusive_min=True
    )
    scaling_factor_by_parent: tuple[ParentScalingFactor, ...] = param(
        (), doc="per-parent S overriding the class default: [[breakup.scaling_factor_by_parent]] tables"
    )
    output_format: str = param(
        "csv", doc="fragment table format: 'csv' (fragments.csv) or 'parquet' (fragments.parquet)",
        choices=("csv", "parquet"),
    )

    def check(self, path: str = "breakup") -> None:
        names = [entry.parent for entry in self.scaling_factor_by_parent]
        for name in names:
            if names.count(name) > 1:
                raise ScenarioError(f"{path}.scaling_factor_by_parent", name, "each parent at most once")

    def scaling_factor(self, parent: str, object_class: str) -> float:
        """S for a parent: its own entry if any, else its class default."""
        for entry in self.scaling_factor_by_parent:
            if entry.parent == parent:
                return entry.scaling_factor
        return {"rocket_body": self.scaling_factor_rocket_body, "spacecraft": self.scaling_factor_spacecraft}[
            object_class
        ]


@dataclass(frozen=True, kw_only=True)
class PropagationOptions:
    """``[propagation]``: force model, atmosphere and outputs."""

    mode: str = param("fast", doc="'fast' (default) or 'reference' integration", choices=("fast", "reference"))
    cd: float = param(2.2, doc="drag coefficient (dimensionless)", min=0.0, exclusive_min=True, max=10.0)
    drag: bool = param(True, doc="atmospheric drag on or off")
    zonal_degree: int = param(4, doc="highest zonal harmonic J_n of EGM96 (0 = point mass)", choices=(0, 2, 3, 4))
    atmosphere: str = param("nrlmsis", doc="'nrlmsis' (pymsis) or 'exponential' (Vallado 2013 table 8-4, static)",
                            choices=("nrlmsis", "exponential"))
    msis_version: str = param("2.1", doc="NRLMSIS version: '00' (NRLMSISE-00), '2.0' or '2.1'",
                              choices=("00", "2.0", "2.1"))
    ap_mode: str = param("daily", doc="'daily' Ap (MSIS switch 9 = 1) or 'storm_time' 3-hourly ap (switch 9 = -1)",
                         choices=("daily", "storm_time"))
    f107_sfu: float | None = param(None, doc="constant F10.7 and 81-day mean, sfu (overrides the historical "
                                   "indices; give with ap)", min=0.0, exclusive_min=True, max=1000.0)
    ap: float | None = param(None, doc="constant Ap (overrides the historical indices; give with f107_sfu)",
                             min=0.0, max=400.0)
    decay_altitude_km: float = param(100.0, doc="geodetic height at which an object counts as decayed, km",
                                     min=60.0, max=200.0)
    max_days: float = param(400.0, doc="longest span propagated to find decays, days", min=0.0,
                            exclusive_min=True, max=36500.0)
    step_s: float = param(30.0, doc="fast mode: Runge-Kutta-Nystrom step (shortened in the final plunge) of "
                          "ephemerides and of decay prediction without the averaged phase, s", min=1.0, max=120.0)
    decay_step_s: float = param(60.0, doc="fast mode decay prediction with the averaged phase: "
                                "Runge-Kutta-Nystrom step of the numerically integrated last revolutions "
                                "(twice this for objects losing more than 2 km of semi-major axis per "
                                "revolution), s",
                                min=1.0, max=120.0)
    averaged: bool = param(True, doc="fast mode decay prediction: orbit-averaged phase between numerically "
                           "integrated first and last revolutions (false: RK4 throughout)")
    snapshot_days: tuple[float, ...] = param((0.1, 1.0, 3.0, 7.0, 30.0),
                                             doc="element snapshots (Gabbard data), days after the event", min=0.0)

    def check(self, path: str = "") -> None:
        """Constant indices come in pairs."""
        if (self.f107_sfu is None) != (self.ap is None):
            from ..errors import ScenarioError

            key = f"{path}.f107_sfu" if path else "f107_sfu"
            raise ScenarioError(key, self.f107_sfu, "give both f107_sfu and ap (constant indices) or neither")


@dataclass(frozen=True, kw_only=True)
class RadarSpec:
    """``[[sensors.radars]]``: one user-defined radar (SI units, unit-suffixed keys).

    A ``mode = "fan"`` radar reports one measurement per crossing of each fixed fan beam
    (``fan_names``/``fan_elevations_deg``) inside its azimuth sector; a ``mode = "tracker"``
    radar is cued by the fan detections of the radars with the same ``site`` and follows each
    cued target for ``dwell_s``, one measurement every ``scan_period_s``. See ``docs/sensors.md``.
    """

    name: str = param(doc="radar name, unique within the scenario")
    site: str = param("", doc="site the radar belongs to (trackers are cued by fans of the same site); default: name")
    latitude_deg: float = param(doc="geodetic latitude (WGS-84), deg", min=-90.0, max=90.0)
    longitude_deg: float = param(doc="east longitude, deg", min=-180.0, max=360.0)
    altitude_m: float = param(0.0, doc="height above the WGS-84 ellipsoid, m", min=-500.0, max=9000.0)
    mode: str = param("fan", doc="'fan' (fixed fan beams), 'tracker' (cued by its site's fans) or 'tasked' (follows the catalog: observation opportunities)", choices=("fan", "tracker", "tasked"))
    azimuth_min_deg: float = param(0.0, doc="start of the azimuth sector, clockwise from north, deg", min=0.0, max=360.0)
    azimuth_max_deg: float = param(360.0, doc="end of the azimuth sector (clockwise from its start), deg", min=0.0, max=360.0)
    fan_names: tuple[str, ...] = param(("fan_low", "fan_high"), doc="names of the fan beams (mode 'fan')")
    fan_elevations_deg: tuple[float, ...] = param((3.5, 7.0), doc="elevation of each fan beam, deg", min=0.0, max=90.0, exclusive_max=True)
    fan_thickness_deg: float = param(1.0, doc="elevation thickness of the fan beams, deg", min=0.0, max=30.0, exclusive_min=True)
    min_elevation_deg: float = param(0.0, doc="lowest elevation a tracker can follow, deg", min=-5.0, max=90.0, exclusive_max=True)
    max_range_m: float = param(4.8e6, doc="instrumented range, m", min=0.0, exclusive_min=True)
    peak_power_w: float = param(doc="peak transmitted power, W", min=0.0, exclusive_min=True)
    gain_dbi: float = param(doc="antenna gain (transmit = receive), dBi", min=0.0, max=80.0)
    frequency_hz: float = param(doc="carrier frequency, Hz", min=3e6, max=3e11)
    pulse_width_s: float = param(doc="pulse width (noise bandwidth = 1/pulse width), s", min=0.0, max=0.1, exclusive_min=True)
    noise_temperature_k: float = param(doc="system noise temperature, K", min=0.0, exclusive_min=True)
    losses_db: float = param(0.0, doc="total system losses, dB", min=0.0, max=60.0)
    pfa: float = param(1e-6, doc="false-alarm probability per look", min=0.0, max=0.5, exclusive_min=True)
    swerling: int = param(1, doc="Swerling case of the target fluctuation: 0, 1 or 3", choices=(0, 1, 3))
    sigma_range_m: float = param(doc="range noise, 1 sigma, m", min=0.0)
    sigma_azimuth_deg: float = param(doc="azimuth noise, 1 sigma, deg", min=0.0)
    sigma_elevation_deg: float = param(doc="elevation noise, 1 sigma, deg", min=0.0)
    sigma_range_rate_mps: float | None = param(None, doc="range-rate noise, 1 sigma, m/s; absent: range rate not measured", min=0.0)
    scan_period_s: float = param(doc="fan: azimuth sweep period; tracker: measurement interval, s", min=0.0, exclusive_min=True)
    dwell_s: float = param(60.0, doc="tracker: time it follows one cued target, s", min=0.0)
    cue_delay_s: float = param(10.0, doc="tracker: delay from the fan detection to the first track measurement, s", min=0.0)

    def check(self, path: str) -> None:
        if self.swerling not in (0, 1, 3):  # fields.build checks choices of strings only
            raise ScenarioError(f"{path}.swerling", self.swerling, "allowed: 0, 1, 3")
        if self.mode == "fan":
            if not self.fan_elevations_deg:
                raise ScenarioError(f"{path}.fan_elevations_deg", self.fan_elevations_deg, "a fan radar needs at least one fan beam")
            if len(self.fan_names) != len(self.fan_elevations_deg):
                raise ScenarioError(f"{path}.fan_names", self.fan_names, f"one name per fan elevation ({len(self.fan_elevations_deg)})")
            if len(set(self.fan_names)) != len(self.fan_names) or "tracker" in self.fan_names:
                raise ScenarioError(f"{path}.fan_names", self.fan_names, "distinct names other than 'tracker'")
        if self.azimuth_min_deg == self.azimuth_max_deg:
            raise ScenarioError(f"{path}.azimuth_max_deg", self.azimuth_max_deg, "differs from azimuth_min_deg (0 to 360 for all azimuths)")


@dataclass(frozen=True, kw_only=True)
class FenceStationSpec:
    """One station of a ``[[sensors.fences]]`` table: a transmitter (``power_w > 0``) or a receiver."""

    name: str = param(doc="station name, unique within the fence")
    latitude_deg: float = param(doc="geodetic latitude (WGS-84), deg", min=-90.0, max=90.0)
    longitude_deg: float = param(doc="east longitude, deg", min=-180.0, max=360.0)
    altitude_m: float = param(0.0, doc="height above the WGS-84 ellipsoid, m", min=-500.0, max=9000.0)
    gain_dbi: float = param(doc="antenna gain, dBi", min=0.0, max=80.0)
    power_w: float = param(0.0, doc="transmitted CW power, W (0: a receiver)", min=0.0)


@dataclass(frozen=True, kw_only=True)
class FenceSpec:
    """``[[sensors.fences]]``: a CW bistatic fence (stations on one great circle). See ``docs/sensors.md``."""

    name: str = param(doc="fence name, unique among the sensors")
    stations: tuple[FenceStationSpec, ...] = param(doc="transmitters and receivers, one [[sensors.fences.stations]] table each")
    frequency_hz: float = param(doc="carrier frequency, Hz", min=3e6, max=3e11)
    beam_thickness_deg: float = param(doc="thickness of the fan beams across the fence plane, deg", min=0.0, max=30.0, exclusive_min=True)
    min_elevation_deg: float = param(5.0, doc="lowest elevation a station transmits to or hears, deg", min=-5.0, max=90.0, exclusive_max=True)
    bandwidth_hz: float = param(doc="receiver (Doppler filter) bandwidth, Hz", min=0.0, exclusive_min=True)
    noise_temperature_k: float = param(doc="system noise temperature, K", min=0.0, exclusive_min=True)
    losses_db: float = param(0.0, doc="total system losses, dB", min=0.0, max=60.0)
    pfa: float = param(1e-6, doc="false-alarm probability per crossing", min=0.0, max=0.5, exclusive_min=True)
    swerling: int = param(1, doc="Swerling case of the target fluctuation: 0, 1 or 3", choices=(0, 1, 3))
    sigma_direction_cosine: float = param(doc="direction-cosine noise of the interferometers, 1 sigma", min=0.0)
    sigma_time_s: float = param(0.0, doc="crossing-time noise, 1 sigma, s", min=0.0)
    sigma_direction_cosine_rate_per_s: float = param(
        0.0, doc="noise of the direction cosines' rates (the interferometers' phase rates), 1 sigma, 1/s; 0: the "
        "fence reports no rates", min=0.0)


@dataclass(frozen=True, kw_only=True)
class CameraSpec:
    """``[[sensors.cameras]]``: a satellite camera (Baker-Nunn principle). See ``docs/sensors.md``."""

    name: str = param(doc="camera name, unique among the sensors")
    latitude_deg: float = param(doc="geodetic latitude (WGS-84), deg", min=-90.0, max=90.0)
    longitude_deg: float = param(doc="east longitude, deg", min=-180.0, max=360.0)
    altitude_m: float = param(0.0, doc="height above the WGS-84 ellipsoid, m", min=-500.0, max=9000.0)
    min_elevation_deg: float = param(15.0, doc="lowest elevation photographed, deg", min=0.0, max=89.0)
    sun_depression_deg: float = param(12.0, doc="the station is dark when the Sun is this far below the horizon, deg", min=0.0, max=30.0)
    limiting_magnitude: float = param(12.0, doc="faintest apparent magnitude recorded", min=-5.0, max=25.0)
    albedo: float = param(0.175, doc="albedo of the diffuse sphere", min=0.001, max=1.0)
    clear_sky_probability: float = param(doc="probability that a night is clear", min=0.0, max=1.0)
    sigma_angle_arcsec: float = param(3.0, doc="angle noise on the sky, 1 sigma, arcsec", min=0.0, max=3600.0)


SHIPPED_SITES = (
    "clear", "thule", "shemya", "diyarbakir", "laredo", "moorestown", "trinidad", "millstone", "navspasur",
    "bn_organ_pass", "bn_olifantsfontein", "bn_woomera", "bn_san_fernando", "bn_tokyo", "bn_naini_tal",
    "bn_arequipa", "bn_shiraz", "bn_curacao", "bn_jupiter", "bn_villa_dolores", "bn_maui",
)
"""Shipped sites of Oct 1962 (``debriscope.sensors.network``); networks: 'spadats-1962' (all),
'bmews-1962' (clear, thule)."""


@dataclass(frozen=True, kw_only=True)
class SensorOptions:
    """``[sensors]``: which sensors observe the cloud, and for how long."""

    sites: tuple[str, ...] = param(
        ("spadats-1962",), doc="shipped networks ('spadats-1962': every site of Oct 1962; 'bmews-1962': clear and "
        "thule) or single sites", choices=("spadats-1962", "bmews-1962", *SHIPPED_SITES),
    )
    radars: tuple[RadarSpec, ...] = param((), doc="user-defined radars, one [[sensors.radars]] table each")
    fences: tuple[FenceSpec, ...] = param((), doc="user-defined CW fences, one [[sensors.fences]] table each")
    cameras: tuple[CameraSpec, ...] = param((), doc="user-defined cameras, one [[sensors.cameras]] table each")
    window_days: float | str = param(
        "life", doc="simulated time after the event, days, or 'life': until the last fragment that some sensor "
        "could discover has decayed (decay.csv), or the prediction's horizon (propagation.max_days) for one that "
        "does not decay within it; either way at most max_window_days", min=0.0, exclusive_min=True,
    )
    max_window_days: float = param(
        1000.0, doc="cap on the window, days (a compute budget; the default leaves 'life' whole: the flagship's "
        "400 days take about a CPU-minute, docs/sensors.md)", min=0.0, max=1000.0, exclusive_min=True,
    )
    step_s: float = param(60.0, doc="sampling step of the fragment ephemeris; crossings and measurements are interpolated (cubic Hermite) between samples, s", min=1.0, max=120.0)
    chunk_hours: float = param(3.0, doc="shortest propagation chunk, h (chunks grow to about 3e5 times x fragments "
                               "as fragments decay, at most a day; never above 1.5e6: the memory bound)", min=0.1, max=48.0)
    tdm: bool = param(False, doc="also write the detections as a CCSDS TDM (KVN), detections.tdm")

    def check(self, path: str) -> None:
        prefix = f"{path}." if path else ""
        if isinstance(self.window_days, str) and self.window_days != "life":
            raise ScenarioError(f"{prefix}window_days", self.window_days, "a number of days > 0, or 'life'")
        names = list(self.sites)
        for kind, specs in (("radars", self.radars), ("fences", self.fences), ("cameras", self.cameras)):
            for j, spec in enumerate(specs):
                if spec.name in names:
                    raise ScenarioError(f"{prefix}{kind}[{j}].name", spec.name, "sensor names must be unique (and differ from shipped site names)")
                names.append(spec.name)
        for j, fence in enumerate(self.fences):
            stations = [s.name for s in fence.stations]
            if len(set(stations)) != len(stations):
                raise ScenarioError(f"{prefix}fences[{j}].stations", stations, "station names must be distinct")
            if not any(s.power_w > 0 for s in fence.stations) or all(s.power_w > 0 for s in fence.stations):
                raise ScenarioError(f"{prefix}fences[{j}].stations", stations,
                                    "at least one transmitter (power_w > 0) and one receiver (power_w = 0)")


@dataclass(frozen=True, kw_only=True)
class TrackingOptions:
    """``[tracking]``: association, orbit determination and discrimination (see docs/tracking.md)."""

    window_days: float = param(
        2.0, doc="early-warning window: the tracker reads the radar fan and cued-tracker detections of this "
        "many days after the event (the BMEWS two-day analysis)", min=0.0, exclusive_min=True,
    )
    max_gap_s: float = param(120.0, doc="a track with no detection for this long is closed, s", min=1.0)
    process_noise_mps2: float = param(
        0.05, doc="tracker white-acceleration noise sqrt(q), m/s^2/sqrt(Hz) (unmodelled dynamics)", min=0.0
    )
    min_speed_mps: float = param(
        2000.0, doc="two-point track initiation: slowest admissible speed (fastest: escape speed), m/s", min=0.0
    )
    speed_sigma_mps: float = param(
        1500.0, doc="two-point track initiation: preference scale for speeds near the circular speed, m/s", min=1.0
    )
    gate_sigma: float = param(5.0, doc="cheap Euclidean gate, in combined standard deviations", min=1.0)
    min_track_detections: int = param(2, doc="detections a track needs to be kept and fitted", min=2)
    perigee_threshold_km: float = param(
        120.0,
        doc="orbital if the perigee is at least this high above the WGS-84 ellipsoid, km "
        "(default: the 400,000 ft re-entry interface)",
        min=0.0,
        max=1000.0,
    )
    p_ballistic_samples: int = param(
        2000, doc="Monte Carlo samples of the covariance for p_ballistic (0: linearised instead)", min=0
    )
    p_clear: float = param(
        0.01, doc="an alert is cleared when the orbit-based p_ballistic falls below this", min=0.0, max=0.5,
        exclusive_min=True,
    )
    defended_lat_deg: float = param(
        39.83, doc="naive alert rule: defended point, geodetic latitude (default: centre of the contiguous US)",
        min=-90.0, max=90.0,
    )
    defended_lon_deg: float = param(-98.58, doc="naive alert rule: defended point, longitude east, deg",
                                    min=-180.0, max=360.0)
    heading_tolerance_deg: float = param(
        60.0, doc="naive alert rule: ground-track heading within this of the bearing to the defended point, deg",
        min=0.0, max=180.0,
    )
    link_gate_radial_km: float = param(25.0, doc="cross-pass linking gate, radial, km (at zero gap)", min=0.1)
    link_gate_cross_km: float = param(25.0, doc="cross-pass linking gate, cross-track, km (at zero gap)", min=0.1)
    link_gate_along_km: float = param(100.0, doc="cross-pass linking gate, along-track, km (at zero gap)", min=0.1)
    link_gate_growth_per_h: float = param(
        1.0, doc="linking gates grow by this fraction per hour of prediction (drag, J2-only model)", min=0.0
    )
    link_max_gap_h: float = param(24.0, doc="longest prediction used to link passes, h", min=0.0)
    link_max_predecessors: int = param(
        8, doc="linking: each pass keeps at most this many earlier passes inside the gates (the closest) as "
        "candidates for the one-to-one assignment (the candidate pairs grow linearly with the passes)", min=1,
    )
    multipass_max_rms: float = param(
        3.0, doc="multi-pass fit: a pass joins an object only if the refit's normalised residual RMS stays "
        "at or below this (else it is set aside as another object)", min=1.0,
    )
    multipass_b_prior_m2_kg: float = param(
        0.05, doc="multi-pass fit: a-priori ballistic coefficient Cd A/m, m^2/kg", min=0.0, exclusive_min=True,
    )
    multipass_ln_b_sigma: float = param(
        2.5, doc="multi-pass fit: a-priori sigma of ln(Cd A/m) (2.5: a factor of ~12)", min=0.0, exclusive_min=True,
    )
    multipass_max_refits: int = param(
        16, doc="multi-pass fit: at most this many candidate passes are refitted per object; the rest are set "
        "aside (bounds the work on a dense cloud's long linked chains) [E]", min=1,
    )
    multipass_max_tries: int = param(
        2, doc="multi-pass fit: a pass is refitted into at most this many objects of its linked chain, then set "
        "aside until it starts an object of its own (the refits grow linearly with the chain) [E]", min=1,
    )
    revlink_min_period_min: float = param(
        86.0, doc="two-pass (Lambert) linking of passes left unlinked: shortest orbital period considered, min",
        min=1.0,
    )
    revlink_max_period_min: float = param(
        110.0, doc="two-pass (Lambert) linking: longest orbital period considered, min", min=1.0,
    )
    revlink_max_gap_h: float = param(
        26.0, doc="two-pass (Lambert) linking: longest time between the two passes, h (a site sees a "
        "low orbit's passes again about a day later)", min=0.0,
    )
    revlink_plane_gate_deg: float = param(
        15.0, doc="two-pass (Lambert) linking: largest angle between the two passes' orbital planes, deg",
        min=0.0, max=90.0,
    )
    revlink_max_pairs: int = param(
        2000, doc="two-pass (Lambert) linking: at most this many pairs inside the time and plane gates are "
        "fitted, closest planes first (bounds the work on a dense cloud)", min=0,
    )
    revlink_max_partners: int = param(
        8, doc="two-pass (Lambert) linking: each pass keeps at most this many later partners inside the time "
        "and plane gates, closest planes first (the candidate pairs grow linearly with the passes)", min=1,
    )
    study_dwell_s: tuple[float, ...] = param(
        (0.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0),
        doc="two-fan study: tracking-radar dwell times after the high-fan crossing, s",
        min=0.0,
    )
    study_tracker_interval_s: float = param(1.0, doc="two-fan study: tracker measurement interval, s", min=0.01)
    study_tracker_sigma_range_m: float = param(
        50.0, doc="two-fan study: tracker range sigma when detections.csv has no tracker rows, m", min=0.0,
        exclusive_min=True,
    )
    study_tracker_sigma_angle_deg: float = param(
        0.05, doc="two-fan study: tracker angle sigma when detections.csv has no tracker rows, deg", min=0.0,
        exclusive_min=True,
    )
    study_tracker_sigma_range_rate_mps: float = param(
        10.0, doc="two-fan study: tracker range-rate sigma when detections.csv has no tracker rows, m/s",
        min=0.0, exclusive_min=True,
    )
    study_samples: int = param(2000, doc="two-fan study: Monte Carlo samples per object and dwell", min=10)
    default_sigma_range_m: float = param(
        1000.0, doc="sigma used where a detection has none (user CSV), m", min=0.0, exclusive_min=True
    )
    default_sigma_angle_deg: float = param(
        0.3, doc="azimuth/elevation sigma used where a detection has none, deg", min=0.0, exclusive_min=True
    )
    default_sigma_range_rate_mps: float = param(
        50.0, doc="range-rate sigma used where a detection has a range rate but no sigma, m/s", min=0.0,
        exclusive_min=True,
    )
    maintenance: bool = param(True, doc="maintain a catalog over the whole observation window from every "
                              "sensor's detections (objects.csv; docs/tracking.md)")
    estimator_atmosphere: str = param(
        "exponential", doc="the orbit estimator's own atmosphere: 'exponential' (Vallado 2013 table 8-4, static) or "
        "'nrlmsis-mean' (NRLMSIS 2.1 at constant estimator_f107_sfu and estimator_ap)",
        choices=("exponential", "nrlmsis-mean"))
    estimator_f107_sfu: float = param(150.0, doc="'nrlmsis-mean': constant F10.7, sfu", min=50.0, max=400.0)
    estimator_ap: float = param(15.0, doc="'nrlmsis-mean': constant Ap", min=0.0, max=400.0)
    estimator_cd: float = param(2.2, doc="the estimator's drag coefficient (B = C_D A/m is solved for)", min=0.5,
                                max=5.0)
    estimator_step_s: float = param(30.0, doc="the estimator's integration step, s (60 s: ~1 km along-track error per day at 500 km, 30 s: 50 m)", min=5.0, max=120.0)
    estimator_process_noise_psd_m2_s3: float = param(
        1e-9, doc="state noise compensation: white-acceleration spectral density, m^2/s^3 [E]", min=0.0)
    estimator_ln_b_noise_per_day: float = param(
        0.05, doc="random walk of ln B per day^(1/2) [E]", min=0.0, max=10.0)
    gate_probability: float = param(0.9999, doc="chi-square gate probability of an association", min=0.5,
                                    max=0.999999)
    tasking_radar_half_beam_deg: float = param(
        1.0, doc="a tasked tracker acquires an object predicted within this angle of it, deg", min=0.01, max=20.0)
    tasking_camera_half_field_deg: float = param(
        2.5, doc="a camera images an object predicted within this angle of it (Baker-Nunn 5 x 30 deg field), deg",
        min=0.01, max=30.0)
    initiation_min_detections: int = param(3, doc="a tracker pass needs this many detections to start an object",
                                           min=3)
    origin_initiation_days: float = param(
        1.0, doc="new objects from single fence crossings and fan detections, constrained to the breakup's "
        "place and epoch, during this long after the event, days (0: off) [E]", min=0.0, max=5.0)
    origin_max_dv_mps: float = param(300.0, doc="largest fragment delta-v the common-origin fit considers, m/s [E]",
                                     min=1.0, max=2000.0)
    admission_min_passes: int = param(3, doc="passes an object needs to be catalogued [E]", min=1)
    admission_min_span_days: float = param(1.0, doc="span of those passes, days [E]", min=0.0)
    admission_max_sigma_km: float = param(50.0, doc="largest position uncertainty of an admitted orbit, km [E]",
                                          min=0.001)
    custody_tentative_days: float = param(1.0, doc="a tentative object unseen this long is dropped, days [E]",
                                          min=0.01)
    custody_lost_days: float = param(10.0, doc="a catalogued object unseen this long is lost, days [E]", min=0.1)
    custody_max_sigma_km: float = param(2000.0, doc="an object whose position uncertainty exceeds this is lost, km",
                                        min=1.0)
    correlation_max_lost_days: float = param(
        60.0, doc="an object about to be numbered is first compared with the catalogued objects lost within this "
                  "many days, and merged into the one whose orbit it matches; 0: never, days [E]", min=0.0)
    correlation_probability: float = param(0.999, doc="gate probability of that comparison (5 elements)",
                                           min=0.5, max=0.999999)


ANALYST_FIRST_NUMBER = 80000
"""Default first catalog number: the analyst-satellite range 80000-89999 of the US catalog
(Space-Track, "Analyst satellites" in its SATCAT documentation), so that a simulated event's
numbers never pose as real catalogued objects."""


@dataclass(frozen=True, kw_only=True)
class CatalogOptions:
    """``[catalog]``: what enters the catalog and what is exported.

    Names and numbers are neutral unless the scenario gives them: objects are named after the
    scenario (``<NAME> DEB``), have no international designator, and are numbered from
    :data:`ANALYST_FIRST_NUMBER`. A scenario of a real event sets its own (the flagship:
    1962-057, 443, "SPUTNIK 22", CIS, TYMSC). SATCAT codes for owner and launch site as CelesTrak
    writes them.
    """

    min_detections: int = param(4, doc="detections an object needs to be catalogued", min=1)
    min_passes: int = param(2, doc="separate radar passes an object needs to be catalogued", min=1)
    first_catalog_number: int | None = param(
        None,
        doc="catalog number of the first object (piece A); later numbers follow on. Absent: "
        f"{ANALYST_FIRST_NUMBER}, the first of the 80000-89999 range the US catalog keeps for analyst "
        "objects (not publicly catalogued)",
        min=1,
        max=99999,
    )
    international_designator: str | None = param(
        None, doc="COSPAR launch designator YYYY-NNN; absent: the objects have none"
    )
    name_prefix: str | None = param(
        None, doc="object names: PREFIX, PREFIX R/B, PREFIX DEB; absent: the scenario's name in capitals"
    )
    owner: str = param("", doc="SATCAT owner code (CelesTrak, e.g. CIS for the USSR); empty: not given")
    launch_site: str = param("", doc="SATCAT launch site code (CelesTrak, e.g. TYMSC = Tyuratam); empty: not given")
    element_set_epochs_days: tuple[float, ...] = param(
        (0.25, 1.0, 3.0), doc="epochs of fitted element sets, days after the event (those between an object's "
        "admission and its last element set; that last set is always fitted)", min=0.0
    )
    tle_fit_span_orbits: float = param(
        2.0, doc="span of ephemeris each SGP4 fit uses, orbital periods", min=0.25, max=20.0
    )
    tle_fit_points_per_orbit: int = param(
        48, doc="ephemeris samples per orbital period in each SGP4 fit", min=8, max=1000
    )
    oem_catalog_numbers: tuple[int, ...] = param(
        (), doc="catalog numbers written to the OEM; empty: every catalogued debris object"
    )
    oem_span_h: float = param(6.0, doc="OEM span from each object's last element-set epoch, hours", min=0.0,
                              exclusive_min=True)
    oem_step_s: float = param(60.0, doc="OEM step, s", min=1.0)
    oem_frame: str = param("TEME", doc="OEM reference frame", choices=("TEME", "GCRF"))

    def check(self, path: str) -> None:
        """Cross-field checks: the designator's form and increasing element-set epochs."""
        from ..errors import ScenarioError

        prefix = f"{path}." if path else ""
        text = self.international_designator
        if text is not None and not (len(text) == 8 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit()):
            raise ScenarioError(f"{prefix}international_designator", text, "expected YYYY-NNN, e.g. '1962-057'")
        epochs = self.element_set_epochs_days
        if not epochs or any(b <= a for a, b in zip(epochs[:-1], epochs[1:], strict=True)):
            raise ScenarioError(
                f"{prefix}element_set_epochs_days", epochs, "expected at least one epoch, strictly increasing"
            )


@dataclass(frozen=True, kw_only=True)
class ReportOptions:
    """``[report]``: the HTML report and its figures."""

    gabbard_days_after_event: tuple[float, ...] = param(
        (0.1, 3.0, 7.0, 30.0),
        doc="days after the event at which Gabbard diagrams are drawn (the nearest elements.csv "
        "snapshot is used; see propagation.snapshot_days)",
        min=0.0,
    )
    record: str = param(
        "none",
        doc="historical record the model is compared with: 'sputnik22' (the 1962 record of 1962-057) "
        "or 'none' (no comparison)",
        choices=("sputnik22", "none"),
    )
    dpi: int = param(110, doc="resolution of the PNG figures, dots per inch", min=50, max=400)
