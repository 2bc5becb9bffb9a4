"""Exports of a stored Corpus: JSON (documented schema), ACLED-like CSV, GeoJSON.

Each is a pure function of a `Corpus` (from `store.load()`), returning text or
JSON-able data; writing files is the caller's job. docs/export-schema.md
describes the formats.
"""

from __future__ import annotations

from recoupe.export.acled_csv import export_acled_csv
from recoupe.export.geojson import export_geojson
from recoupe.export.json import SCHEMA_VERSION, export_json, export_schema

__all__ = ["SCHEMA_VERSION", "export_acled_csv", "export_geojson", "export_json", "export_schema"]
