"""Write docs/scenario.md, the scenario schema reference, from the schema's own dataclasses.

Run: python tools/schema_doc.py
"""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

from debriscope.scenario import mission_options, schema
from debriscope.scenario.fields import describe

SECTIONS = [
    ("top level", schema.Scenario, ""),
    ("[launch]", schema.Launch, "launch"),
    ("[orbit]", schema.Orbit, "orbit"),
    ("[orbit.state]", schema.StateVector, "orbit.state"),
    ("[orbit.tle]", schema.TwoLineElements, "orbit.tle"),
    ("[orbit.omm]", schema.OmmElements, "orbit.omm"),
    ("[[objects]]", schema.ObjectSpec, "objects[]"),
    ("[event]", schema.Event, "event"),
    ("[event.impactor]", schema.Impactor, "event.impactor"),
    ("[[uncertainty]]", schema.UncertainInput, "uncertainty[]"),
    ("[event.burn]", schema.Burn, "event.burn"),
    ("[mission]", mission_options.MissionOptions, "mission"),
    ("[[mission.other_launches]]", mission_options.OtherLaunch, "mission.other_launches[]"),
]


def _option_sections() -> list[tuple[str, type, str]]:
    hints = typing.get_type_hints(schema.Scenario)
    out = []
    for f in dataclasses.fields(schema.Scenario):
        tp = hints[f.name]
        if dataclasses.is_dataclass(tp) and f.name not in ("orbit", "event"):
            out.append((f"[{f.name}]", tp, f.name))
            sub_hints = typing.get_type_hints(tp)
            for g in dataclasses.fields(tp):
                inner = sub_hints[g.name]
                args = typing.get_args(inner)
                item = args[0] if args else inner
                if dataclasses.is_dataclass(item):
                    out.append((f"[[{f.name}.{g.name}]]", item, f"{f.name}.{g.name}[]"))
    return out


def render() -> str:
    lines = [
        "# Scenario file reference",
        "",
        "A scenario is a TOML file; keys carry their units. This page is generated from the schema",
        "(`python tools/schema_doc.py`); the flagship `src/debriscope/scenario/data/sputnik22.toml` is a",
        "complete, sourced example. `debriscope scenario check FILE` validates a file; `debriscope",
        "scenario show FILE` prints it with every default filled in (the same text every run folder keeps",
        "as `scenario.toml`). A wrong value stops the run before anything is written, with an error",
        "that names the key, the value and what is allowed.",
        "",
        "Times are UTC; before 1960, when UTC did not exist, a time is read as UT1",
        "([docs/architecture.md](architecture.md), `debriscope.timescale`). Names and numbers of the",
        "catalog are neutral unless `[catalog]` gives them, and the report compares the run with a",
        "historical record only when `[report] record` names one: the flagship sets both.",
        "",
    ]
    for title, cls, path in SECTIONS + _option_sections():
        lines += [f"## {title}", "", (cls.__doc__ or "").strip().splitlines()[0], ""]
        lines += ["| key | type | default | meaning |", "|---|---|---|---|"]
        for key, tp, default, doc in describe(cls):
            if path == "" and key in {s[2] for s in SECTIONS + _option_sections()}:
                tp, default = "table", f"see [{key}]"
            lines.append(f"| `{key}` | {tp} | `{default}` | {doc} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "docs" / "scenario.md"
    out.write_text(render(), encoding="utf-8")
    print(f"wrote {out}")
