"""The catalog: which objects tracking saw well enough to catalogue, their designations, element
sets fitted to their ephemerides, and the field's exchange formats.

SQLite database (:mod:`.db`, :mod:`.schema`), COSPAR and 1962 Greek-letter designations
(:mod:`.designations`), SGP4 element-set fits (:mod:`.tle_fit`), CCSDS OMM and OEM (:mod:`.omm`,
:mod:`.oem`), CelesTrak SATCAT CSV (:mod:`.satcat`) and a Satellite Situation Summary listing
(:mod:`.sss`); the stage is :func:`debriscope.catalog.stage.run_stage`.
"""

from .db import CatalogRows, find_object, open_catalog, read_rows, write_catalog
from .designations import cospar_id, greek_piece_name, parse_cospar_id, piece_index, piece_letters
from .tle_fit import SgpFit, fit_sgp4

__all__ = [
    "CatalogRows",
    "SgpFit",
    "cospar_id",
    "find_object",
    "fit_sgp4",
    "greek_piece_name",
    "open_catalog",
    "parse_cospar_id",
    "piece_index",
    "piece_letters",
    "read_rows",
    "write_catalog",
]
