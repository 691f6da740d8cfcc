"""Byte-identical outputs of a small flagship run (issue 17: refactoring the kernels changes no result).

The flagship scenario (sputnik22, seed 1962) with fragments down to 10 cm (477 fragments) and 5 days
of propagation (snapshots at 0.1 and 1 day) runs the scenario, breakup and propagation stages:
NRLMSIS 2.1 drag with the historical indices, the ephemeris kernel (snapshot windows), the averaged
decay phase and the numerical final revolutions. The SHA-256 of each output file must equal the
golden digests in ``golden_outputs.json``.

When the physics or an output format changes on purpose, regenerate the digests and commit them with
the change, saying why in the commit message::

    PYTHONPATH=src python tests/propagation/test_golden_outputs.py --write
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from pathlib import Path

from debriscope import pipeline
from debriscope.scenario.load import load

GOLDEN = Path(__file__).with_name("golden_outputs.json")
FILES = ("event.json", "fragments.csv", "elements.csv", "decay.csv")
LC_MIN_M = 0.1
MAX_DAYS = 5.0
SNAPSHOT_DAYS = (0.1, 1.0)


def run_digests(out_dir: Path) -> dict[str, str]:
    """SHA-256 of each file of :data:`FILES` of the small flagship run made into ``out_dir``."""
    sc = load("sputnik22")
    sc = dataclasses.replace(
        sc, breakup=dataclasses.replace(sc.breakup, lc_min_m=LC_MIN_M),
        propagation=dataclasses.replace(sc.propagation, max_days=MAX_DAYS, snapshot_days=SNAPSHOT_DAYS))
    run = pipeline.run(sc, out_dir, stages=["scenario", "breakup", "propagation"])
    return {name: hashlib.sha256((run / name).read_bytes()).hexdigest() for name in FILES}


def test_small_flagship_run_matches_golden_digests(tmp_path):
    assert run_digests(tmp_path / "run") == json.loads(GOLDEN.read_text())


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: test_golden_outputs.py --write (regenerates golden_outputs.json)")
    with tempfile.TemporaryDirectory() as tmp:
        GOLDEN.write_text(json.dumps(run_digests(Path(tmp) / "run"), indent=1) + "\n")
    print(f"wrote {GOLDEN}")
