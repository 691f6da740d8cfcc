"""Uncertain inputs of a scenario (``[[uncertainty]]``) and the realisations drawn from them.

Each ``[[uncertainty]]`` table names one scalar scenario key and its distribution::

    [[uncertainty]]
    key = 'objects["Blok L"].mass_kg'       # an entry of [[objects]] by name (or objects[0])
    distribution = "truncated_normal"        # normal, truncated_normal, uniform, log_uniform, choice
    sd = 100.0                               # mean defaults to the scenario's own value
    low = 700.0
    source = "Blok L dry mass, +-100 kg [E]"

Realisation ``i`` of a scenario with seed ``s`` is fully determined by ``(s, i)``: its
``numpy.random.SeedSequence`` is ``SeedSequence(s).spawn(n)[i]`` (= ``SeedSequence(s,
spawn_key=(i,))``, independent of ``n``), whose first child draws the uncertain inputs (one
uniform variate per input, in declaration order, mapped through the distribution's quantile
function) and whose second child gives the realisation's own scenario seed. So a realisation
draws the same numbers whatever backend, worker count or order runs it.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, get_args, get_origin, get_type_hints

import numpy as np
from scipy import stats

from ..errors import ScenarioError
from .fields import build, param, to_mapping

if TYPE_CHECKING:
    from .schema import Scenario

DISTRIBUTIONS = ("normal", "truncated_normal", "uniform", "log_uniform", "choice")


@dataclass(frozen=True, kw_only=True)
class UncertainInput:
    """``[[uncertainty]]``: one uncertain scalar of the scenario and its distribution."""

    key: str = param(doc="scenario key, e.g. 'event.time_after_launch_s', 'propagation.cd', "
                     "'objects[\"Blok L\"].mass_kg' (an entry of [[objects]] by name) or 'objects[0].mass_kg'")
    distribution: str = param(doc="'normal' (mean, sd), 'truncated_normal' (mean, sd, low and/or high), "
                              "'uniform' (low, high), 'log_uniform' (low, high > 0), 'choice' (values, weights)",
                              choices=DISTRIBUTIONS)
    mean: float | None = param(None, doc="mean of a (truncated) normal; default: the scenario's value")
    sd: float | None = param(None, doc="standard deviation of a (truncated) normal, in the key's unit",
                             min=0.0, exclusive_min=True)
    low: float | None = param(None, doc="lower bound (uniform, log-uniform, truncation)")
    high: float | None = param(None, doc="upper bound (uniform, log-uniform, truncation)")
    values: tuple[float | str, ...] = param((), doc="the alternatives of a 'choice'")
    weights: tuple[float, ...] = param((), doc="relative weights of a 'choice' (default: equal)", min=0.0)
    source: str = param("", doc="where the distribution comes from (reference, or [E] for an estimate)")

    def check(self, path: str) -> None:
        def need(name: str, why: str) -> None:
            if getattr(self, name) is None:
                raise ScenarioError(f"{path}.{name}", None, f"required for a {self.distribution} distribution ({why})")

        for name in ("mean", "sd", "low", "high"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ScenarioError(f"{path}.{name}", value, "expected a finite number")
        kind = self.distribution
        if kind in ("normal", "truncated_normal"):
            need("sd", "its standard deviation")
        if kind == "truncated_normal" and self.low is None and self.high is None:
            raise ScenarioError(f"{path}.low", None, "a truncated_normal needs low and/or high")
        if kind in ("uniform", "log_uniform"):
            need("low", "its lower bound")
            need("high", "its upper bound")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ScenarioError(f"{path}.high", self.high, f"must be > low ({self.low})")
        if kind == "log_uniform" and not self.low > 0:
            raise ScenarioError(f"{path}.low", self.low, "a log_uniform needs low > 0")
        if kind == "choice":
            if not self.values:
                raise ScenarioError(f"{path}.values", [], "a choice needs at least one value")
            if self.weights and (len(self.weights) != len(self.values) or sum(self.weights) <= 0):
                raise ScenarioError(f"{path}.weights", list(self.weights),
                                    f"one weight >= 0 per value ({len(self.values)}), not all zero")
        elif self.values or self.weights:
            raise ScenarioError(f"{path}.values", list(self.values), "only a 'choice' takes values and weights")
        unused = {"normal": ("low", "high"), "uniform": ("mean", "sd"), "log_uniform": ("mean", "sd"),
                  "choice": ("mean", "sd", "low", "high")}.get(kind, ())
        for name in unused:
            if getattr(self, name) is not None:
                raise ScenarioError(f"{path}.{name}", getattr(self, name), f"not a parameter of a {kind} distribution")

    def quantile(self, u: float, nominal: Any) -> Any:
        """The value at probability ``u`` in [0, 1) (the inverse CDF); ``nominal`` is the
        scenario's own value (the default mean)."""
        kind = self.distribution
        if kind == "choice":
            w = np.asarray(self.weights or [1.0] * len(self.values), dtype=float)
            cdf = np.cumsum(w) / w.sum()
            return self.values[int(np.searchsorted(cdf, u, side="right"))]
        if kind == "uniform":
            return self.low + u * (self.high - self.low)
        if kind == "log_uniform":
            return math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        mean = float(nominal if self.mean is None else self.mean)
        if kind == "normal":
            return mean + self.sd * float(stats.norm.ppf(u))
        a = -np.inf if self.low is None else (self.low - mean) / self.sd
        b = np.inf if self.high is None else (self.high - mean) / self.sd
        value = mean + self.sd * float(stats.truncnorm.ppf(u, a, b))
        # far in a tail the ppf's rounding can step a hair outside the bounds it lies within
        return float(np.clip(value, -np.inf if self.low is None else self.low,
                             np.inf if self.high is None else self.high))


# --- keys -------------------------------------------------------------------------------------

_TOKEN = re.compile(r"""\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["([^"]+)"\]|\['([^']+)'\]""")


def parse_key(key: str) -> list[str | int]:
    """A scenario key as path parts: ``'propagation.cd'`` -> ``['propagation', 'cd']``;
    ``'objects["Blok L"].mass_kg'`` -> ``['objects', 'Blok L', 'mass_kg']`` (an entry of an
    array of tables by its ``name``); ``'objects[0].mass_kg'`` (by position)."""
    parts: list[str | int] = []
    pos = 0
    while pos < len(key):
        m = _TOKEN.match(key, pos)
        if m is None or (pos == 0 and key.startswith(".")) or (pos > 0 and m.group(1) and key[pos] != "."):
            raise KeyError(f"cannot read {key!r} from character {pos + 1} (use a.b, a[0].b or a[\"name\"].b)")
        word, number, name1, name2 = m.groups()
        parts.append(int(number) if number is not None else (word or name1 or name2))
        pos = m.end()
    if not parts:
        raise KeyError("empty key")
    return parts


def _locate(data: dict[str, Any], parts: list[str | int]) -> tuple[Any, Any]:
    """``(container, index)`` of a parsed key in a scenario mapping."""
    node: Any = data
    for k, part in enumerate(parts):
        if isinstance(node, list):
            names = [entry.get("name") for entry in node if isinstance(entry, dict)]
            if isinstance(part, int) and part < len(node):
                index: Any = part
            elif part in names:
                index = names.index(part)
            else:
                raise KeyError(f"no entry {part!r} (entries: {', '.join(map(str, names))})")
        elif isinstance(node, dict) and isinstance(part, str):
            index = part
        else:
            raise KeyError(f"{parts[k - 1] if k else 'the scenario'} is not indexed by {part!r}")
        if k == len(parts) - 1:
            return node, index
        if isinstance(node, dict) and index not in node:
            raise KeyError(f"no table {part!r}")
        node = node[index]
    raise KeyError("empty key")


def _field_type(parts: list[str | int]) -> Any:
    """The declared type of a parsed key in the schema."""
    from .schema import Scenario

    cls: Any = Scenario
    k = 0
    while k < len(parts):
        part = parts[k]
        if not dataclasses.is_dataclass(cls) or not isinstance(part, str):
            raise KeyError(f"{part!r} does not name a key")
        hints = get_type_hints(cls)
        if part not in hints:
            raise KeyError(f"unknown key {part!r}; allowed: {', '.join(hints)}")
        tp = hints[part]
        args = [a for a in get_args(tp) if a is not type(None)]
        if get_origin(tp) is not None and get_origin(tp) is not tuple and len(args) == 1:
            tp = args[0]  # Optional[X]
        if get_origin(tp) is tuple and dataclasses.is_dataclass(get_args(tp)[0]):
            tp = get_args(tp)[0]
            k += 1  # the entry's name or position
            if k >= len(parts) - 1:
                raise KeyError(f"{part!r} is an array of tables: name an entry and its key, e.g. {part}[0].mass_kg")
        cls = tp
        k += 1
    return cls


def _nominal(container: Any, index: Any) -> Any:
    return container[index] if isinstance(container, list) or index in container else None


def check_uncertainty(scenario: Scenario) -> None:
    """Every ``[[uncertainty]]`` key names a scalar number (or string, for a choice) of the
    scenario, at most once, with a nominal value where the distribution needs one."""
    data = to_mapping(scenario)
    seen: set[str] = set()
    for j, item in enumerate(scenario.uncertainty):
        path = f"uncertainty[{j}].key"
        if item.key in seen:
            raise ScenarioError(path, item.key, "each key at most once")
        seen.add(item.key)
        if item.key.split(".")[0] in ("seed", "name", "uncertainty"):
            raise ScenarioError(path, item.key, "the seed, the name and the uncertainty table are not uncertain inputs")
        try:
            parts = parse_key(item.key)
            tp = _field_type(parts)
        except KeyError as exc:
            raise ScenarioError(path, item.key, f"not a scenario key: {exc.args[0]}") from None
        numeric = tp in (float, int) or (get_origin(tp) is not None and float in get_args(tp))
        if not numeric and not (item.distribution == "choice" and tp in (str, bool)):
            raise ScenarioError(path, item.key, "must name a number (or, for a 'choice', a string or flag)")
        if tp is int and item.distribution != "choice":
            raise ScenarioError(path, item.key, "an integer key takes a 'choice' distribution")
        try:
            nominal = _nominal(*_locate(data, parts))
        except KeyError as exc:
            raise ScenarioError(path, item.key, f"not in this scenario: {exc.args[0]}") from None
        if item.distribution in ("normal", "truncated_normal") and item.mean is None and nominal is None:
            raise ScenarioError(f"uncertainty[{j}].mean", None, f"{item.key} has no value in the scenario: give the mean")


# --- realisations -----------------------------------------------------------------------------


def realisation_seed_sequence(seed: int, index: int) -> np.random.SeedSequence:
    """The SeedSequence of realisation ``index``: ``SeedSequence(seed).spawn(n)[index]`` for any n > index."""
    return np.random.SeedSequence(seed, spawn_key=(index,))


def draw_realisation(scenario: Scenario, index: int) -> tuple[Scenario, dict[str, Any]]:
    """Realisation ``index`` of a scenario: the scenario with every uncertain input drawn, its own
    seed, no ``[[uncertainty]]`` left, named ``<name>-r<index>``; and the drawn values by key.

    Raises
    ------
    ScenarioError
        If a drawn value is not a valid value of its key (the message names the uncertainty
        entry and suggests bounds).
    """
    from .schema import MAX_SEED, Scenario

    inputs_ss, run_ss = realisation_seed_sequence(scenario.seed, index).spawn(2)
    rng = np.random.default_rng(inputs_ss)
    data = to_mapping(scenario)
    data.pop("uncertainty", None)
    drawn: dict[str, Any] = {}
    for item in scenario.uncertainty:
        parts = parse_key(item.key)
        container, key = _locate(data, parts)
        value = item.quantile(float(rng.random()), _nominal(container, key))
        if _field_type(parts) is int and isinstance(value, float) and value.is_integer():
            value = int(value)
        container[key] = value
        drawn[item.key] = value
    data["seed"] = int(run_ss.generate_state(1, np.uint64)[0]) & MAX_SEED
    data["name"] = f"{scenario.name}-r{index:05d}"
    try:
        realised = build(Scenario, data)
    except ScenarioError as exc:
        which = next((f"uncertainty[{j}] ({u.key})" for j, u in enumerate(scenario.uncertainty)
                      if exc.key.split(".")[-1] == str(parse_key(u.key)[-1])), "uncertainty")
        raise ScenarioError(which, exc.value, f"realisation {index} drew an invalid value: {exc.allowed}; "
                            "bound the distribution (truncated_normal with low/high, or uniform)") from None
    return realised, drawn
