"""The element order ECMA-376 (Part 1, transitional) prescribes for the parts the annotated copy
changes or adds. Excel "repairs" a workbook whose elements are out of sequence (and drops what it
cannot place); LibreOffice reads it without a word. So every changed part is checked here.

Only SpreadsheetML-main children are ordered; foreign-namespace extension elements Excel writes
(``xr:revisionPtr``, ``x15ac:absPath`` inside ``mc:AlternateContent``) are allowed where they are.
An ``mc:AlternateContent`` takes the place of the main element its first Choice holds.
"""

from __future__ import annotations

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

#: CT_Worksheet (18.3.1.99)
WORKSHEET = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols*", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
    "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting*", "dataValidations",
    "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks",
    "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
    "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst",
)
#: CT_Chartsheet (18.3.1.12)
CHARTSHEET = (
    "sheetPr", "sheetViews", "sheetProtection", "customSheetViews", "pageMargins", "pageSetup",
    "headerFooter", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture",
    "webPublishItems", "extLst",
)
#: CT_Workbook (18.2.27)
WORKBOOK = (
    "fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
    "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize",
    "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
    "fileRecoveryPr", "webPublishObjects", "extLst",
)
#: CT_Stylesheet (18.8.39)
STYLESHEET = (
    "numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
    "tableStyles", "colors", "extLst",
)
#: CT_Comments (18.7.6)
COMMENTS = ("authors", "commentList", "extLst")
#: CT_Sst (18.4.9)
SST = ("si*", "extLst")

SEQUENCES = {
    "worksheet": WORKSHEET, "chartsheet": CHARTSHEET, "workbook": WORKBOOK,
    "styleSheet": STYLESHEET, "comments": COMMENTS, "sst": SST,
}


def _sequence(root: etree._Element) -> tuple[str, ...]:
    name = etree.QName(root).localname
    if name not in SEQUENCES:
        raise KeyError(f"no schema sequence known for <{name}>")
    return SEQUENCES[name]


def _place(child: etree._Element) -> str | None:
    """The main-namespace local name ``child`` stands for, or None when it is not ordered."""
    if not isinstance(child.tag, str):  # comments, processing instructions
        return None
    q = etree.QName(child)
    if q.namespace == MAIN:
        return q.localname
    if q.namespace == MC and q.localname == "AlternateContent":
        for branch in child:
            for inner in branch:
                if isinstance(inner.tag, str):
                    return _place(inner)
    return None


def order_problems(xml: bytes | etree._Element) -> list[str]:
    """What is out of CT_* order in a part: [] when every child is in sequence, once each where
    the schema allows one."""
    root = etree.fromstring(xml) if isinstance(xml, bytes) else xml
    sequence = _sequence(root)
    names = [s.rstrip("*") for s in sequence]
    repeatable = {s.rstrip("*") for s in sequence if s.endswith("*")}
    problems, last, seen = [], -1, set()
    for child in root:
        name = _place(child)
        if name is None:
            continue
        if name not in names:
            problems.append(f"<{name}> is not a child of <{etree.QName(root).localname}>")
            continue
        at = names.index(name)
        if at < last:
            problems.append(f"<{name}> after <{names[last]}>")
        if name in seen and name not in repeatable:
            problems.append(f"<{name}> twice")
        seen.add(name)
        last = max(last, at)
    return problems


def insert_in_order(parent: etree._Element, element: etree._Element) -> etree._Element:
    """Insert ``element`` into ``parent`` where its schema sequence puts it; returns it."""
    names = [s.rstrip("*") for s in _sequence(parent)]
    at = names.index(etree.QName(element).localname)
    for child in parent:
        name = _place(child)
        if name is not None and name in names and names.index(name) > at:
            child.addprevious(element)
            return element
    parent.append(element)
    return element
