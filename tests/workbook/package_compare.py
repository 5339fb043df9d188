"""Part-by-part comparison of an annotated copy against its original (SPEC §7).

Each ``*_problems`` function returns a list of plain sentences, [] when the copy is right, so a
test asserts ``== []`` and a failure names every part, element or cell that went wrong.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .schema_order import order_problems

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_DOCUMENT = f"{REL}/officeDocument"
#: the parts of the register sheet the patch owns (SPEC §7): everything else in it is carried over
OWNED_SHEET_CHILDREN = {"sheetData", "dimension", "cols", "legacyDrawing"}
STYLE_LISTS = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs")
TIMESTAMPED = {"docProps/core.xml"}


def q(name: str) -> str:
    return f"{{{MAIN}}}{name}"


def canonical(element: etree._Element) -> bytes:
    """Exclusive C14N: the same bytes for the same element wherever its namespaces are declared."""
    return etree.tostring(element, method="c14n", exclusive=True)


def _resolve(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = source_part.rsplit("/", 1)[0].split("/") if "/" in source_part else []
    for step in target.split("/"):
        if step == "..":
            parts.pop()
        elif step not in (".", ""):
            parts.append(step)
    return "/".join(parts)


def rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


@dataclass
class Package:
    """A zip's members in order, read once."""

    path: Path
    names: list[str]
    data: dict[str, bytes]

    @classmethod
    def read(cls, path: Path) -> Package:
        with zipfile.ZipFile(path) as z:
            names = [i.filename for i in z.infolist()]
            return cls(Path(path), names, {n: z.read(n) for n in names})

    def facts(self, part: str) -> SheetFacts:
        """The worksheet ``part`` read once (a sheet formatted to the last row takes seconds)."""
        cache = self.__dict__.setdefault("_facts", {})
        if part not in cache:
            cache[part] = SheetFacts.read(self.data[part])
        return cache[part]

    def relationships(self, part: str) -> list[etree._Element]:
        name = rels_name(part)
        return list(etree.fromstring(self.data[name])) if name in self.data else []

    def related(self, part: str, rel_type_suffix: str) -> list[str]:
        """Internal targets of ``part``'s relationships whose type ends with ``rel_type_suffix``."""
        return [_resolve(part, r.get("Target")) for r in self.relationships(part)
                if r.get("Type", "").endswith(rel_type_suffix) and r.get("TargetMode") != "External"]

    @property
    def workbook(self) -> str:
        return next(_resolve("", r.get("Target")) for r in self.relationships("") if r.get("Type") == OFFICE_DOCUMENT)

    def sheets(self) -> list[etree._Element]:
        return list(etree.fromstring(self.data[self.workbook]).iter(q("sheet")))

    def sheet_part(self, name: str) -> str:
        """The part of the sheet called ``name``, through workbook.xml and its relationships."""
        rid = next(s.get(f"{{{REL}}}id") for s in self.sheets() if s.get("name") == name)
        target = next(r.get("Target") for r in self.relationships(self.workbook) if r.get("Id") == rid)
        return _resolve(self.workbook, target)

    def single(self, rel_type_suffix: str) -> str | None:
        found = self.related(self.workbook, rel_type_suffix)
        return found[0] if found else None


def allowed_to_change(original: Package, register: str) -> set[str]:
    """The parts SPEC §7 lets the copy change, resolved through the original's relationships."""
    sheet = original.sheet_part(register)
    allowed = {sheet, rels_name(sheet), original.workbook, rels_name(original.workbook),
               "[Content_Types].xml", "docProps/app.xml"}
    allowed |= set(original.related(sheet, "/comments")) | set(original.related(sheet, "/vmlDrawing"))
    for kind in ("/styles", "/sharedStrings"):
        part = original.single(kind)
        if part:
            allowed.add(part)
    return allowed


def removed_and_order_problems(original: Package, copy: Package) -> list[str]:
    """Nothing removed; the original members in their own order; added members after them."""
    problems = [f"{n} is missing from the copy" for n in original.names if n not in copy.data]
    kept = [n for n in copy.names if n in original.data]
    if kept != [n for n in original.names if n in copy.data]:
        problems.append("the original members are not in their original order")
    known = set(original.data)
    first_added = next((i for i, n in enumerate(copy.names) if n not in known), len(copy.names))
    late = [n for n in copy.names[first_added:] if n in known]
    if late:
        problems.append(f"original members after added ones: {late[:5]}")
    return problems


def byte_problems(original: Package, copy: Package, allowed: set[str]) -> list[str]:
    """Every member outside ``allowed`` is byte for byte the original (uncompressed content)."""
    return [f"{n} changed" for n in original.names
            if n not in allowed and n in copy.data and copy.data[n] != original.data[n]]


def _children(root: etree._Element) -> list[etree._Element]:
    return [c for c in root if isinstance(c.tag, str)]


def styles_problems(original: Package, copy: Package) -> list[str]:
    """styles.xml by appending only: each original list item unchanged and in place; the other
    top-level elements unchanged; the stylesheet in schema order."""
    part = original.single("/styles")
    if part is None:
        return []
    if copy.single("/styles") != part:
        return [f"the copy's styles part is {copy.single('/styles')}, not {part}"]
    before, after = etree.fromstring(original.data[part]), etree.fromstring(copy.data[part])
    problems = []
    for child in _children(before):
        name = etree.QName(child).localname
        other = after.find(child.tag)
        if other is None:
            problems.append(f"{part}: <{name}> removed")
            continue
        if name in STYLE_LISTS:
            old, new = _children(child), _children(other)
            for i, item in enumerate(old):
                if i >= len(new) or canonical(new[i]) != canonical(item):
                    problems.append(f"{part}: <{name}> item {i} changed or moved")
            if other.get("count") is not None and int(other.get("count")) != len(new):
                problems.append(f"{part}: <{name}> count={other.get('count')} but {len(new)} items")
        elif canonical(other) != canonical(child):
            problems.append(f"{part}: <{name}> changed")
    return problems


def shared_strings_problems(original: Package, copy: Package) -> list[str]:
    """The original shared strings unchanged and in place; new ones only appended."""
    part = original.single("/sharedStrings")
    if part is None:
        return []
    if copy.single("/sharedStrings") != part:
        return [f"the copy's shared strings part is {copy.single('/sharedStrings')}, not {part}"]
    old = etree.fromstring(original.data[part]).findall(q("si"))
    new = etree.fromstring(copy.data[part]).findall(q("si"))
    problems = [f"{part}: <si> {i} changed or moved" for i, si in enumerate(old)
                if i >= len(new) or canonical(new[i]) != canonical(si)]
    return problems


@dataclass
class SheetFacts:
    """A worksheet part read once, streaming its rows: the children outside sheetData kept whole,
    each row's attributes and each cell's value, type and formula."""

    root_tag: str
    children: list[tuple[str, etree._Element | None]]  # (local name, element; None for sheetData)
    rows: dict[int, dict[str, str]]
    cells: dict[str, tuple]
    styles: dict[str, str]
    max_column: int

    @classmethod
    def read(cls, xml: bytes) -> SheetFacts:
        # sheetData is cut out and read row by row (a register formatted to row 1,048,576 has a
        # million cell-less rows); the rest of the sheet is parsed whole.
        opening = re.search(rb"<((?:\w+:)?)sheetData\b[^>]*?(/?)>", xml)
        if opening is None:
            root = etree.fromstring(xml)
            return cls(root.tag, [(_local(c), c) for c in _children(root)], {}, {}, {}, 0)
        prefix = opening.group(1)
        if opening.group(2):
            body, after = b"", opening.end()
        else:
            close = xml.rindex(b"</" + prefix + b"sheetData>")
            body, after = xml[opening.end():close], close + len(prefix) + len(b"</sheetData>")
        root = etree.fromstring(xml[:opening.start()] + b"<" + prefix + b"sheetData/>" + xml[after:])
        children = [("sheetData", None) if c.tag == q("sheetData") else (_local(c), c) for c in _children(root)]
        declarations = b" ".join(re.findall(rb'xmlns(?::\w+)?="[^"]*"', xml[:xml.index(b">", xml.index(b"<", xml.index(b"?>") + 2 if xml.startswith(b"<?") else 0)) + 1]))
        rows, cells, styles, max_column = {}, {}, {}, 0
        parsed: dict[bytes, dict[str, str]] = {}
        found = _ROW.findall(body)
        if len(found) != body.count(b"<" + prefix + b"row"):
            raise ValueError("a <row> without r as its first attribute: the comparison cannot read this sheet")
        for number, rest, tail in found:
            if rest not in parsed:
                parsed[rest] = {k.decode(): v.decode() for k, v in _ATTRIBUTE.findall(rest) if k != b"spans"}
            rows[int(number)] = parsed[rest]
            if tail == b"/>":
                continue
            fragment = (b"<" + prefix + b"sheetData " + declarations + b"><" + prefix + b"row" + rest + tail
                        + b"</" + prefix + b"sheetData>")
            for c in etree.fromstring(fragment).iter(q("c")):
                ref = c.get("r")
                formula, value, inline = c.find(q("f")), c.find(q("v")), c.find(q("is"))
                cells[ref] = (c.get("t", "n"), value.text if value is not None else None,
                              canonical(formula) if formula is not None else None,
                              canonical(inline) if inline is not None else None, c.get("cm"), c.get("vm"))
                styles[ref] = c.get("s", "0")
                max_column = max(max_column, column_number(ref))
        return cls(root.tag, children, rows, cells, styles, max_column)


# a row: its number (the r attribute, which Excel writes first), its other attributes, its end
_ROW = re.compile(rb'<(?:\w+:)?row r="([0-9]+)"([^>]*?)(/>|>.*?</(?:\w+:)?row>)', re.S)
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def column_number(ref: str) -> int:
    n = 0
    for ch in ref:
        if ch.isalpha():
            n = n * 26 + ord(ch.upper()) - 64
        else:
            break
    return n


def _unowned(facts: SheetFacts) -> list[tuple[str, bytes]]:
    out = []
    for name, element in facts.children:
        if name in OWNED_SHEET_CHILDREN or element is None:
            continue
        if name == "autoFilter":
            element = etree.fromstring(canonical(element))
            element.attrib.pop("ref", None)
        out.append((name, canonical(element)))
    return out


def register_sheet_problems(original: Package, copy: Package, register: str) -> list[str]:
    """Inside the register sheet: every element the patch does not own unchanged and in place,
    the sheet in CT_Worksheet order, every original cell's value, type and formula kept (only its
    style may change), every row's attributes kept, new values only in the tool's columns."""
    part, copy_part = original.sheet_part(register), copy.sheet_part(register)
    before, after = original.facts(part), copy.facts(copy_part)
    problems = []
    old, new = _unowned(before), _unowned(after)
    if [n for n, _ in new] != [n for n, _ in old]:
        problems.append(f"{copy_part}: elements {[n for n, _ in old]} became {[n for n, _ in new]}")
    else:
        problems += [f"{copy_part}: <{n}> changed" for (n, a), (_, b) in zip(old, new, strict=True) if a != b]
    for ref, facts in before.cells.items():
        if after.cells.get(ref) != facts:
            problems.append(f"{register}!{ref}: {facts} became {after.cells.get(ref)}")
    for r, attrs in before.rows.items():
        if after.rows.get(r) != attrs:
            problems.append(f"{register} row {r}: attributes {attrs} became {after.rows.get(r)}")
    stray = sorted(ref for ref, facts in after.cells.items()
                   if ref not in before.cells and (facts[1] is not None or facts[3] is not None)
                   and column_number(ref) <= before.max_column)
    if stray:
        problems.append(f"{register}: values written inside the officer's columns: {stray[:10]}")
    return problems[:60]


def _skeleton(facts: SheetFacts) -> etree._Element:
    root = etree.Element(facts.root_tag)
    for _name, element in facts.children:
        root.append(etree.Element(q("sheetData")) if element is None else etree.fromstring(canonical(element)))
    return root


def workbook_problems(original: Package, copy: Package) -> list[str]:
    """The original <sheet> entries unchanged and first, in order; defined names unchanged and in
    their order; workbook.xml in CT_Workbook order."""
    problems = []
    old = [dict(s.attrib) for s in original.sheets()]
    new = [dict(s.attrib) for s in copy.sheets()]
    if new[:len(old)] != old:
        problems.append(f"sheets {old} became {new[:len(old)]}")
    def names(pkg: Package) -> list[tuple]:
        root = etree.fromstring(pkg.data[pkg.workbook])
        return [(d.get("name"), d.get("localSheetId"), _filter_range(d), d.get("hidden")) for d in root.iter(q("definedName"))]
    before, after = names(original), names(copy)
    missing = [n for n in before if n not in after]
    if missing:
        problems.append(f"defined names changed or removed: {missing[:10]}")
    elif [n for n in after if n in before] != before:
        problems.append("defined names reordered")
    return problems


def _filter_range(name: etree._Element) -> str | None:
    """A defined name's text; a filter's range without its last column, which follows the
    register's autoFilter when the tool's columns widen it (SPEC §7: workbook.xml may change)."""
    if name.get("name") == "_xlnm._FilterDatabase" and name.text:
        return re.sub(r":\$?[A-Z]{1,3}(\$?[0-9]+)$", r":*\1", name.text)
    return name.text


def schema_order_problems(original: Package, copy: Package, register: str) -> list[str]:
    """Every part the copy changes or adds that has a schema sequence is in it: workbook.xml,
    styles.xml, the shared strings, the register sheet, the register's notes, the added sheets."""
    parts = [copy.workbook, copy.single("/styles"), copy.single("/sharedStrings")]
    known = {s.get("name") for s in original.sheets()}
    sheet = copy.sheet_part(register)
    parts += copy.related(sheet, "/comments")
    parts += [copy.sheet_part(s.get("name")) for s in copy.sheets() if s.get("name") not in known]
    problems = [f"{sheet}: {p}" for p in order_problems(_skeleton(copy.facts(sheet)))]
    for part in parts:
        if part is not None and part in copy.data:
            problems += [f"{part}: {p}" for p in order_problems(copy.data[part])]
    return problems


def all_problems(original: Package, copy: Package, register: str) -> list[str]:
    """Every check above, for the harness's own tests and the fidelity table."""
    allowed = allowed_to_change(original, register)
    return (removed_and_order_problems(original, copy) + byte_problems(original, copy, allowed)
            + styles_problems(original, copy) + shared_strings_problems(original, copy)
            + register_sheet_problems(original, copy, register) + workbook_problems(original, copy)
            + schema_order_problems(original, copy, register))


def same_parts_problems(first: Package, second: Package) -> list[str]:
    """``second`` holds the same members as ``first``, in order, byte for byte (timestamps aside)."""
    problems = []
    if first.names != second.names:
        problems.append(f"members differ: only in the first {sorted(set(first.names) - set(second.names))[:8]}, "
                        f"only in the second {sorted(set(second.names) - set(first.names))[:8]}"
                        + ("" if set(first.names) != set(second.names) else "; same members, another order"))
    problems += [f"{n} differs" for n in first.names
                 if n in second.data and n not in TIMESTAMPED and first.data[n] != second.data[n]]
    return problems
