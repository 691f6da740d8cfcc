"""How the partial departure burn changes the flagship cloud's lifetimes.

Runs the scenario, breakup and propagation stages of the flagship once (seed 1962): the propagation
stage carries the same fragments from both event states of ``[event.burn]``, the coasting parking
orbit and the end of the 17 s of thrust (``lifetimes_burn_vs_parking.csv``, summary
``propagation.burn_comparison``). Prints both beside the record (decays 29 Oct 1962 - 26 Feb 1963,
NASA NSSDC / Wikipedia; debris orbit 1,485 x 180 km, NASA Science) and the time the comparison adds.
A few minutes on 2 cores.

    python benchmarks/partial_burn_lifetimes.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path

import numpy as np

from debriscope.pipeline import run
from debriscope.scenario import load
from debriscope.tables import read_csv
from debriscope.timescale import utc_to_tt_s

RECORD_LAST_DECAY_UTC = "1963-02-27T00:00:00Z"  # the end of 26 Feb 1963, the record's last decay


def _stage_seconds(log: str, stage: str) -> float:
    return float(re.search(rf"stage {stage}: done in ([0-9.]+) s", log).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="run folder (default: a temporary one)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="burn-lifetimes-")) / "run"
    folder = run(load("sputnik22"), out, stages=("scenario", "breakup", "propagation"))
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["propagation"]
    table = read_csv(folder / "lifetimes_burn_vs_parking.csv")
    event = json.loads((folder / "event.json").read_text(encoding="utf-8"))["event"]
    cut_days = (float(utc_to_tt_s(RECORD_LAST_DECAY_UTC)) - event["t_tt_s"]) / 86400.0
    print("record: decays 1962-10-29 to 1963-02-26 (NASA NSSDC; Wikipedia); debris orbit 1485 x 180 km (NASA)")
    comparison = summary["burn_comparison"]
    for case in ("parking_orbit", "after_burn"):
        s = comparison[case]
        life = np.asarray(table[f"lifetime_days_{case}"], float)
        mark = " (this run's event)" if comparison["applied"] == case else ""
        print(f"{case}{mark}: event orbit {s['event_perigee_km']:.0f} x {s['event_apogee_km']:.0f} km")
        print(f"  fragments {life.size}, decayed within {summary['max_days']:.0f} days {s['n_decayed']} "
              f"({100 * s['fraction_decayed']:.1f} %), by 26 Feb 1963 {int(np.sum(life < cut_days))} "
              f"({100 * np.mean(life < cut_days):.1f} %)")
        q50, q90 = (f"{x:.1f}" if x is not None else f"> {summary['max_days']:.0f}"
                    for x in (s["lifetime_days_p50"], s["lifetime_days_p90"]))
        print(f"  lifetime of the whole cloud, days: median {q50}, 90 % {q90}; last decay {s['last_decay_utc']}")
    log = (folder / "run.log").read_text(encoding="utf-8")
    other = float(re.search(r"other event state of \[event.burn\] in ([0-9.]+) s", log).group(1))
    print(f"propagation stage {_stage_seconds(log, 'propagation'):.1f} s, of which {other:.1f} s for the cloud "
          "from the other event state")


if __name__ == "__main__":
    main()
