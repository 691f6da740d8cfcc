"""How the partial departure burn changes the flagship cloud's lifetimes.

Runs the scenario, breakup and propagation stages of the flagship twice, with ``event.burn.applied``
false (the breakup on the parking orbit, the shipped default) and true (the breakup at the end of
the 17 s of thrust), same seed, and prints the event orbit and the lifetimes of each cloud beside the
record (decays 29 Oct 1962 - 26 Feb 1963, NASA NSSDC / Wikipedia). Several minutes on 2 cores.

    python benchmarks/partial_burn_lifetimes.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from debriscope.elements import apsis_altitudes_m, rv_to_elements
from debriscope.pipeline import run
from debriscope.scenario import parse
from debriscope.scenario.load import _read_text
from debriscope.tables import read_csv


def one(applied: bool, out: Path) -> None:
    text = _read_text("sputnik22")[0]
    if applied:
        text = text.replace("applied = false", "applied = true")
    folder = run(parse(text), out / f"applied-{str(applied).lower()}", stages=("scenario", "breakup", "propagation"))
    event = json.loads((folder / "event.json").read_text(encoding="utf-8"))
    parent = event["parents"][0]
    el = rv_to_elements(parent["r_teme_m"], parent["v_teme_mps"])
    apo, peri = apsis_altitudes_m(el.a_m, el.e)
    decay = read_csv(folder / "decay.csv")
    life = np.asarray(decay["lifetime_days"], float)
    done = np.isfinite(life)
    q = np.percentile(life[done], [10, 50, 90]) if done.any() else [np.nan] * 3
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["propagation"]
    print(f"burn applied = {applied}: event orbit {peri[0] / 1e3:.0f} x {apo[0] / 1e3:.0f} km")
    print(f"  fragments {life.size}, decayed within the span {done.sum()} ({100 * done.mean():.1f} %)")
    print(f"  lifetime of the decayed, days: 10 % {q[0]:.1f}, median {q[1]:.1f}, 90 % {q[2]:.1f}")
    print(f"  first decay {summary['first_decay_utc']}, last decay {summary['last_decay_utc']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="folder for the two runs (default: a temporary one)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="burn-lifetimes-"))
    print("record: decays 1962-10-29 to 1963-02-26 (NASA NSSDC; Wikipedia); debris orbit 1485 x 180 km (NASA)")
    for applied in (False, True):
        one(applied, out)


if __name__ == "__main__":
    main()
