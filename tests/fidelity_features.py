"""What an Excel package carries, read from its parts: the features of the fidelity corpus.

Each feature is detected from the zip alone (content types, part names, a few XML markers), so
the corpus's SOURCES.md and docs/fidelity.md can say what each file tests without opening Excel.

    python -m tests.fidelity_features tests/data/fidelity/*.xlsx
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"

#: feature → a content type fragment that marks it (matched against each part's content type)
BY_CONTENT_TYPE = {
    "threaded comments": "threadedcomments+xml",
    "legacy notes": "spreadsheetml.comments+xml",
    "slicers": "slicer+xml",
    "timelines": "timeline+xml",
    "form controls": "controlproperties+xml",
    "ActiveX": "activex",
    "pivot tables": "pivottable+xml",
    "pivot cache records": "pivotcacherecords+xml",
    "VBA": "vbaproject",
    "chart sheets": "chartsheet+xml",
    "external links": "externallink+xml",
    "query tables": "querytable+xml",
    "data connections": "connections+xml",
    "tables": "spreadsheetml.table+xml",
    "charts": "drawingml.chart+xml",
    "chart styles": "chartstyle+xml",
    "SmartArt": "diagramdata+xml",
    "printer settings": "printersettings",
    "calc chain": "calcchain+xml",
    "template": "template.main+xml",
    "macro template": "template.macroenabled",
    "macro-enabled": "sheet.macroenabled",
    "in-cell pictures": "rdrichvalue",
    "cell metadata": "sheetmetadata+xml",
    "XML maps": "xmlmaps+xml",
    "custom properties": "custom-properties+xml",
    "themes": "theme+xml",
    "dialog sheets": "dialogsheet+xml",
    "images": "image/",
    "embedded objects": "oleobject",
    "person list": "person+xml",
    "checkboxes (feature property bag)": "featurepropertybag",
}

#: feature → a regex searched in the worksheet parts
IN_SHEETS = {
    "sparklines": rb"<(?:\w+:)?sparklineGroups",
    "x14 data validations": rb"<(?:\w+:)?dataValidations[^>]*xmlns(?::\w+)?=\"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main|<x14:dataValidations",
    "x14 conditional formats": rb"<x14:conditionalFormattings",
    "data bars": rb"<(?:\w+:)?dataBar",
    "icon sets": rb"<(?:\w+:)?iconSet",
    "data validations": rb"<dataValidations",
    "conditional formats": rb"<conditionalFormatting",
    "merged cells": rb"<mergeCells",
    "autofilter": rb"<autoFilter",
    "frozen panes": rb"<pane [^>]*state=\"frozen",
    "sheet protection": rb"<sheetProtection",
    "hyperlinks": rb"<hyperlinks",
    "array formulas": rb"<f [^>]*t=\"array\"",
    "dynamic arrays": rb"<c [^>]*cm=\"",
    "shared formulas": rb"<f [^>]*t=\"shared\"",
    "rich text in cells": rb"<is><r>",
}

#: feature → a regex searched in the drawing parts
IN_DRAWINGS = {
    "shapes": rb"<xdr:sp[ >]",
    "text boxes": rb"txBox=\"1\"",
    "grouped shapes": rb"<xdr:grpSp[ >]",
    "slicer in drawing": rb"sle:slicer|slicer\"",
    "chart grouped with a slicer": None,  # computed: a grpSp holding a graphicFrame chart and a slicer
}


def _types(z: zipfile.ZipFile) -> dict[str, str]:
    """Part name (no leading slash) → content type, with Defaults applied by extension."""
    root = etree.fromstring(z.read("[Content_Types].xml"))
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in root.iter(f"{{{CT}}}Default")}
    overrides = {o.get("PartName").lstrip("/"): o.get("ContentType") for o in root.iter(f"{{{CT}}}Override")}
    types = {}
    for name in z.namelist():
        if name.endswith("/"):
            continue
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        types[name] = overrides.get(name) or defaults.get(ext, "")
    return types


def application(z: zipfile.ZipFile) -> str:
    """The application (and version) docProps/app.xml names, or '' when there is none."""
    try:
        xml = z.read("docProps/app.xml")
    except KeyError:
        return ""
    app = re.search(rb"<(?:\w+:)?Application>([^<]*)<", xml)
    ver = re.search(rb"<(?:\w+:)?AppVersion>([^<]*)<", xml)
    text = app.group(1).decode() if app else ""
    return f"{text} {ver.group(1).decode()}" if ver else text


def sheet_entries(z: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(name, part name, content type) of each sheet in workbook order."""
    types = _types(z)
    wb_part = next(n for n, t in types.items() if t.endswith(".main+xml"))
    wb = etree.fromstring(z.read(wb_part))
    base = wb_part.rsplit("/", 1)[0]
    rels_name = f"{base}/_rels/{wb_part.rsplit('/', 1)[1]}.rels"
    rels = {r.get("Id"): r.get("Target") for r in etree.fromstring(z.read(rels_name))}
    out = []
    for s in wb.iter(f"{{{MAIN}}}sheet"):
        target = rels[s.get(f"{{{REL}}}id")]
        part = target.lstrip("/") if target.startswith("/") else f"{base}/{target}"
        out.append((s.get("name"), part, types.get(part, "")))
    return out


def features(path: Path | str) -> list[str]:
    """The corpus features a package carries, in BY_CONTENT_TYPE / IN_SHEETS / IN_DRAWINGS order."""
    found: list[str] = []
    with zipfile.ZipFile(path) as z:
        types = _types(z)
        lowered = {n: t.lower() for n, t in types.items()}
        for feature, marker in BY_CONTENT_TYPE.items():
            if any(marker in t for t in lowered.values()):
                found.append(feature)
        if any(n.lower().endswith("xmlmaps.xml") for n in types):
            found.append("XML maps")
        if any(n.startswith("customXml/item") for n in types):
            found.append("custom XML")
        sheets = [z.read(n) for n, t in lowered.items() if t.endswith("worksheet+xml")]
        for feature, pattern in IN_SHEETS.items():
            if any(re.search(pattern, x) for x in sheets):
                found.append(feature)
        drawings = [z.read(n) for n, t in lowered.items() if t.endswith("drawing+xml")]
        for feature, pattern in IN_DRAWINGS.items():
            if pattern is not None and any(re.search(pattern, x) for x in drawings):
                found.append(feature)
        if any(_chart_grouped_with_slicer(x) for x in drawings):
            found.append("chart grouped with a slicer")
        vml = [z.read(n) for n, t in lowered.items() if n.lower().endswith(".vml") or "vmldrawing" in t]
        if vml:
            found.append("VML drawings")
        if any(re.search(rb'ObjectType="(?:Button|Checkbox|Drop|List|Radio|Spin|Scroll|GBox|Label)"', x) for x in vml):
            found.append("form controls in VML")
        if _rich_text_trailing_space(z, types):
            found.append("rich text with trailing spaces")
        found += _name_features(z)
    return found


def _chart_grouped_with_slicer(drawing: bytes) -> bool:
    for group in re.findall(rb"<xdr:grpSp>.*?</xdr:grpSp>", drawing, flags=re.S):
        if b"drawingml/2006/chart" in group and b"slicer" in group:
            return True
    return False


def _rich_text_trailing_space(z: zipfile.ZipFile, types: dict[str, str]) -> bool:
    part = next((n for n, t in types.items() if t.endswith("sharedStrings+xml")), None)
    if part is None:
        return False
    xml = z.read(part)
    return re.search(rb"<r>(?:(?!</r>).)*<t xml:space=\"preserve\">[^<]*[ \t]</t>", xml, flags=re.S) is not None


def _name_features(z: zipfile.ZipFile) -> list[str]:
    """Chart sheets between worksheets, sheet-scoped defined names."""
    out = []
    entries = sheet_entries(z)
    kinds = ["chart" if t.endswith("chartsheet+xml") else "work" for _, _, t in entries]
    if "chart" in kinds and "work" in kinds[kinds.index("chart"):]:
        out.append("chart sheet between worksheets")
    types = _types(z)
    wb_part = next(n for n, t in types.items() if t.endswith(".main+xml"))
    xml = z.read(wb_part)
    if re.search(rb"<definedName [^>]*localSheetId=", xml):
        out.append("sheet-scoped defined names")
    elif b"<definedName " in xml:
        out.append("defined names")
    return out


def main(argv: list[str]) -> int:
    for name in argv:
        print(f"{Path(name).name}\t{application(zipfile.ZipFile(name))}\t{', '.join(features(name))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
