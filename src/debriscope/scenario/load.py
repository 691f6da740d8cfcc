"""Reading, validating and writing scenario files (TOML, stdlib ``tomllib``; written with
``tomli-w``). Shipped scenarios live in ``debriscope/scenario/data`` and are found by name."""

from __future__ import annotations

import hashlib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w

from ..errors import DataCoverageError, ScenarioError
from ..tables import read_text
from .element_sets import read_omm_file
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


def parse(text: str, origin: str = "<string>", base_dir: str | Path | None = None) -> Scenario:
    """Parse and validate scenario TOML text; ``orbit.omm.file`` is read relative to ``base_dir``
    (the scenario file's folder; default: the working directory) and replaced by its values."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError("scenario", origin, f"not valid TOML: {exc}") from exc
    scenario = build(Scenario, _with_omm_file_read(data, Path(base_dir) if base_dir is not None else Path.cwd()))
    _check_coverage(scenario)
    return scenario


def _with_omm_file_read(data: dict[str, Any], base_dir: Path) -> dict[str, Any]:
    """``data`` with ``[orbit.omm] file = ...`` replaced by the file's mean elements (the other
    keys of the table, if any, override the file's)."""
    omm = data.get("orbit", {}).get("omm") if isinstance(data.get("orbit"), dict) else None
    if not isinstance(omm, dict) or "file" not in omm:
        return data
    if not isinstance(omm["file"], str):
        raise ScenarioError("orbit.omm.file", omm["file"], "expected a file path as a string")
    values = {**read_omm_file(omm["file"], base_dir, "orbit.omm"), **{k: v for k, v in omm.items() if k != "file"}}
    return {**data, "orbit": {**data["orbit"], "omm": values}}


def load(source: str | Path = DEFAULT_SCENARIO, *, seed: int | None = None) -> Scenario:
    """Load a scenario from a TOML file or a shipped name, optionally overriding its seed."""
    text, origin = _read_text(source)
    base_dir = Path(origin).parent if not origin.startswith("debriscope:") else None
    scenario = parse(text, origin, base_dir)
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


def propagation_span_days(scenario: Scenario) -> float:
    """Days after the event that a run propagates: decay prediction (``propagation.max_days``),
    the sensors' window (``sensors.window_days``, "life" ending at the last decay within
    ``max_days``; either way at most ``sensors.max_window_days``) and the catalog's element sets and OEM (the last
    element-set epoch plus the 4 h its SGP4 fit spans, :mod:`debriscope.catalog.stage`)."""
    catalog = scenario.catalog
    sensors = scenario.sensors
    life = min(sensors.max_window_days, scenario.propagation.max_days)  # "life" ends by the prediction's horizon
    window = life if sensors.window_days == "life" else min(sensors.window_days, sensors.max_window_days)
    return max(scenario.propagation.max_days, window,
               max(catalog.element_set_epochs_days) + 4.0 / 24.0, catalog.oem_span_h / 24.0)


def uses_historical_indices(scenario: Scenario) -> bool:
    """Whether the run's atmosphere reads the day-by-day space-weather record."""
    opts = scenario.propagation
    return opts.drag and opts.atmosphere == "nrlmsis" and opts.f107_sfu is None


def _check_coverage(scenario: Scenario) -> None:
    """Dates must lie inside the shipped Earth-orientation data, and the whole propagated span
    (:func:`propagation_span_days`) inside the space-weather record when historical indices are
    used: checked here, once, before any stage runs."""
    from .. import spaceweather, timescale
    from .launch import event_time_tt_s

    key, value = event_epoch_utc_keys(scenario)
    t = event_time_tt_s(scenario)
    try:
        timescale.ut1_minus_tai_s(t)
    except DataCoverageError as exc:
        raise ScenarioError(key, value, str(exc)) from exc
    if not uses_historical_indices(scenario):
        return
    span_days = propagation_span_days(scenario)
    first_mjd, end_mjd = spaceweather.coverage()
    event_mjd = float(timescale.tt_s_to_mjd_utc(t))
    first, last = (str(np.datetime64("1858-11-17") + np.timedelta64(int(m), "D")) for m in (first_mjd, end_mjd - 1))
    if event_mjd < first_mjd or event_mjd >= end_mjd:
        raise ScenarioError(key, value, f"the historical space-weather indices (CelesTrak SW-All via the "
                            f"'spaceweather' package) cover {first} to {last}; give constant indices "
                            "(propagation.f107_sfu and propagation.ap) for another date")
    if event_mjd + span_days >= end_mjd:
        raise ScenarioError("propagation.max_days", scenario.propagation.max_days,
                            f"the run propagates {span_days:g} days after the event "
                            f"({timescale.tt_s_to_utc_iso(t, decimals=0)}), past the end of the historical "
                            f"space-weather indices ({last}); lower propagation.max_days or give constant "
                            "indices (propagation.f107_sfu and propagation.ap)")
