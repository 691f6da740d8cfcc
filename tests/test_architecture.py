"""Architecture: data flows one way between the stages (import-linter contracts in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_kept():
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_package_import_is_cheap():
    # importing the package must not pull in the heavy stages (numba, matplotlib, pymsis)
    code = "import sys, debriscope; print(','.join(m for m in ('numba', 'matplotlib', 'pymsis') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_public_api_resolves():
    import debriscope

    for name in debriscope.__all__:
        assert getattr(debriscope, name) is not None, name


def test_docstring_example():
    import doctest

    import debriscope

    assert doctest.testmod(debriscope).failed == 0
