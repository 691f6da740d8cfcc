"""docs/breakup.md quotes figures that benchmarks/breakup_vs_law.py prints: recompute a part and compare.

The A/m and size figures (analytic) and the catastrophic collision's row of the mass-budget table
(200 seeds, as the docs state) are recomputed here; a figure must appear in both the benchmark's
output and the docs.
"""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("breakup_vs_law", ROOT / "benchmarks" / "breakup_vs_law.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def docs():
    return re.sub(r"\s+", " ", (ROOT / "docs" / "breakup.md").read_text(encoding="utf-8"))


def _in_both(figures, output, docs):
    for figure in figures:
        assert figure in output, f"{figure!r} not printed by the benchmark"
        assert figure in docs, f"{figure!r} not in docs/breakup.md"


def test_am_and_size_figures(bench, docs, capsys):
    bench.am_figures()
    out = capsys.readouterr().out
    _in_both(["22 %", "76 %", "21.2 %", "4.2 %", "16.6 %", "0.5 %", "15.4-15.7 %", "3.22 m", "2.72 m",
              "2.67 m", "2.26 m"], out, docs)


def test_catastrophic_collision_row(bench, docs, capsys):
    bench.run_case(bench.CASES["catastrophic collision 1000 + 10 kg at 10 km/s, Lc >= 5 cm"], 200)
    out = capsys.readouterr().out
    _in_both(["3003.7", "148 %", "98 %", "2056.7 +- 519.1", "68.5 %", "3003.6 +- 0.6", "4.66", "986.9", "23.1"],
             out, docs)
