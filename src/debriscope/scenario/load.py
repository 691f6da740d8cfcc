"""Reading, validating and writing scenario files (TOML, stdlib ``tomllib``; written with
``tomli-w``). Shipped scenarios live in ``debriscope/scenario/data`` and are found by name."""

from __future__ import annotations

import hashlib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

from ..errors import DataCoverageError, ScenarioError
from ..tables import read_text
from .fields import build, to_mapping
from .schema import MAX_SEED, Scenario

DEFAULT_SCENARIO = "sputnik22"


def shipped_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package."""
    data = resources.files("debriscope.scenario") / "data"
    return sorted(p.name[:-5] for p in data.iterdir() if p.name.endswith(".toml"))


def _read_text(source: str | Path) -> tuple[str, str]:
    """Return ``(text, origin)`` of a scenario given a path or a shipped name."""
    path = Path(source)
    if path.suffix == ".toml" or path.exists():
        if not path.exists():
            raise ScenarioError("scenario", str(source), "no such file")
        if path.is_dir():
            raise ScenarioError("scenario", str(source), "expected a .toml file, got a folder")
        return read_text(path), str(path)  # UTF-8, a byte-order mark allowed; else "not UTF-8 text"
    name = str(source)
    if name not in shipped_scenarios():
        raise ScenarioError(
            "scenario", name, "neither a file nor a shipped scenario; shipped: " + ", ".join(shipped_scenarios())
        )
    text = (resources.files("debriscope.scenario") / "data" / f"{name}.toml").read_text(encoding="utf-8")
    return text, f"debriscope:{name}"


def parse(text: str, origin: str = "<string>") -> Scenario:
    """Parse and validate scenario TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError("scenario", origin, f"not valid TOML: {exc}") from exc
    scenario = build(Scenario, data)
    _check_coverage(scenario)
    return scenario


def load(source: str | Path = DEFAULT_SCENARIO, *, seed: int | None = None) -> Scenario:
    """Load a scenario from a TOML file or a shipped name, optionally overriding its seed."""
    text, origin = _read_text(source)
    scenario = parse(text, origin)
    if seed is not None:
        if not 0 <= seed <= MAX_SEED:
            raise ScenarioError("seed", seed, f"must be an integer from 0 to {MAX_SEED} (2^63 - 1)")
        scenario = build(Scenario, {**to_mapping(scenario), "seed": seed})
    return scenario


def to_toml(scenario: Scenario) -> str:
    """The resolved scenario (every default filled in) as TOML text."""
    header = "# Resolved scenario written by debriscope: every default filled in.\n"
    data = to_mapping(scenario)
    if not data.get("uncertainty"):  # no ensemble inputs: the file (and its hash) as without the key
        data.pop("uncertainty", None)
    return header + tomli_w.dumps(data)


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the resolved scenario's TOML (identifies a run's inputs)."""
    return hashlib.sha256(to_toml(scenario).encode("utf-8")).hexdigest()


def event_epoch_utc_keys(scenario: Scenario) -> tuple[str, Any]:
    """The key and value that fix the event time (for error messages)."""
    if scenario.event.time_utc is not None:
        return "event.time_utc", scenario.event.time_utc
    return "launch.time_utc", scenario.launch.time_utc


def _check_coverage(scenario: Scenario) -> None:
    """Dates must lie inside the shipped Earth-orientation and space-weather data."""
    from .. import spaceweather, timescale
    from .launch import event_time_tt_s

    key, value = event_epoch_utc_keys(scenario)
    t = event_time_tt_s(scenario)
    try:
        timescale.ut1_minus_tai_s(t)
        spaceweather.indices(t)
    except DataCoverageError as exc:
        raise ScenarioError(key, value, str(exc)) from exc
