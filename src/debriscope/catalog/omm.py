"""CCSDS Orbit Mean-Elements Messages (OMM) in KVN and XML.

Reference: CCSDS 502.0-B-2 "Orbit Data Messages" (Blue Book, 2009), section 4 (OMM: header,
metadata with ``MEAN_ELEMENT_THEORY = SGP4``, mean elements, TLE-related parameters) and CCSDS
505.0-B-1 "XML Specification for Navigation Data Messages" (``<ndm>`` holding ``<omm>`` elements,
unqualified element names as CelesTrak serves them). The field values come from
``sgp4.exporter.export_omm`` (the keywords CelesTrak and Space-Track use); the XML is what
``sgp4.omm.parse_xml`` reads, and :func:`debriscope.kvn.parse_omm_kvn` gives ``sgp4.omm.initialize`` the same
dictionary from KVN. Frame TEME, time system UTC, by the definition of SGP4 element sets.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

from sgp4.api import Satrec
from sgp4.exporter import export_omm

OMM_VERSION = "2.0"
HEADER_KEYS = ("CCSDS_OMM_VERS", "COMMENT", "CREATION_DATE", "ORIGINATOR")
METADATA_KEYS = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", "MEAN_ELEMENT_THEORY")
MEAN_ELEMENT_KEYS = (
    "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY",
)  # fmt: skip
TLE_PARAMETER_KEYS = (
    "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR",
    "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT",
)  # fmt: skip
UNITS = {
    "MEAN_MOTION": "rev/day",
    "INCLINATION": "deg",
    "RA_OF_ASC_NODE": "deg",
    "ARG_OF_PERICENTER": "deg",
    "MEAN_ANOMALY": "deg",
    "BSTAR": "1/ER",
    "MEAN_MOTION_DOT": "rev/day**2",
    "MEAN_MOTION_DDOT": "rev/day**3",
}
"""Units of the OMM keywords (CCSDS 502.0-B-2 table 4-3)."""

UNKNOWN_OBJECT_ID = "UNKNOWN"
"""``OBJECT_ID`` of an object without an international designator (CCSDS 502.0-B-2 recommends
the designator but does not restrict the value)."""


def omm_fields(sat: Satrec, object_name: str) -> dict[str, Any]:
    """OMM keyword -> value for one element set (``sgp4.exporter.export_omm``); ``OBJECT_ID`` is
    :data:`UNKNOWN_OBJECT_ID` when the element set has no international designator."""
    if sat.intldesg.strip():
        return export_omm(sat, object_name)
    sat.intldesg = "00000"  # export_omm parses a designator; replaced below
    try:
        fields = export_omm(sat, object_name)
    finally:
        sat.intldesg = ""
    return {**fields, "OBJECT_ID": UNKNOWN_OBJECT_ID}


def _text(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def omm_kvn(messages: Iterable[Mapping[str, Any]], creation_date: str, originator: str) -> str:
    """One KVN OMM per element set, concatenated (as CelesTrak serves several in one file)."""
    out = []
    for fields in messages:
        lines = [
            f"CCSDS_OMM_VERS = {OMM_VERSION}",
            f"CREATION_DATE = {creation_date}",
            f"ORIGINATOR = {originator}",
            "",
        ]
        for group in (METADATA_KEYS, MEAN_ELEMENT_KEYS, TLE_PARAMETER_KEYS):
            for key in group:
                unit = f" [{UNITS[key]}]" if key in UNITS else ""
                lines.append(f"{key} = {_text(fields[key])}{unit}")
            lines.append("")
        out.append("\n".join(lines))
    return "\n".join(out)


def omm_xml(messages: Iterable[Mapping[str, Any]], creation_date: str, originator: str) -> str:
    """An NDM/XML document with one ``<omm>`` per element set (CCSDS 505.0-B-1)."""
    ndm = ET.Element(
        "ndm",
        {
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": "https://sanaregistry.org/r/ndmxml_unqualified/ndmxml-2.0.0-master-2.0.xsd",
        },
    )
    for fields in messages:
        omm = ET.SubElement(ndm, "omm", {"id": "CCSDS_OMM_VERS", "version": OMM_VERSION})
        header = ET.SubElement(omm, "header")
        ET.SubElement(header, "CREATION_DATE").text = creation_date
        ET.SubElement(header, "ORIGINATOR").text = originator
        segment = ET.SubElement(ET.SubElement(omm, "body"), "segment")
        metadata = ET.SubElement(segment, "metadata")
        for key in METADATA_KEYS:
            ET.SubElement(metadata, key).text = _text(fields[key])
        data = ET.SubElement(segment, "data")
        for tag, keys in (("meanElements", MEAN_ELEMENT_KEYS), ("tleParameters", TLE_PARAMETER_KEYS)):
            group = ET.SubElement(data, tag)
            for key in keys:
                attrs = {"units": UNITS[key]} if key in UNITS else {}
                ET.SubElement(group, key, attrs).text = _text(fields[key])
    ET.indent(ndm)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(ndm, encoding="unicode") + "\n"
