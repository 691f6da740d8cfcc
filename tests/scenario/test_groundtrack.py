"""The parking-orbit ground track the scenario stage writes for the report (groundtrack.csv)."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.scenario.groundtrack import parking_orbit_track
from debriscope.scenario.load import load
from debriscope.scenario.stage import event_record


@pytest.fixture(scope="module")
def flagship_event() -> dict:
    return event_record(load("sputnik22"))


def test_track_reaches_the_event_point(flagship_event):
    """The track passes through the event's sub-satellite point of event.json (the same coast model,
    sampled at the event's time_utc) and starts at the insertion point."""
    event = flagship_event
    track = parking_orbit_track(event)
    at = np.flatnonzero(track["time_utc"] == event["event"]["time_utc"])
    assert at.size == 1
    at = int(at[0])
    assert not track["after_event"][at] and track["after_event"][at + 1]
    # the same model, dense output against the end point of the coast: 1e-6 deg is about 0.1 m
    assert track["lat_deg"][at] == pytest.approx(event["event"]["subsatellite_lat_deg"], abs=1e-6)
    dlon = (track["lon_deg"][at] - event["event"]["subsatellite_lon_deg"] + 180.0) % 360.0 - 180.0
    assert abs(dlon) < 1e-6
    # the launch geometry puts insertion 15 deg downrange of Baikonur on a 64.9 deg northbound pass
    assert 45.9 < track["lat_deg"][0] < 64.9 and 63.3 < track["lon_deg"][0] < 110.0
    assert track["time_utc"][0] == event["insertion"]["time_utc"]


def test_track_without_launch_starts_at_the_event(flagship_event):
    """A scenario given by an orbit state has no insertion: the track starts at the parents' state."""
    event = {k: v for k, v in flagship_event.items() if k != "insertion"}
    track = parking_orbit_track(event, revolutions_after_event=1.0)
    assert track["time_utc"][0] == event["event"]["time_utc"] and not track["after_event"][0]
    assert track["after_event"][1:].all()
    assert np.all(np.abs(track["lat_deg"]) <= 64.9 + 0.3)  # geodetic latitude stays within the inclination
