"""Which text encoding a lead file is in, and a UTF-8 copy of it when it is not UTF-8.

Excel saves "CSV" in the system's ANSI code page (Windows-1252 on most Western systems, a superset
of Latin-1) and "Unicode text" as UTF-16 with a byte-order mark. `detect_encoding(path)` streams
the file once and decides:

* a UTF-16 / UTF-32 byte-order mark → that encoding;
* NUL bytes without such a mark → binary, not text: ``utf-8`` (the CSV reader refuses it as before);
* every byte sequence valid UTF-8 → ``utf-8`` (nothing to convert);
* invalid UTF-8 and not a single valid multi-byte UTF-8 sequence → a single-byte file:
  ``cp1252`` when every byte is defined there, else ``latin-1`` (which defines every byte);
* invalid UTF-8 next to valid multi-byte UTF-8 → ``utf-8`` with some broken lines (those lines
  are rejected one by one and the rest loads, as before).

`utf8_copy(path, encoding)` streams a converted copy into a temporary file (removed on exit), so
DuckDB reads every file as UTF-8 and record numbers stay the file's own line numbers.
"""

from __future__ import annotations

import codecs
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

UTF8 = "utf-8"
_CHUNK = 4 << 20
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that were not valid UTF-8 (surrogateescape)
_UNDEFINED_IN_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")

DESCRIPTIONS = {
    "cp1252": "Windows-1252 (cp1252, how Excel saves CSV)",
    "latin-1": "Latin-1 (ISO-8859-1)",
    "utf-16": "UTF-16 (Excel's Unicode text)",
    "utf-32": "UTF-32",
}


def detect_encoding(path: Path) -> str:
    """The encoding to read ``path`` with (see the module docstring for the rule)."""
    with Path(path).open("rb") as handle:
        head = handle.read(4)
        for bom, name in _BOMS:
            if head.startswith(bom):
                return name
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(UTF8)("surrogateescape")
        invalid = False
        cp1252_possible = True
        while chunk := handle.read(_CHUNK):
            if b"\x00" in chunk:  # not text in a single-byte encoding (binary): left to the reader to refuse
                return UTF8
            if chunk.isascii():
                continue
            text = decoder.decode(chunk)
            escaped = len(_ESCAPED.findall(text))
            non_ascii = len(text) - len(text.encode("ascii", "ignore"))
            if non_ascii > escaped:  # valid multi-byte UTF-8 seen: a UTF-8 file (maybe with broken lines)
                return UTF8
            invalid = invalid or escaped > 0
            cp1252_possible = cp1252_possible and not _UNDEFINED_IN_CP1252.search(chunk)
        if not invalid:
            return UTF8
        return "cp1252" if cp1252_possible else "latin-1"


def describe(encoding: str) -> str:
    return DESCRIPTIONS.get(encoding, encoding)


@contextmanager
def utf8_copy(path: Path, encoding: str) -> Iterator[Path]:
    """``path`` itself when it is UTF-8, else a temporary UTF-8 copy of it (deleted afterwards)."""
    if encoding == UTF8:
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="eve-leads-") as folder:
        target = Path(folder) / Path(path).name
        with (
            Path(path).open(encoding=encoding, newline="") as source,
            target.open("w", encoding=UTF8, newline="") as sink,
        ):
            shutil.copyfileobj(source, sink, _CHUNK)
        yield target
