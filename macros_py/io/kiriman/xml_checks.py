"""XML checks every part gets before anyone parses it for content: UTF-8 only, no DOCTYPE/ENTITY, well-formed,
not nested deeper than ``KEDALAMAN_XML_MAKS``.

The fast path uses only C-speed byte operations (counts, replaces, expat without callbacks); XML that is not
plain markup (comments, CDATA) takes the exact expat walk, whose Python callbacks spend a per-file budget.
"""

from __future__ import annotations

import re
from typing import Final
from xml.parsers import expat

from macros_py.io.kiriman.model import Reject

#: Deepest element nesting accepted in any XML part. Excel's own parts stay under ~20 levels; anything
#: deeper is an attack on recursive parsers and is refused.
KEDALAMAN_XML_MAKS: Final = 100

_RE_XML_ENCODING: Final = re.compile(rb'encoding\s*=\s*["\']([A-Za-z0-9._-]{1,40})["\']')
_DEPTH_MARKS: Final = b"<\x02\x03"
_DEPTH_DROP: Final = bytes(b for b in range(256) if b not in _DEPTH_MARKS)


def doctype_message(where: str) -> str:
    return f"{where} berisi deklarasi DOCTYPE/ENTITY (berpotensi berbahaya); berkas ditolak"


def collect_elements(content: bytes, wanted: str, where: str, budget: list[int]) -> list[dict[str, str]]:
    """Attributes (raw qualified names, as calamine matches them) of every element with this local name."""
    found: list[dict[str, str]] = []
    depth = [0]

    def start(name: str, attrs: dict[str, str]) -> None:
        spend(budget)
        depth[0] += 1
        if depth[0] > KEDALAMAN_XML_MAKS:
            raise Reject(depth_message(where))
        if local_name(name) == wanted:
            found.append(attrs)

    def end(_name: str) -> None:
        depth[0] -= 1

    check_encoding(content, where)
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise Reject(doctype_message(where))
    parser = new_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parse(parser, content, where)
    return found


def local_name(name: str) -> str:
    """quick-xml's local name: everything after the first colon."""
    return name.split(":", 1)[1] if ":" in name else name


def depth_message(where: str) -> str:
    return f"{where} bersarang terlalu dalam (lebih dari {KEDALAMAN_XML_MAKS} tingkat); berkas ditolak"


def _refuse_doctype(*_args: object) -> None:
    raise Reject("berisi deklarasi DOCTYPE/ENTITY (berpotensi berbahaya); berkas ditolak")


def new_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate(encoding="utf-8")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def parse(parser: expat.XMLParserType, content: bytes, where: str) -> None:
    try:
        parser.Parse(content, True)
    except expat.ExpatError as exc:
        raise Reject(f"{where} rusak (XML tidak sah di baris {exc.lineno}); simpan ulang dari Excel") from exc


def check_encoding(content: bytes, where: str) -> None:
    """Only UTF-8 XML is accepted: the byte-level scans below rely on an ASCII-compatible encoding."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:4]:
        raise Reject(f"{where} memakai pengodean teks yang tidak didukung (harus UTF-8); simpan ulang dari Excel")
    head = content[3:] if content.startswith(b"\xef\xbb\xbf") else content
    if head.startswith(b"<?xml"):
        end = head.find(b"?>", 0, 512)
        if end < 0:
            raise Reject(f"{where} rusak (deklarasi XML tidak lengkap); simpan ulang dari Excel")
        match = _RE_XML_ENCODING.search(head, 0, end)
        if match is not None and match.group(1).lower() not in (b"utf-8", b"utf8"):
            raise Reject(f"{where} memakai pengodean teks yang tidak didukung (harus UTF-8); simpan ulang dari Excel")


def plain_markup(content: bytes) -> bool:
    """True when every '<' opens a tag or PI and every '>' closes one (no comments, CDATA, or raw '>' in
    text or attribute values). For well-formed XML this makes byte counting an exact tag count."""
    return b"<!" not in content and content.count(b"<") == content.count(b">")


def validate(content: bytes, where: str) -> None:
    """Well-formedness at C speed (no element callbacks): duplicate attributes, bad nesting, raw '<'."""
    parse(new_parser(), content, where)


def fast_depth(content: bytes) -> int | None:
    """Nesting depth of well-formed, plain-markup XML using byte replaces only (no Python per element).

    Tags become one byte each: '<' opens, 0x02 closes ('</'), 0x03 closes an empty element ('/>').
    Empty elements are dropped first; then each pass removes the innermost level. Returns an upper
    bound (+1 for empty leaves), or None if the structure does not reduce (caller falls back to expat).
    """
    marks = content.replace(b"<?", b"").replace(b"</", b"\x02").replace(b"/>", b"\x03")
    marks = marks.translate(None, _DEPTH_DROP).replace(b"<\x03", b"")
    depth = 0
    while marks:
        depth += 1
        if depth > KEDALAMAN_XML_MAKS:
            return depth
        reduced = marks.replace(b"<\x02", b"")
        if len(reduced) == len(marks):
            return None
        marks = reduced
    return depth + 1


def spend(budget: list[int]) -> None:
    """One element visited by a Python callback; refuse once the per-file budget is used up."""
    budget[0] -= 1
    if budget[0] < 0:
        raise Reject(
            "struktur XML tidak lazim dan terlalu besar untuk diperiksa; "
            "buka di Excel lalu simpan ulang sebagai .xlsx"
        )


def exact_depth(content: bytes, where: str, budget: list[int]) -> None:
    depth = [0]

    def start(_name: str, _attrs: object) -> None:
        spend(budget)
        depth[0] += 1
        if depth[0] > KEDALAMAN_XML_MAKS:
            raise Reject(depth_message(where))

    def end(_name: str) -> None:
        depth[0] -= 1

    parser = new_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parse(parser, content, where)


def check_xml(content: bytes, where: str, budget: list[int]) -> None:
    """Any XML part: UTF-8, no DOCTYPE/ENTITY, well-formed, not nested deeper than the limit."""
    check_encoding(content, where)
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise Reject(doctype_message(where))
    if plain_markup(content):
        validate(content, where)
        depth = fast_depth(content)
        if depth is not None:
            if depth > KEDALAMAN_XML_MAKS:
                raise Reject(depth_message(where))
            return
    exact_depth(content, where, budget)
