"""Radar parameters: validation naming the key, scenario specs, and the shipped BMEWS sites."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.errors import ScenarioError
from debriscope.scenario.fields import build
from debriscope.scenario.options import SensorOptions
from debriscope.sensors import Radar, shipped_sites
from debriscope.sensors.radar_equation import pd_swerling1
from debriscope.sensors.sites import DESIGN_RANGE_M, DESIGN_RCS_M2
from debriscope.sensors.stage import radar_from_spec

SPEC = dict(
    name="mine", latitude_deg=42.6, longitude_deg=-71.5, peak_power_w=3e6, gain_dbi=45.0,
    frequency_hz=1.3e9, pulse_width_s=1e-4, noise_temperature_k=400.0, sigma_range_m=30.0,
    sigma_azimuth_deg=0.05, sigma_elevation_deg=0.05, scan_period_s=2.0,
)


@pytest.mark.parametrize("key, value", [
    ("peak_power_w", -1.0), ("gain_dbi", -3.0), ("frequency_hz", 0.0), ("pfa", 0.9), ("swerling", 2),
    ("latitude_deg", 95.0), ("sigma_range_m", -1.0), ("mode", "pencil"), ("pulse_width_s", 0.0),
])
def test_bad_spec_names_the_key(key, value):
    with pytest.raises(ScenarioError) as err:
        build(SensorOptions, {"radars": [{**SPEC, key: value}]}, "sensors")
    assert err.value.key == f"sensors.radars[0].{key}"


@pytest.mark.parametrize("key, value", [
    ("peak_power_w", -1.0), ("noise_temperature_k", np.nan), ("swerling", 2), ("azimuth_max_deg", 400.0),
    ("fan_elevations_deg", (95.0, 7.0)),
])
def test_bad_radar_names_the_key(key, value):
    with pytest.raises(ScenarioError) as err:
        Radar(**{**SPEC, "max_range_m": 4e6, key: value})
    assert err.value.key == f"mine.{key}"


def test_fan_names_must_match_elevations():
    with pytest.raises(ScenarioError) as err:
        build(SensorOptions, {"radars": [{**SPEC, "fan_names": ["a"], "fan_elevations_deg": [3.0, 6.0]}]}, "sensors")
    assert err.value.key == "sensors.radars[0].fan_names"


def test_unknown_site_and_duplicate_names():
    with pytest.raises(ScenarioError) as err:
        build(SensorOptions, {"sites": ["fylingdales"]}, "sensors")
    assert err.value.key == "sensors.sites"
    with pytest.raises(ScenarioError) as err:
        build(SensorOptions, {"radars": [SPEC, SPEC]}, "sensors")
    assert err.value.key == "sensors.radars[1].name"


def test_spec_builds_the_same_radar():
    options = build(SensorOptions, {"radars": [SPEC]}, "sensors")
    radar = radar_from_spec(options.radars[0])
    assert radar.site == "mine" and radar.frequency_hz == 1.3e9 and radar.max_range_m == 4.8e6
    assert not radar.measures_range_rate


def test_sector_wraps_through_north():
    radar = Radar(**{**SPEC, "max_range_m": 4e6, "azimuth_min_deg": 330.0, "azimuth_max_deg": 30.0})
    assert radar.sector_width_deg == 60.0
    assert list(radar.in_sector([0.0, 329.0, 331.0, 29.0, 31.0, 180.0])) == [True, False, True, True, False, False]


def test_shipped_sites_as_recorded():
    sites = shipped_sites()
    clear, thule = sites["clear"], sites["thule"]
    assert [r.mode for r in clear] == ["fan"] * 3  # three FPS-50 at Clear
    assert [r.mode for r in thule] == ["fan"] * 4 + ["tracker"]  # four FPS-50 + one FPS-49 at Thule
    assert (clear[0].latitude_deg, clear[0].longitude_deg) == (64.2906, -149.1869)
    assert (thule[0].latitude_deg, thule[0].longitude_deg) == (76.570, -68.299)
    assert all(r.source for r in clear + thule)
    # the FPS-50 sectors of a site join without gaps or overlaps
    for fans in (clear, thule[:4]):
        for a, b in zip(fans, fans[1:], strict=False):
            assert a.azimuth_max_deg == b.azimuth_min_deg


@pytest.mark.parametrize("radar", [shipped_sites()["clear"][0], shipped_sites()["thule"][4]], ids=["fps50", "fps49"])
def test_radars_meet_the_design_warning_range(radar):
    # the estimates are built so that a 1 m^2 Swerling I target at 3,000 miles has Pd 0.5 at Pfa 1e-6
    pd = pd_swerling1(radar.snr(DESIGN_RANGE_M, DESIGN_RCS_M2), radar.pfa)
    assert np.isclose(pd, 0.5, rtol=1e-9)
    assert radar.max_range_m == pytest.approx(4828e3, rel=1e-3)
