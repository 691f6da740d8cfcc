"""A small scenario for ensemble tests: the flagship's parking orbit, a coarse cloud (Lc >= 50 cm),
the exponential atmosphere and 20 days of propagation, with three uncertain inputs."""

from __future__ import annotations

import dataclasses

import pytest

from debriscope.scenario import load, parse, to_toml

UNCERTAINTY = """
[[uncertainty]]
key = "propagation.cd"
distribution = "truncated_normal"
sd = 0.3
low = 1.8
high = 2.8
source = "test"

[[uncertainty]]
key = 'objects["Blok L"].mass_kg'
distribution = "uniform"
low = 800.0
high = 1000.0

[[uncertainty]]
key = "breakup.scaling_factor_rocket_body"
distribution = "log_uniform"
low = 0.5
high = 2.0
"""


def flagship_without_uncertainty() -> str:
    """The flagship as TOML without its own [[uncertainty]] tables."""
    return to_toml(dataclasses.replace(load("sputnik22"), uncertainty=()))


def small_scenario_text(uncertainty: str = UNCERTAINTY) -> str:
    text = flagship_without_uncertainty()
    text = text.replace("lc_min_m = 0.05", "lc_min_m = 0.5")
    text = text.replace('atmosphere = "nrlmsis"', 'atmosphere = "exponential"')
    text = text.replace("max_days = 400.0", "max_days = 20.0")
    return text + uncertainty


@pytest.fixture(scope="session")
def small_scenario():
    sc = parse(small_scenario_text())
    assert sc.breakup.lc_min_m == 0.5 and sc.propagation.atmosphere == "exponential"
    assert sc.propagation.max_days == 20.0
    return sc
