"""Reading a spreadsheet export as found: the encoding and the delimiter are guessed, so a
file saved by Excel on Windows (cp1252, semicolons) reads like one written by a US CRM.

Rows are streamed, never loaded whole: a million-row file costs one row of memory.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SAMPLE_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
JSONL = "jsonl"  # FileFormat.delimiter of a JSON-lines file
# Tried in order. UTF-8 (with or without a BOM) is strict, so a Latin-1 file fails it on its
# first accented letter; cp1252 is what "Latin-1" files from Windows really are, and Latin-1
# itself decodes any byte, so the chain always ends with an answer.
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")

csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True)
class FileFormat:
    encoding: str
    delimiter: str


def sniff_encoding(path: Path) -> str:
    """The first encoding of ENCODINGS that decodes the whole file (read in blocks)."""
    for encoding in ENCODINGS[:-1]:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while block := handle.read(1024 * 1024):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return ENCODINGS[-1]


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the header and the first lines into the same number of
    columns; csv.Sniffer first, then a count over the header line when it gives up."""
    lines = [line for line in sample.splitlines() if line.strip()][:20]
    if not lines:
        return ","
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS)
        if dialect.delimiter in DELIMITERS:
            return dialect.delimiter
    except csv.Error:
        pass
    counts = {d: lines[0].count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def sniff(path: Path) -> FileFormat:
    encoding = sniff_encoding(path)
    with path.open("r", encoding=encoding, newline="") as handle:
        sample = handle.read(SAMPLE_BYTES)
    return FileFormat(encoding, sniff_delimiter(sample))


@dataclass(frozen=True)
class Table:
    """A file's header and a fresh iterator over its data rows (number, cells)."""

    path: Path
    format: FileFormat
    header: list[str]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Data rows numbered as a spreadsheet shows them (the header is row 1); blank lines
        are skipped but keep their number. JSON lines are numbered from 2 as well, so an
        error report reads the same for both."""
        if self.format.delimiter == JSONL:
            yield from self._json_rows()
            return
        with self.path.open("r", encoding=self.format.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=self.format.delimiter)
            next(reader, None)
            for number, cells in enumerate(reader, start=2):
                if any(cell.strip() for cell in cells):
                    yield number, cells

    def _json_rows(self) -> Iterator[tuple[int, list[str]]]:
        with self.path.open("r", encoding=self.format.encoding) as handle:
            for number, line in enumerate(handle, start=2):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    record = None
                if not isinstance(record, dict):
                    # A broken line becomes a row of one cell too many: reported, not fatal.
                    yield number, ["" for _ in self.header] + [line.strip()[:80]]
                    continue
                yield number, [_cell(record.get(key)) for key in self.header]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def open_table(path: Path) -> Table:
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return _open_jsonl(path)
    file_format = sniff(path)
    with path.open("r", encoding=file_format.encoding, newline="") as handle:
        header = next(csv.reader(handle, delimiter=file_format.delimiter), [])
    return Table(path, file_format, [h.strip() for h in header])


def _open_jsonl(path: Path) -> Table:
    """JSON lines (what `crmbot export --format jsonl` writes): the header is the keys of
    the first record, in order."""
    encoding = sniff_encoding(path)
    header: list[str] = []
    with path.open("r", encoding=encoding) as handle:
        for line in handle:
            if line.strip():
                try:
                    first = json.loads(line)
                except ValueError:
                    first = None
                if isinstance(first, dict):
                    header = [str(k) for k in first]
                break
    return Table(path, FileFormat(encoding, JSONL), header)


def count_rows(path: Path) -> int:
    """Lines in the file minus the header: the progress bar's total (quoted line breaks make
    it an overestimate, which a progress bar forgives)."""
    lines = 0
    last = b"\n"
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            lines += block.count(b"\n")
            last = block[-1:]
    if last != b"\n":
        lines += 1
    return max(lines - 1, 0)
