"""What the annotated copy cannot carry over from the officer's workbook, found before writing.

openpyxl, which writes the copy, reads cells, styles, merged ranges, validations, conditional
formats, defined names, tables, notes, charts, pictures and pivot tables, and silently leaves out
the rest: drawn shapes, form controls, Excel 2010+ extensions (sparklines, slicers, some
validations and conditional formats), macros and more (docs/fidelity.md has the tested list).
:func:`detect_losses` looks inside the .xlsx zip, without loading the workbook, and names each
kind it finds in one sentence; :func:`reconcile` adds what openpyxl reported or failed to read.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring
from openpyxl.reader import drawings as openpyxl_drawings
from openpyxl.workbook import Workbook

_OPENXML_MAIN = ("spreadsheetml.sheet.main+xml", "spreadsheetml.template.main+xml",
                 "ms-excel.sheet.macroEnabled.main+xml", "ms-excel.template.macroEnabled.main+xml")
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

# Elements after <sheetData> that openpyxl drops, as an officer would name them.
_SHEET_ELEMENTS = {
    "ignoredErrors": "Excel's 'ignore error' settings (the green error triangles they hid will show again)",
    "picture": "a background picture",
    "legacyDrawingHF": "pictures in the page header or footer",
    "protectedRanges": "protected ranges (ranges unlocked with their own password)",
    "customSheetViews": "custom views",
    "sortState": "a saved sort order",
    "cellWatches": "cell watches",
    "dataConsolidate": "data consolidation settings",
    "smartTags": "smart tags",
    "webPublishItems": "web publishing settings",
}
# Elements after <sheetData> that openpyxl keeps (or rebuilds: calculation settings).
_SHEET_KEPT = {"sheetProtection", "autoFilter", "mergeCells", "conditionalFormatting", "dataValidations",
               "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks",
               "colBreaks", "drawing", "legacyDrawing", "tableParts", "scenarios", "sheetCalcPr",
               "phoneticPr", "extLst", "AlternateContent", "sheetData"}

# Worksheet extensions (<ext uri>): what they hold, and the element counted in them.
_EXTENSIONS = {
    "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}": ("dataValidation", "data validation{s} using Excel 2010 features (usually a drop-down list taken from another sheet)"),
    "{78C0D931-6437-407D-A8EE-F0AAD7539E65}": ("cfRule", "conditional format{s} using Excel 2010 features (data bar details, icon sets, rules referring to other sheets)"),
    "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}": ("sparkline", "sparkline{s}"),
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}": ("slicer", "slicer{s}"),
    "{3A4CF648-6AED-40F4-86FF-DC5316D8AED3}": ("slicer", "table slicer{s}"),
    "{7E03D99C-DC04-49D9-9315-930204A7B6E9}": ("timelineRef", "timeline{s}"),
}

# Parts openpyxl does not carry over, by the end of their content type, when nothing above has
# already named them: (what they are, what it means for the copy).
_PARTS = {
    "vbaProject": ("macros (VBA)", "the copy is a plain .xlsx workbook"),
    "threadedcomments+xml": ("threaded comments", "each stays as a plain note"),
    "printerSettings": ("printer settings", "the page setup itself is kept"),
    "connections+xml": ("data connections", "queries in the copy cannot be refreshed"),
    "queryTable+xml": ("query table settings", "the data stays"),
    "chartstyle+xml": ("chart style and colour presets", "each chart keeps its own formatting"),
    "webextension+xml": ("Office add-ins", ""),
    "model+data": ("a Data Model (Power Pivot)", ""),
    "customXmlProperties+xml": ("custom XML data (e.g. SharePoint document properties)", ""),
    "customProperty": ("custom sheet properties", ""),
    "inkml+xml": ("ink drawings", ""),
}
_PARTS_COVERED = ("controlproperties", "oleObject", "slicer", "timeline", "person+xml", "chartcolorstyle",
                  "diagram", "richvalue", "richstyles", "rdarray", "rdsupporting",
                  "sheetMetadata", "activeX", "webextensiontaskpanes", "customXml", "chartex",
                  "vbaProjectSignature", "vbaData")
_PARTS_KEPT = ("sheet.main+xml", "template.main+xml", "macroEnabled.main+xml", "worksheet+xml",
               "chartsheet+xml", "sharedStrings+xml", "styles+xml", "theme+xml", "drawing+xml",
               "drawingml.chart+xml", "comments+xml", "vmlDrawing", "table+xml", "pivotTable+xml",
               "pivotCacheDefinition+xml", "pivotCacheRecords+xml", "externalLink+xml",
               "core-properties+xml", "extended-properties+xml", "custom-properties+xml",
               "calcChain+xml", "relationships+xml", "application/xml", "image/")


@dataclass
class Inventory:
    """What was found in the zip: the loss sentences, and the charts and pictures openpyxl should keep."""

    losses: list[str] = field(default_factory=list)
    charts: Counter = field(default_factory=Counter)
    pictures: Counter = field(default_factory=Counter)


def detect_losses(path: Path) -> list[str]:
    """One plain sentence for each kind of thing in the workbook that the annotated copy will not hold.

    Reads the parts of the .xlsx zip (never the whole workbook). Empty when nothing is lost, e.g.
    ``["2 text boxes or shapes on sheet 'Pivot' (openpyxl does not keep them)"]``. For a register
    openpyxl cannot open (.xls, .xlsb, .ods) it is the one sentence :func:`values_only` says.
    """
    if not is_openxml(path):
        return [values_only(path)]
    return inspect(path).losses


def is_openxml(path: Path) -> bool:
    """Is this an .xlsx/.xlsm/.xltx/.xltm that openpyxl can open (by its content, not its name)?"""
    try:
        with zipfile.ZipFile(path) as archive:
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return any(main in types for main in _OPENXML_MAIN)


_KIND_LABEL = {"xls": "legacy .xls (Excel 97-2003)", "xlsb": ".xlsb (Excel binary)", "ods": ".ods (OpenDocument)"}


def values_only(path: Path, reason: str | None = None, kind: str | None = None) -> str:
    """The loss sentence for a register openpyxl cannot open: the copy holds its values only.

    ``reason`` is set for an .xlsx/.xlsm that openpyxl failed to open though it was read.
    """
    what = "its formatting, formulas, column widths, merged cells, drop-down lists, notes, charts or pictures"
    if reason is not None:
        return (f"The Excel library used for the copy (openpyxl) could not open this workbook ({reason[:120]}), though its values "
                f"were read and checked: the copy is a new .xlsx holding the register's values only, without {what}. "
                "Open the register in Excel and save it again to get a full copy.")
    label = _KIND_LABEL.get(kind or "", path.suffix.lower() or "non-Excel 2007")  # by content: an .xls saved as .xlsx is an .xls
    return (f"The register is a {label} file, which the Excel library used for the copy (openpyxl) cannot open: the copy "
            f"is a new .xlsx holding the register's values only, without {what}. Save the register as an Excel Workbook (.xlsx) to get a full copy.")


def inspect(path: Path, pillow: bool | None = None) -> Inventory:
    """The inventory of :func:`detect_losses`, with the chart and picture counts for :func:`reconcile`.

    ``pillow`` says whether Pillow is there for openpyxl to keep pictures (default: as installed).
    """
    with zipfile.ZipFile(path) as archive:
        return _Inspector(archive, bool(openpyxl_drawings.PILImage) if pillow is None else pillow).run()


def reconcile(inventory: Inventory, workbook: Workbook, warnings: list[str]) -> list[str]:
    """The losses, plus charts or pictures openpyxl failed to read and anything else it warned about."""
    losses = list(inventory.losses)
    for sheet in workbook._sheets:
        for kind, expected, got in (("chart", inventory.charts[sheet.title], len(getattr(sheet, "_charts", []))),
                                    ("picture", inventory.pictures[sheet.title], len(getattr(sheet, "_images", [])))):
            if got < expected:
                losses.append(_sentence(expected - got, kind + "{s}", sheet.title, "openpyxl could not read them"))
    covered = ("extension is not supported", "Unable to read chart", "image", "DrawingML", "no default style")
    losses += [f"Other: openpyxl reported '{w}'" for w in warnings if not any(c in w for c in covered)]
    return losses


def _sentence(count: int, thing: str, sheet: str | None, why: str = "openpyxl does not keep them") -> str:
    """``thing`` marks its plural endings: ``text box{es} or shape{s}``."""
    things = thing.format(s="" if count == 1 else "s", es="" if count == 1 else "es")
    where = f" on sheet '{sheet}'" if sheet else ""
    return f"{count} {things}{where} ({why})"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Inspector:
    def __init__(self, archive: zipfile.ZipFile, pillow: bool):
        self.archive = archive
        self.pillow = pillow
        self.names = set(archive.namelist())
        self.types = self._content_types()
        self.has_metadata = any(t.endswith("sheetMetadata+xml") for t in self.types.values())
        self.inventory = Inventory()
        self.covered: set[str] = set()

    def run(self) -> Inventory:
        workbook_part = self._workbook_part()
        if workbook_part is None:
            return self.inventory
        rels = self._rels(workbook_part)
        for sheet in fromstring(self.archive.read(workbook_part)).iter():
            if _local(sheet.tag) == "sheet" and sheet.get(_REL) in rels:
                part = rels[sheet.get(_REL)][1]
                if part in self.names:
                    self._sheet(sheet.get("name", "?"), part)
        self._parts()
        return self.inventory

    def _content_types(self) -> dict[str, str]:
        root = fromstring(self.archive.read("[Content_Types].xml"))
        defaults = {e.get("Extension", "").lower(): e.get("ContentType", "") for e in root if _local(e.tag) == "Default"}
        overrides = {e.get("PartName", "").lstrip("/"): e.get("ContentType", "") for e in root if _local(e.tag) == "Override"}
        return {name: overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")
                for name in self.names if not name.endswith("/")}

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (relationship type's last word, target part) for one part."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        if rels_part not in self.names:
            return {}
        found = {}
        for rel in fromstring(self.archive.read(rels_part)):
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
        return found

    def _workbook_part(self) -> str | None:
        for kind, target in self._rels("").values():
            if kind == "officeDocument" and target in self.names:
                return target
        return None

    def _lose(self, count: int, thing: str, sheet: str | None, why: str = "openpyxl does not keep them") -> None:
        if count:
            self.inventory.losses.append(_sentence(count, thing, sheet, why))

    def _lose_kind(self, thing: str, sheet: str | None, note: str = "") -> None:
        where = f" on sheet '{sheet}'" if sheet else ""
        self.inventory.losses.append(f"{thing[0].upper()}{thing[1:]}{where} ({_why(note)})")

    def _sheet(self, name: str, part: str) -> None:
        rels = self._rels(part)
        self.covered.update(target for _, target in rels.values())
        data = self.archive.read(part)
        controls = [0]
        tail = _tail(data)
        if tail is not None and _local(tail.tag) == "worksheet":
            self._tail_elements(name, tail, controls)
        if self.has_metadata:
            cells = re.findall(rb"<(?:\w+:)?c\s[^>]*?\b(cm|vm)=", data)
            self._lose(cells.count(b"cm"), "dynamic array formula{s}", name,
                       "it becomes a legacy array formula over the same cells, with the same results")
            self._lose(cells.count(b"vm"), "picture{s} or linked data type{s} placed in cells", name,
                       "the cell shows #VALUE! in the copy")
        for kind, target in rels.values():
            if target not in self.names:
                continue
            if kind == "drawing":
                self._drawing(name, target, controls)
            elif kind == "vmlDrawing":
                self._vml(name, target, controls)
            else:
                self._sheet_part(name, target)
        # a form control can show up three times: VML, <controls>, and the drawing
        self._lose(max(controls), _FORM_CONTROL, name)

    def _tail_elements(self, name: str, tail: Element, controls: list[int]) -> None:
        for element in tail:
            tag = _local(element.tag)
            if tag in _SHEET_ELEMENTS:
                self._lose_kind(_SHEET_ELEMENTS[tag], name)
            elif tag in ("oleObjects", "controls", "AlternateContent"):
                for owner in (e for e in element.iter() if _local(e.tag) in ("oleObjects", "controls")):
                    count = sum(1 for e in owner if _local(e.tag) in ("oleObject", "control")
                                or any(_local(i.tag) in ("oleObject", "control") for i in e.iter()))
                    if _local(owner.tag) == "controls":
                        controls.append(count)
                    else:
                        self._lose(count, "embedded object{s} (OLE)", name)
            elif tag == "extLst":
                self._extensions(name, element)
            elif tag not in _SHEET_KEPT:
                self._lose_kind(f"the '{tag}' settings", name)

    def _extensions(self, name: str, ext_list: Element) -> None:
        for ext in ext_list:
            uri = (ext.get("uri") or "").upper()
            if uri in _EXTENSIONS:
                child, thing = _EXTENSIONS[uri]
                self._lose(sum(1 for e in ext.iter() if _local(e.tag) == child) or 1, thing, name)
            else:
                self._lose_kind(f"Excel extension data {uri}", name)

    def _drawing(self, name: str, part: str, controls: list[int]) -> None:
        lost: Counter = Counter()
        for anchor in fromstring(self.archive.read(part)):
            if _local(anchor.tag) == "AlternateContent":
                lost[_drawn_thing(anchor)] += 1
                continue
            for child in anchor:
                tag = _local(child.tag)
                if tag == "pic":
                    self.inventory.pictures[name] += 1
                elif tag == "graphicFrame" and _graphic_uri(child).endswith("/chart"):
                    self.inventory.charts[name] += 1
                elif tag in ("sp", "grpSp", "cxnSp", "graphicFrame", "contentPart", "AlternateContent"):
                    lost[_drawn_thing(child)] += 1
        controls.append(lost.pop(_FORM_CONTROL, 0))
        for thing, count in lost.items():
            self._lose(count, thing, name)
        if self.inventory.pictures[name] and not self.pillow:
            self._lose(self.inventory.pictures[name], "picture{s}", name, "openpyxl keeps pictures only when Pillow is installed")
            self.inventory.pictures[name] = 0

    def _vml(self, name: str, part: str, controls: list[int]) -> None:
        text = self.archive.read(part).decode("utf-8", "replace")
        kinds = Counter(re.findall(r'ObjectType="(\w+)"', text))
        controls.append(sum(n for kind, n in kinds.items() if kind != "Note"))
        shown = len(re.findall(r"<x:Visible\s*/>", text))
        self._lose(shown, "note{s} shown permanently", name, "the copy keeps the note but shows it only on hover")

    def _sheet_part(self, name: str, part: str) -> None:
        content_type = self.types.get(part, "")
        for suffix, (thing, note) in _PARTS.items():
            if content_type.endswith(suffix):
                self._lose_kind(thing, name, note)

    def _parts(self) -> None:
        found: dict[str, str] = {}
        unknown: Counter = Counter()
        for part, content_type in sorted(self.types.items()):
            if part.startswith("docProps/thumbnail"):
                found["a preview picture of the workbook (thumbnail)"] = ""
            elif part.startswith("customXml/") and content_type.endswith("customXmlProperties+xml"):
                found.setdefault(*_PARTS["customXmlProperties+xml"])
            elif part in self.covered or any(k.lower() in content_type.lower() for k in _PARTS_KEPT + _PARTS_COVERED):
                continue
            elif match := next((v for s, v in _PARTS.items() if content_type.endswith(s)), None):
                found.setdefault(*match)
            elif not part.startswith("customXml/"):
                unknown[content_type or part] += 1
        for thing, note in found.items():
            self.inventory.losses.append(f"Workbook: {thing} ({_why(note)})")
        if unknown:
            kinds = ", ".join(sorted(unknown))
            self.inventory.losses.append(f"Workbook: {sum(unknown.values())} other parts that openpyxl does not read ({kinds})")


_FORM_CONTROL = "form control{s} (button, check box, drop-down)"


def _why(note: str) -> str:
    return "openpyxl does not keep them" + (f"; {note}" if note else "")


def _tail(data: bytes) -> Element | None:
    """The worksheet without its cells: the root tag plus everything after <sheetData>."""
    root = re.search(rb"<(?:\w+:)?(?:worksheet|chartsheet|dialogsheet)\b[^>]*>", data)
    if root is None:
        return None
    end = data.rfind(b"sheetData")
    start = data.find(b">", end) + 1 if end > root.end() else root.end()
    return fromstring(data[: root.end()] + data[start:])


def _graphic_uri(frame: Element) -> str:
    data = next((e for e in frame.iter() if _local(e.tag) == "graphicData"), None)
    return data.get("uri", "") if data is not None else ""


def _drawn_thing(element: Element) -> str:
    tags = {_local(e.tag) for e in element.iter()}
    uri = " ".join(e.get("uri", "") for e in element.iter() if _local(e.tag) == "graphicData")
    if "chartex" in uri:
        return "Excel 2016 chart{s} (waterfall, treemap, histogram and the like)"
    if "slicer" in uri:
        return "slicer{s} or timeline{s}"
    if "diagram" in uri:
        return "SmartArt diagram{s}"
    if "/chart" in uri:
        return "chart{s} drawn in an Excel extension"
    if any(e.get("Requires") == "a14" for e in element.iter() if _local(e.tag) == "Choice") and "sp" in tags:
        return _FORM_CONTROL
    for tag, thing in (("grpSp", "group{s} of shapes"), ("cxnSp", "connector line{s}"), ("contentPart", "ink drawing{s}"),
                       ("graphicFrame", "embedded object{s}"), ("pic", "picture{s} inside a shape")):
        if tag in tags:
            return thing
    return "text box{es} or shape{s}"
