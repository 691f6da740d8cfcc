"""CCSDS Orbit Data Messages in KVN (keyword = value notation), read: CCSDS 502.0-B-2 sec. 7.

Used where an OMM enters debriscope: a scenario's ``[orbit.omm] file`` and the catalog's own
exports read back.
"""

from __future__ import annotations

import re

_KVN_LINE = re.compile(r"^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*(?:\[[^\]]*\])?\s*$")
"""``KEYWORD = value [unit]`` (CCSDS 502.0-B-2 sec. 7.4: units in brackets are informative)."""


def parse_omm_kvn(text: str) -> list[dict[str, str]]:
    """KVN OMMs -> one dict per message (keyword -> value text, units dropped), as
    ``sgp4.omm.initialize`` takes them. COMMENT lines and blank lines are skipped."""
    messages: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("COMMENT"):
            continue
        match = _KVN_LINE.match(line)
        if match is None:
            raise ValueError(f"OMM line {number}: expected 'KEYWORD = value', got {line!r}")
        key, value = match.groups()
        if key == "CCSDS_OMM_VERS":
            messages.append({})
        elif not messages:
            raise ValueError(f"OMM line {number}: {key} before CCSDS_OMM_VERS")
        messages[-1][key] = value
    return messages
