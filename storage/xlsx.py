"""A one-sheet Excel workbook (.xlsx) written as a stream, for the report's large tables.

A workbook is a zip of XML parts (ECMA-376 Part 1, SpreadsheetML: the package parts in §12.2, the
worksheet's sheetData, row and c elements in §18.3.1). The sheet's rows are written as they come,
and may arrive as ready-made XML from the database (storage.surveys builds the answers' rows in
SQL), so a million rows cost no Python object per cell. Text cells are inline strings, or, for
text a large sheet repeats on every row (course ids, question ids, answer labels), entries of a
shared string table (§18.4) known before the rows (SharedStrings): a row then holds a short
reference instead of the text and its markup, which halves the sheet's XML. Numbers are plain
values, and rows and cells carry no references (optional in the schema; readers count them in
order).

Cell rules, the same for every caller: a cell of ASCII digits with no leading zero (or "0") and
fewer than 15 digits, optionally with up to six decimal places ("62.5", a response rate), is a
number, so counts add up and rates can be charted in Excel; anything else is text, made inert as
in the CSVs (a leading apostrophe before = + - @ tab or CR), so it never runs as a formula.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from typing import IO, Any

EXCEL_MAX_ROWS = 1_048_576  # a worksheet's limit, header included
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"(?:0|[1-9][0-9]{0,13})(?:\.[0-9]{1,6})?")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{shared}</Types>"
)
_SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_PACKAGE_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>{{shared}}</Relationships>'
)
_SHARED_REL = f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
# The least a stylesheet may hold for Excel to open the file without a repair prompt.
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
SHEET_START = f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>'
SHEET_END = "</sheetData></worksheet>"
# XML 1.0 refuses most control characters even as references: they are left out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """Text for an XML element's content."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return _NOT_XML.sub("", text)


def text_cell(text: str) -> str:
    """An inline-string cell; surrounding spaces are kept (xml:space), as a reader expects."""
    inert = "'" + text if text[:1] in _FORMULA_STARTS else text
    space = ' xml:space="preserve"' if inert != inert.strip() else ""
    return f'<c t="inlineStr"><is><t{space}>{escape(inert)}</t></is></c>'


def cell(value: str) -> str:
    """One cell by the rules above."""
    if _NUMBER.fullmatch(value):
        return f"<c><v>{value}</v></c>"
    return text_cell(value)


def row(values: Iterable[str]) -> str:
    return "<row>" + "".join(cell(v) for v in values) + "</row>"


# Line breaks and tabs as character references, so a reader keeps a CR as written (a literal one
# reads as a line feed) and the table's text matches the inline cells' (storage.surveys).
_BREAKS = str.maketrans({"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})
_SPACE = ' xml:space="preserve"'


class SharedStrings:
    """A shared string table filled before the rows: `cell` gives a cell by the rules above whose
    text, if it is text, is an entry of the table. SheetWriter writes the table at the end."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}

    def clear(self) -> None:
        self._index.clear()

    def cell(self, value: str) -> str:
        if _NUMBER.fullmatch(value):
            return f"<c><v>{value}</v></c>"
        inert = "'" + value if value[:1] in _FORMULA_STARTS else value
        return f'<c t="s"><v>{self._index.setdefault(inert, len(self._index))}</v></c>'

    def xml(self) -> str:
        entries = "".join(
            f"<si><t{_SPACE if text != text.strip() else ''}>{escape(text).translate(_BREAKS)}</t></si>"
            for text in self._index
        )
        return f'{_HEAD}<sst xmlns="{_MAIN}" uniqueCount="{len(self._index)}">{entries}</sst>'


class SheetWriter:
    """A workbook of one sheet named `sheet`, written into `handle` (a binary file) as rows come.

    Use as a context manager; `write_xml` takes rows already in the sheet's XML (`<row>...</row>`,
    as `row` makes them), `write_rows` takes rows of strings. Deflate at level 1: the XML is very
    repetitive, so the fastest level already shrinks it about tenfold."""

    def __init__(self, handle: IO[bytes], sheet: str, shared: SharedStrings | None = None) -> None:
        self._shared = shared
        self._zip = zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._zip.writestr(
            "[Content_Types].xml", _CONTENT_TYPES.format(shared=_SHARED_TYPE if shared is not None else "")
        )
        self._zip.writestr("_rels/.rels", _PACKAGE_RELS)
        self._zip.writestr(
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{escape(sheet[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        self._zip.writestr(
            "xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(shared=_SHARED_REL if shared is not None else "")
        )
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._sheet.write(SHEET_START.encode())

    def write_xml(self, rows_xml: str | bytes) -> None:
        self._sheet.write(rows_xml.encode() if isinstance(rows_xml, str) else rows_xml)

    def write_rows(self, rows: Iterable[Iterable[str]], *, limit: int = EXCEL_MAX_ROWS) -> int:
        """Write up to `limit` rows; returns how many were written."""
        written = 0
        batch: list[str] = []
        for values in rows:
            if written >= limit:
                break
            batch.append(row(values))
            written += 1
            if len(batch) == 5000:
                self.write_xml("".join(batch))
                batch.clear()
        self.write_xml("".join(batch))
        return written

    def close(self) -> None:
        self._sheet.write(SHEET_END.encode())
        self._sheet.close()
        if self._shared is not None:
            self._zip.writestr("xl/sharedStrings.xml", self._shared.xml())
        self._zip.close()

    def __enter__(self) -> SheetWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
