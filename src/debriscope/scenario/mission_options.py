"""The ``[mission]`` table: the interplanetary mission the event interrupted (``debriscope mission``).

The departure is the ignition of ``[event.burn]`` (the attempted trans-planetary injection) unless
``departure_utc`` gives another time; the parking orbit is the scenario's. Every key is validated
by :func:`debriscope.scenario.fields.build`; see docs/mission.md for the method.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ScenarioError
from .fields import param

TARGETS = ("mars", "venus")

EPHEMERIS_SPAN_UTC = ("1960-01-01T00:00:00Z", "2053-10-08T00:00:00Z")
"""Dates the mission's ephemeris covers: JPL DE421 (skyfield-data) runs 1899-07-29 to 2053-10-09; UTC,
and so a scenario date, begins in 1960."""


def _check_utc(value: str, path: str) -> None:
    from ..timescale import utc_to_tt_s
    from .schema import _utc

    _utc(value, path)
    lo, hi = (utc_to_tt_s(x) for x in EPHEMERIS_SPAN_UTC)
    if not lo <= utc_to_tt_s(value) <= hi:
        raise ScenarioError(path, value, f"outside the DE421 ephemeris ({EPHEMERIS_SPAN_UTC[0]} to "
                            f"{EPHEMERIS_SPAN_UTC[1]})")


@dataclass(frozen=True, kw_only=True)
class OtherLaunch:
    """``[[mission.other_launches]]``: another launch of the same window, drawn beside the mission."""

    name: str = param(doc="spacecraft name")
    launch_utc: str = param(doc="lift-off, ISO 8601 UTC")
    departure_utc: str = param(doc="departure from the parking orbit (injection), ISO 8601 UTC")
    arrival_utc: str | None = param(None, doc="arrival at the target (flyby), ISO 8601 UTC; absent: it never left "
                                    "the parking orbit or its arrival is unknown")
    last_contact_utc: str | None = param(None, doc="last radio contact, ISO 8601 UTC")

    def check(self, path: str) -> None:
        from ..timescale import utc_to_tt_s

        previous = None
        for key in ("launch_utc", "departure_utc", "last_contact_utc", "arrival_utc"):
            value = getattr(self, key)
            if value is None:
                continue
            _check_utc(value, f"{path}.{key}")
            if key != "last_contact_utc" and previous is not None and utc_to_tt_s(value) <= utc_to_tt_s(previous):
                raise ScenarioError(f"{path}.{key}", value, "must follow launch_utc and departure_utc")
            if key != "last_contact_utc":
                previous = value
        if self.last_contact_utc is not None and utc_to_tt_s(self.last_contact_utc) < utc_to_tt_s(self.departure_utc):
            raise ScenarioError(f"{path}.last_contact_utc", self.last_contact_utc, "must follow departure_utc")


@dataclass(frozen=True, kw_only=True)
class MissionOptions:
    """``[mission]``: target, planned departure and arrival, flyby aim point, launch-window grid."""

    target: str = param("mars", doc="target planet", choices=TARGETS)
    departure_utc: str | None = param(
        None, doc="planned departure (impulsive injection), ISO 8601 UTC; absent: the ignition of [event.burn]"
    )
    arrival_utc: str = param(doc="planned arrival at the target, ISO 8601 UTC")
    flyby_altitude_km: float = param(
        doc="planned closest-approach altitude above the target's equatorial radius (the aim point), km",
        min=0.0, max=1e7,
    )
    b_plane_angle_deg: float = param(
        0.0, doc="direction of the aim point in the B-plane, from T (in the ecliptic) towards R, deg",
        min=-360.0, max=360.0,
    )
    window_departure_utc: tuple[str, ...] = param(
        doc="launch-window (porkchop) departure dates: [first, last], ISO 8601 UTC"
    )
    window_arrival_utc: tuple[str, ...] = param(
        doc="launch-window (porkchop) arrival dates: [first, last], ISO 8601 UTC"
    )
    window_steps: int = param(100, doc="grid points along each porkchop axis", min=2, max=2000)
    other_launches: tuple[OtherLaunch, ...] = param(
        (), doc="other launches of the window, [[mission.other_launches]] tables"
    )
    compare_lifetimes: bool = param(
        True, doc="with [event.burn]: the propagation stage also carries the cloud from the other event state "
        "(parking orbit or end of the burn) to decay, for the report (one more propagation of the cloud)"
    )

    def check(self, path: str) -> None:
        from ..timescale import utc_to_tt_s

        if self.departure_utc is not None:
            _check_utc(self.departure_utc, f"{path}.departure_utc")
        _check_utc(self.arrival_utc, f"{path}.arrival_utc")
        for key in ("window_departure_utc", "window_arrival_utc"):
            value = getattr(self, key)
            if len(value) != 2:
                raise ScenarioError(f"{path}.{key}", value, "expected [first, last]")
            for k, item in enumerate(value):
                _check_utc(item, f"{path}.{key}[{k}]")
            if utc_to_tt_s(value[1]) <= utc_to_tt_s(value[0]):
                raise ScenarioError(f"{path}.{key}", value, "the last date must follow the first")
        if self.departure_utc is not None and utc_to_tt_s(self.arrival_utc) <= utc_to_tt_s(self.departure_utc):
            raise ScenarioError(f"{path}.arrival_utc", self.arrival_utc, "must follow mission.departure_utc")
