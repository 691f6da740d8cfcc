"""The scenario schema: an event as a TOML file.

A scenario has top-level ``name``, ``description`` and ``seed``, and the tables ``[launch]``,
``[orbit]``, ``[[objects]]``, ``[event]``, plus the per-stage option tables of
:mod:`debriscope.scenario.options`. Keys carry their units. See ``docs/scenario.md`` (generated
from this module by ``tools/schema_doc.py``) for every key, its default and meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..constants import G0_MPS2
from ..errors import DataCoverageError, ScenarioError
from .fields import param
from .mission_options import MissionOptions
from .options import (
    BreakupOptions,
    CatalogOptions,
    PropagationOptions,
    ReportOptions,
    SensorOptions,
    TrackingOptions,
)
from .uncertainty import UncertainInput, check_uncertainty

OBJECT_CLASSES = ("rocket_body", "spacecraft")
EVENT_KINDS = ("explosion", "collision")
FRAMES = ("TEME", "GCRF", "ITRF")
MAX_SEED = 2**63 - 1
"""Largest seed: the run stores it as a signed 64-bit integer (SQLite INTEGER, JSON readers)."""
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
"""A scenario name: it names the run folder ``runs/<name>-seed<seed>``, so no path separators."""


def _utc(value: str, path: str) -> str:
    """Validate an ISO 8601 UTC string; return it normalised to ``...Z``."""
    from ..timescale import tt_s_to_utc_iso, utc_to_tt_s

    if not value.endswith(("Z", "z", "+00:00")):
        raise ScenarioError(path, value, "expected an ISO 8601 UTC time ending in 'Z', e.g. '1962-10-24T17:55:04Z'")
    try:
        t = utc_to_tt_s(value)
    except DataCoverageError as exc:
        raise ScenarioError(path, value, str(exc)) from exc
    except ValueError as exc:
        raise ScenarioError(path, value, "expected an ISO 8601 UTC time, e.g. '1962-10-24T17:55:04Z'") from exc
    return str(tt_s_to_utc_iso(t, decimals=6)).replace(".000000Z", "Z")


@dataclass(frozen=True, kw_only=True)
class Launch:
    """``[launch]``: where, when and towards which plane the vehicle was launched."""

    time_utc: str = param(doc="lift-off time, ISO 8601 UTC ending in Z")
    latitude_deg: float = param(doc="launch site geodetic latitude (WGS-84), deg", min=-90.0, max=90.0)
    longitude_deg: float = param(doc="launch site longitude, deg east", min=-180.0, max=360.0)
    altitude_m: float = param(0.0, doc="launch site height above the WGS-84 ellipsoid, m", min=-500.0, max=9000.0)
    site_name: str = param("", doc="launch site name")
    vehicle: str = param("", doc="launch vehicle")
    azimuth_deg: float | None = param(
        None, doc="inertial launch azimuth, deg from north; give this or orbit.inclination_deg", min=0.0, max=360.0
    )
    time_to_insertion_s: float = param(
        540.0, doc="time from lift-off to parking-orbit insertion, s", min=60.0, max=7200.0
    )
    insertion_downrange_deg: float = param(
        15.0,
        doc="great-circle angle in the orbit plane from the launch site to the insertion point, deg",
        min=0.0,
        max=180.0,
    )

    def check(self, path: str) -> None:
        _utc(self.time_utc, f"{path}.time_utc")


@dataclass(frozen=True, kw_only=True)
class StateVector:
    """``[orbit.state]``: an explicit state vector instead of launch geometry."""

    epoch_utc: str = param(doc="epoch of the state, ISO 8601 UTC")
    frame: str = param("TEME", doc="reference frame of the state", choices=FRAMES)
    position_m: tuple[float, ...] = param(doc="position [x, y, z], m")
    velocity_mps: tuple[float, ...] = param(doc="velocity [vx, vy, vz], m/s")

    def check(self, path: str) -> None:
        _utc(self.epoch_utc, f"{path}.epoch_utc")
        for key in ("position_m", "velocity_mps"):
            if len(getattr(self, key)) != 3:
                raise ScenarioError(f"{path}.{key}", getattr(self, key), "expected 3 numbers")
        if np.linalg.norm(self.position_m) < 6.4e6:
            raise ScenarioError(f"{path}.position_m", self.position_m, "the position lies inside the Earth")


@dataclass(frozen=True, kw_only=True)
class TwoLineElements:
    """``[orbit.tle]``: the parent's two-line element set (SGP4 mean elements, TEME, UTC epoch),
    propagated to the event with SGP4 (:mod:`debriscope.scenario.element_sets`)."""

    line1: str = param(doc="line 1 of the element set (69 characters, with its checksum)")
    line2: str = param(doc="line 2 of the element set")

    def check(self, path: str) -> None:
        from .element_sets import satrec_epoch_utc, tle_satrec

        _utc(satrec_epoch_utc(tle_satrec(self.line1, self.line2, path)), f"{path}.line1")


@dataclass(frozen=True, kw_only=True)
class OmmElements:
    """``[orbit.omm]``: the parent's CCSDS OMM mean elements (SGP4 theory, TEME, UTC), given inline
    or read from an OMM file (KVN or XML) when the scenario is loaded; the resolved scenario holds
    the values. Propagated to the event with SGP4 (:mod:`debriscope.scenario.element_sets`)."""

    file: str | None = param(None, doc="CCSDS OMM file (KVN or XML; its first message), relative to the scenario "
                             "file; its values replace this key in the resolved scenario")
    epoch_utc: str | None = param(None, doc="EPOCH: epoch of the mean elements, ISO 8601 UTC")
    mean_motion_rev_day: float | None = param(None, doc="MEAN_MOTION (Kozai), rev/day", min=0.0, exclusive_min=True)
    eccentricity: float | None = param(None, doc="ECCENTRICITY", min=0.0, max=1.0, exclusive_max=True)
    inclination_deg: float | None = param(None, doc="INCLINATION, deg", min=0.0, max=180.0)
    raan_deg: float | None = param(None, doc="RA_OF_ASC_NODE, deg", min=-360.0, max=360.0)
    arg_perigee_deg: float | None = param(None, doc="ARG_OF_PERICENTER, deg", min=-360.0, max=360.0)
    mean_anomaly_deg: float | None = param(None, doc="MEAN_ANOMALY, deg", min=-360.0, max=360.0)
    bstar_per_er: float = param(0.0, doc="BSTAR drag term, 1/earth radii")
    mean_motion_dot_rev_day2: float = param(0.0, doc="MEAN_MOTION_DOT, rev/day^2 (carried, not used by SGP4)")
    mean_motion_ddot_rev_day3: float = param(0.0, doc="MEAN_MOTION_DDOT, rev/day^3 (carried, not used by SGP4)")
    norad_cat_id: int = param(0, doc="NORAD_CAT_ID of the parent", min=0, max=999999999)
    object_name: str = param("", doc="OBJECT_NAME of the parent")
    object_id: str = param("", doc="OBJECT_ID (international designator) of the parent")

    def check(self, path: str) -> None:
        if self.file is not None:  # a file is read by debriscope.scenario.load before validation
            raise ScenarioError(f"{path}.file", self.file, "an OMM file is read when the scenario is loaded from a file")
        for key in ("epoch_utc", "mean_motion_rev_day", "eccentricity", "inclination_deg", "raan_deg",
                    "arg_perigee_deg", "mean_anomaly_deg"):
            if getattr(self, key) is None:
                raise ScenarioError(f"{path}.{key}", None, "required: give the OMM's mean elements or orbit.omm.file")
        _utc(self.epoch_utc, f"{path}.epoch_utc")
        from .element_sets import omm_satrec

        omm_satrec(self, path)


@dataclass(frozen=True, kw_only=True)
class Orbit:
    """``[orbit]``: the orbit of the objects before the event: a parking orbit reached from the
    launch (apsides and inclination), or an explicit start: a state vector (``[orbit.state]``), a
    two-line element set (``[orbit.tle]``) or OMM mean elements (``[orbit.omm]``)."""

    perigee_km: float | None = param(None, doc="perigee altitude above the equatorial radius, km", min=100.0, max=50000.0)
    apogee_km: float | None = param(None, doc="apogee altitude above the equatorial radius, km", min=100.0, max=500000.0)
    inclination_deg: float | None = param(None, doc="inclination to the true equator of date, deg", min=0.0, max=180.0)
    state: StateVector | None = param(None, doc="explicit state vector; replaces the launch geometry")
    tle: TwoLineElements | None = param(None, doc="the parent's two-line element set; replaces the launch geometry")
    omm: OmmElements | None = param(None, doc="the parent's CCSDS OMM mean elements; replaces the launch geometry")

    @property
    def start(self) -> str | None:
        """The explicit start given (``'state'``, ``'tle'``, ``'omm'``), or None (launch geometry)."""
        given = [key for key in ("state", "tle", "omm") if getattr(self, key) is not None]
        return given[0] if given else None

    def check(self, path: str) -> None:
        given = [key for key in ("state", "tle", "omm") if getattr(self, key) is not None]
        if len(given) > 1:
            raise ScenarioError(f"{path}.{given[1]}", "table", f"give one start of the orbit; [{path}.{given[0]}] is given")
        if given:
            for key in ("perigee_km", "apogee_km", "inclination_deg"):
                if getattr(self, key) is not None:
                    raise ScenarioError(f"{path}.{key}", getattr(self, key),
                                        f"not used with [{path}.{given[0]}]; remove it")
            return
        for key in ("perigee_km", "apogee_km"):
            if getattr(self, key) is None:
                raise ScenarioError(f"{path}.{key}", None,
                                    "required unless [orbit.state], [orbit.tle] or [orbit.omm] is given")
        if self.apogee_km < self.perigee_km:
            raise ScenarioError(f"{path}.perigee_km", self.perigee_km, f"must not exceed apogee_km = {self.apogee_km}")


@dataclass(frozen=True, kw_only=True)
class ObjectSpec:
    """``[[objects]]``: a body in the parking orbit."""

    name: str = param(doc="object name")
    object_class: str = param(doc="'rocket_body' or 'spacecraft'", choices=OBJECT_CLASSES)
    mass_kg: float = param(doc="mass taking part in the event, kg", min=0.0, exclusive_min=True)
    area_m2: float | None = param(None, doc="mean cross-sectional area, m^2", min=0.0, exclusive_min=True)
    fragments: bool = param(True, doc="whether the event destroys this object")
    note: str = param("", doc="free text: sources, caveats")


@dataclass(frozen=True, kw_only=True)
class Impactor:
    """``[event.impactor]``: the projectile of a collision."""

    name: str = param("impactor", doc="impactor name")
    object_class: str = param("spacecraft", doc="'rocket_body' or 'spacecraft'", choices=OBJECT_CLASSES)
    mass_kg: float = param(doc="impactor mass, kg", min=0.0, exclusive_min=True)
    relative_speed_mps: float = param(doc="impact speed relative to the target, m/s", min=0.0, exclusive_min=True)
    direction: Literal["along", "cross", "radial"] = param(
        "cross", doc="direction of the impactor's relative velocity in the target's local frame"
    )


@dataclass(frozen=True, kw_only=True)
class Burn:
    """``[event.burn]``: the engine burn the event interrupted (a departure burn cut short).

    Thrust along the velocity at a constant thrust and exhaust speed from ``ignition_before_event_s``
    before the event to the event (:func:`debriscope.scenario.burn.finite_burn`). With ``applied``
    false the event happens on the coasting orbit, as if the burn had not started.
    """

    ignition_before_event_s: float = param(doc="time from ignition to the event, s", min=0.0)
    thrust_n: float = param(doc="vacuum thrust, N", min=0.0, exclusive_min=True)
    isp_s: float = param(doc="vacuum specific impulse, s", min=1.0, max=1000.0)
    mass_at_ignition_kg: float = param(doc="mass of the stage and its payload at ignition, kg",
                                       min=0.0, exclusive_min=True)
    planned_duration_s: float | None = param(None, doc="planned burn duration, s (shown beside the "
                                             "share burnt before the event)", min=0.0, exclusive_min=True)
    applied: bool = param(False, doc="true: the event state is the end of the partial burn; false: the "
                          "coasting parking orbit at the event time")

    def check(self, path: str) -> None:
        burnt = self.thrust_n * self.ignition_before_event_s / (self.isp_s * G0_MPS2)
        if burnt >= self.mass_at_ignition_kg:
            raise ScenarioError(f"{path}.mass_at_ignition_kg", self.mass_at_ignition_kg,
                                f"must exceed the propellant burnt before the event ({burnt:.0f} kg)")


@dataclass(frozen=True, kw_only=True)
class Event:
    """``[event]``: the breakup."""

    kind: str = param(doc="'explosion' or 'collision'", choices=EVENT_KINDS)
    time_utc: str | None = param(None, doc="event time, ISO 8601 UTC; or give time_after_launch_s")
    time_after_launch_s: float | None = param(None, doc="event time after lift-off, s", min=0.0, exclusive_min=True)
    description: str = param("", doc="what happened, with sources")
    impactor: Impactor | None = param(None, doc="the projectile (collisions only)")
    burn: Burn | None = param(None, doc="the engine burn the event interrupted (explosions only)")

    def check(self, path: str) -> None:
        if (self.time_utc is None) == (self.time_after_launch_s is None):
            raise ScenarioError(
                f"{path}.time_utc", self.time_utc, "give exactly one of event.time_utc and event.time_after_launch_s"
            )
        if self.time_utc is not None:
            _utc(self.time_utc, f"{path}.time_utc")
        if self.kind == "collision" and self.impactor is None:
            raise ScenarioError(f"{path}.impactor", None, "a collision needs an [event.impactor] table")
        if self.kind == "explosion" and self.impactor is not None:
            raise ScenarioError(f"{path}.impactor", "table", "only a collision has an impactor")
        if self.kind == "collision" and self.burn is not None:
            raise ScenarioError(f"{path}.burn", "table", "only an explosion can interrupt a burn")


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """A whole scenario, validated. Build it with :func:`debriscope.scenario.load`."""

    name: str = param(doc="short identifier (letters, digits, '.', '_', '-'; starting with a letter or digit), "
                      "used for run folders")
    seed: int = param(doc="seed of every random draw of the run", min=0, max=MAX_SEED)
    objects: tuple[ObjectSpec, ...] = param(doc="the bodies in the parking orbit")
    event: Event = param(doc="the breakup")
    launch: Launch | None = param(None, doc="launch site and time (needed unless orbit.state is given)")
    orbit: Orbit = param(default_factory=Orbit, doc="the parking orbit")
    description: str = param("", doc="one paragraph on the event")
    breakup: BreakupOptions = param(default_factory=BreakupOptions, doc="breakup options")
    propagation: PropagationOptions = param(default_factory=PropagationOptions, doc="propagation options")
    sensors: SensorOptions = param(default_factory=SensorOptions, doc="radar sites and detection window")
    tracking: TrackingOptions = param(default_factory=TrackingOptions, doc="tracking options")
    catalog: CatalogOptions = param(default_factory=CatalogOptions, doc="catalog options")
    report: ReportOptions = param(default_factory=ReportOptions, doc="report options")
    mission: MissionOptions | None = param(None, doc="the intended mission (debriscope mission)")
    uncertainty: tuple[UncertainInput, ...] = param(
        (), doc="uncertain inputs for `debriscope ensemble`: [[uncertainty]] tables (docs/ensemble.md)"
    )

    def check(self, path: str) -> None:
        if not NAME_PATTERN.fullmatch(self.name) or self.name in (".", ".."):
            raise ScenarioError("name", self.name, "an identifier: letters, digits, '.', '_' and '-', starting with "
                                "a letter or digit, at most 100 characters (it names the run folder)")
        if not self.objects:
            raise ScenarioError("objects", [], "at least one [[objects]] entry is needed")
        check_uncertainty(self)
        names = [o.name for o in self.objects]
        if len(set(names)) != len(names):
            raise ScenarioError("objects", names, "object names must be unique")
        if not any(o.fragments for o in self.objects):
            raise ScenarioError("objects", names, "at least one object must have fragments = true")
        if self.orbit.start is None:
            if self.launch is None:
                raise ScenarioError("launch", None, "required unless [orbit.state], [orbit.tle] or [orbit.omm] "
                                    "gives the orbit")
            if (self.orbit.inclination_deg is None) == (self.launch.azimuth_deg is None):
                raise ScenarioError(
                    "orbit.inclination_deg",
                    self.orbit.inclination_deg,
                    "give exactly one of orbit.inclination_deg and launch.azimuth_deg",
                )
            if self.orbit.inclination_deg is not None:
                lat = abs(self.launch.latitude_deg)
                inc = self.orbit.inclination_deg
                if min(inc, 180.0 - inc) < lat - 1e-9:
                    raise ScenarioError(
                        "orbit.inclination_deg",
                        inc,
                        f"a direct launch from latitude {self.launch.latitude_deg} deg reaches only "
                        f"inclinations between {lat} and {180 - lat} deg",
                    )
        elif self.event.time_utc is None and self.launch is None:
            raise ScenarioError("event.time_after_launch_s", self.event.time_after_launch_s,
                                f"with [orbit.{self.orbit.start}] and no [launch], give event.time_utc")
        if self.mission is not None and self.mission.departure_utc is None and self.event.burn is None:
            raise ScenarioError("mission.departure_utc", None,
                                "give a departure time, or an [event.burn] whose ignition is the departure")
        self._check_event_after_start()

    def _check_event_after_start(self) -> None:
        """The event comes after the parking-orbit insertion (launch time + time_to_insertion_s)
        or the epoch of the explicit state: the coast to the event runs forward."""
        from ..timescale import tt_s_to_utc_iso, utc_to_tt_s

        if self.orbit.state is not None:
            start = float(utc_to_tt_s(self.orbit.state.epoch_utc))
            what = f"at or after orbit.state.epoch_utc = {self.orbit.state.epoch_utc!r}"
        elif self.orbit.start is not None:  # SGP4 runs either way from the element set's epoch
            start, what = -np.inf, ""
        else:
            start = float(utc_to_tt_s(self.launch.time_utc)) + self.launch.time_to_insertion_s
            what = (f"at or after the parking-orbit insertion, {tt_s_to_utc_iso(start, decimals=0)} "
                    f"(launch.time_utc + launch.time_to_insertion_s = {self.launch.time_to_insertion_s:g} s)")
        if self.event.time_utc is not None:
            key, value, t_event = "event.time_utc", self.event.time_utc, float(utc_to_tt_s(self.event.time_utc))
        else:
            key, value = "event.time_after_launch_s", self.event.time_after_launch_s
            t_event = float(utc_to_tt_s(self.launch.time_utc)) + value
        if t_event < start:
            raise ScenarioError(key, value, f"the event must come {what}")
        if self.orbit.tle is not None or self.orbit.omm is not None:
            from .element_sets import orbit_satrec, sgp4_teme

            sat, path = orbit_satrec(self.orbit)
            sgp4_teme(sat, t_event, path)
        if self.launch is not None and t_event < float(utc_to_tt_s(self.launch.time_utc)):
            raise ScenarioError(key, value, f"the event must come after launch.time_utc = {self.launch.time_utc!r}")
