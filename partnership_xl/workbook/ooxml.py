"""The workbook part and its sheets: ``workbook.xml`` + its relationships, read once.

:class:`WorkbookMap` knows each sheet's name, id, relationship id, part and state, and adds or
removes sheets the way the annotated copy needs (SPEC §7): new sheets are appended at the end of
``<sheets>``, so existing sheet ids, relationship ids and defined names' ``localSheetId`` keep
their meaning; defined names for the new sheets (print titles, filter) are appended too.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .package import (
    CT_WORKSHEET,
    NS_MAIN,
    NS_R,
    NS_STRICT_MAIN,
    REL_OFFICE_DOCUMENT,
    REL_WORKSHEET,
    Package,
    PackageError,
    parse_xml,
    resolve,
    serialize,
)

#: Excel's content types of a workbook part; templates become workbooks in the copy.
WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": ("xlsx", None),
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ("xlsm", None),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml":
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "application/vnd.ms-excel.template.macroEnabled.main+xml": ("xlsm", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
}

#: CT_Workbook's children in schema order (ECMA-376 Part 1, §18.2.27).
WORKBOOK_ORDER = ("fileVersion", "fileSharing", "workbookPr", "AlternateContent", "absPath", "workbookProtection", "bookViews",
                  "sheets", "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize", "customWorkbookViews",
                  "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")


def q(tag: str) -> str:
    return f"{{{NS_MAIN}}}{tag}"


def local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def same_element(e) -> tuple:
    """An element as a value: equal for elements equal in name, attributes, text and children, however written."""
    if not isinstance(e.tag, str):
        return ()
    return (e.tag, tuple(sorted(e.attrib.items())), (e.text or "").strip(), tuple(same_element(c) for c in e if isinstance(c.tag, str)))


def insert_in_order(parent, element, order: tuple[str, ...], alternate=None) -> None:
    """Insert ``element`` among ``parent``'s children at its place in the schema's sequence.

    ``alternate(e)`` names the element an ``mc:AlternateContent`` child stands for, so it is
    ranked as that element.
    """
    rank = order.index(local(element))
    for i, child in enumerate(parent):
        name = local(child)
        if name == "AlternateContent" and alternate is not None:
            name = alternate(child)
        if name in order and order.index(name) > rank:
            parent.insert(i, element)
            return
    parent.append(element)


@dataclass
class Sheet:
    name: str
    sheet_id: int
    rel_id: str
    part: str | None  # member name; None for a sheet whose relationship is missing
    state: str  # visible, hidden, veryHidden
    is_worksheet: bool


class WorkbookMap:
    """``workbook.xml`` parsed once: the sheets, in order, with their parts."""

    def __init__(self, package: Package):
        self.package = package
        offices = [target for _, target in package.targets("", REL_OFFICE_DOCUMENT)]
        if not offices:
            raise PackageError("the package has no workbook part")
        self.part = package.find(offices[0]) or offices[0]
        self.root = parse_xml(package.get(self.part))
        if etree.QName(self.root).namespace == NS_STRICT_MAIN:
            raise PackageError("the workbook is saved as Strict Open XML")
        if etree.QName(self.root).namespace != NS_MAIN:
            raise PackageError("the workbook part is not a SpreadsheetML workbook")
        self.content_type = package.content_type(self.part) or ""
        self.rels = {rel.id: rel for rel in package.rels(self.part)}
        self.sheets: list[Sheet] = []
        sheets = self.root.find(q("sheets"))
        for e in (sheets if sheets is not None else []):
            if local(e) != "sheet":
                continue
            rel = self.rels.get(e.get(f"{{{NS_R}}}id", ""))
            part = package.find(resolve(self.part, rel.target)) if rel is not None and not rel.external else None
            self.sheets.append(Sheet(e.get("name", ""), int(e.get("sheetId", "0") or 0), e.get(f"{{{NS_R}}}id", ""), part,
                                     e.get("state", "visible"), rel is not None and rel.type == REL_WORKSHEET))

    @property
    def kind(self) -> str:
        """'xlsx' or 'xlsm': what the copy is."""
        return WORKBOOK_TYPES.get(self.content_type, ("xlsx", None))[0]

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)

    def save(self) -> None:
        self.package.set(self.part, serialize(self.root))

    def make_workbook(self) -> None:
        """A template (.xltx/.xltm) becomes a workbook in the copy."""
        becomes = WORKBOOK_TYPES.get(self.content_type, (None, None))[1]
        if becomes:
            self.package.set_override(self.part, becomes)
            self.content_type = becomes

    def add_sheet(self, name: str, part: str, xml: bytes | list) -> int:
        """Append worksheet ``name`` (its part holding ``xml``) at the end; return its 0-based index."""
        self.package.set(part, xml)
        self.package.set_override(part, CT_WORKSHEET)
        rel_id = self.package.add_rel(self.part, REL_WORKSHEET, part)
        sheets = self.root.find(q("sheets"))
        sheet_id = max((s.sheet_id for s in self.sheets), default=0) + 1
        e = etree.SubElement(sheets, q("sheet"), name=name, sheetId=str(sheet_id))
        e.set(f"{{{NS_R}}}id", rel_id)
        self.sheets.append(Sheet(name, sheet_id, rel_id, part, "visible", True))
        return len(self.sheets) - 1

    def remove_sheet(self, name: str) -> None:
        """Remove sheet ``name``, its part, relationship and defined names; later names' indexes shift down."""
        sheet = self.sheet(name)
        if sheet is None:
            return
        index = self.sheets.index(sheet)
        sheets = self.root.find(q("sheets"))
        for e in list(sheets):
            if local(e) == "sheet" and e.get("name") == name:
                sheets.remove(e)
        names = self.root.find(q("definedNames"))
        for e in list(names if names is not None else []):
            local_id = e.get("localSheetId")
            if local_id is None or not local_id.isdigit():
                continue
            if int(local_id) == index:
                names.remove(e)
            elif int(local_id) > index:
                e.set("localSheetId", str(int(local_id) - 1))
        if names is not None and not len(names):
            self.root.remove(names)
        for view in self.root.iter(q("workbookView")):
            for attr in ("activeTab", "firstSheet"):
                value = view.get(attr)
                if value is not None and value.isdigit() and int(value) >= index and int(value) > 0:
                    view.set(attr, str(int(value) - 1))
        self.package.remove_rel(self.part, sheet.rel_id)
        if sheet.part:
            from .package import rels_name

            self.package.remove(sheet.part)
            self.package.remove(rels_name(sheet.part))
            self.package.set_override(sheet.part, None)
        self.sheets.remove(sheet)

    def add_defined_name(self, name: str, local_sheet: int, text: str, hidden: bool = False) -> None:
        names = self.root.find(q("definedNames"))
        if names is None:
            names = etree.Element(q("definedNames"))
            insert_in_order(self.root, names, WORKBOOK_ORDER)
        e = etree.SubElement(names, q("definedName"), name=name, localSheetId=str(local_sheet))
        if hidden:
            e.set("hidden", "1")
        e.text = text
