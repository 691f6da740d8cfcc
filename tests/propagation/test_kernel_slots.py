"""The kernels' parameter vectors are indexed by their named slots, never by integer literals.

``prm``/``P`` (``kernels.P_*``), ``gax`` (``GAX_*``) and ``aux`` (``AUX_*``) carry their meaning
by position; a literal index (``P[8]``, ``aux[:, 1]``, ``aux[2:7]``) hides which slot it means and
breaks silently when a slot moves (issue 17). Every file of src/, benchmarks/ and tests/ that uses
the kernels is scanned, the kernels module included.
"""

from __future__ import annotations

import re
from pathlib import Path

from debriscope.propagation import kernels

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ("P", "prm", "grav", "gravity_prm", "gax", "aux", "sub_aux")
SUBSCRIPT = re.compile(r"(?<![\w.])(" + "|".join(VECTORS) + r")\[([^\[\]]*)\]")
LITERAL_SLOT = re.compile(r"^\s*:?\s*-?\d")


def literal_slots(text: str) -> list[str]:
    """Subscripts of the vectors whose last index (the slot) is an integer literal or starts with one."""
    return [m.group(0) for m in SUBSCRIPT.finditer(text) if LITERAL_SLOT.match(m.group(2).split(",")[-1])]


def _files_using_kernels() -> list[Path]:
    files = [Path(kernels.__file__)]
    for folder in ("src", "benchmarks", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if path != Path(__file__) and re.search(r"\bkernels\b", text):
                files.append(path)
    return files


def test_the_scan_finds_literal_slots():
    assert literal_slots("x = P[8] + prm[P_MU] + aux[:, 1] + aux[0, 2:7] + gax[GAX_LAT0] + aux[j]") == [
        "P[8]", "aux[:, 1]", "aux[0, 2:7]"]


def test_no_literal_slot_indices():
    files = _files_using_kernels()
    assert len(files) > 5  # kernels, forces, fast, reference, tests, benchmarks
    found = {str(p.relative_to(ROOT)): hits for p in files if (hits := literal_slots(p.read_text(encoding="utf-8")))}
    assert found == {}, f"index these by their kernels.P_*/GAX_*/AUX_* names: {found}"
