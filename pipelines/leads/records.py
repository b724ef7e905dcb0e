"""Record shapes shared by every lead source: JSON containers and source detection.

A JSON lead document is a list of objects, or an object holding that list under the first of
`data`, `items`, `leads`, `records`; any other object is one record. Apify's Google-Places actor
output is recognised by its own field names (`placeId`, `totalScore`, `categoryName`, ...).
"""

from __future__ import annotations

from typing import Any

CONTAINER_KEYS = ("data", "items", "leads", "records")

# Field names only the Apify Google-Places actor (compass/crawler-google-places) produces.
APIFY_MARKER_FIELDS = frozenset({"placeId", "totalScore", "reviewsCount", "categoryName", "cid", "fid"})


def records_from_document(document: Any) -> list[Any]:
    """The records of a parsed JSON document (each item may still be malformed, e.g. not an object)."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in CONTAINER_KEYS:
            value = document.get(key)
            if isinstance(value, list):
                return value
        return [document]
    return [document]


def looks_like_apify(field_names: set[str] | frozenset[str]) -> bool:
    """True when the records carry the Google-Places actor's field names."""
    return len(APIFY_MARKER_FIELDS & set(field_names)) >= 2
