"""An outside audit of the annotated copy (issue 10): variants of the sample register and of the
corpus, edited at the XML level the way other writers, Excel and officers leave them, each copy
checked as Excel would check it before opening it (cell order, relationships, content types,
unique ids, schema order) and checked again as an officer would check it again.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from partnership_xl.annotate import write_annotated
from partnership_xl.annotate.marks import SEVERITY_FILLS
from partnership_xl.config import Settings
from partnership_xl.engine import check

from ..conftest import AS_OF
from .graft import CORPUS, graft
from .graft import column_letter as col_letters
from .schema_order import order_problems

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_register.xlsx"
REGISTER = "Partnership Register"
REGISTER_PART = "xl/worksheets/sheet2.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
TOOL_SUFFIX = " (partnership-xl)"


# -- building variants -------------------------------------------------------------------------------
def read_members(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(i, z.read(i)) for i in z.infolist()]


def variant(src: Path, dst: Path, edit=None, compression=zipfile.ZIP_DEFLATED, comment: bytes = b"") -> Path:
    """``src`` rewritten to ``dst``, its members in order; ``edit(parts)`` changes the dict name → bytes."""
    members = read_members(src)
    parts = {i.filename: d for i, d in members}
    if edit:
        edit(parts)
    order = [i.filename for i, _ in members if i.filename in parts] + [n for n in parts if n not in {i.filename for i, _ in members}]
    with zipfile.ZipFile(dst, "w", compression) as z:
        for name in order:
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 1, 12, 0, 0)), parts[name], compress_type=compression)
        z.comment = comment
    return dst


def annotate(register: Path, out: Path) -> list[str]:
    return write_annotated(check(register, Settings(), AS_OF), out)


def cli_validate(register: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "partnership_xl", "validate", str(register), "--out", str(out), "--as-of", "2026-11-25"],
                          capture_output=True, text=True, cwd=register.parent, timeout=300)


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def members(path: Path) -> dict[str, bytes]:
    return {i.filename: d for i, d in read_members(path)}


# -- what Excel checks before it opens a package -----------------------------------------------------------
def _resolve(source: str, target: str) -> str:
    import posixpath

    name = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(posixpath.dirname(source), target))
    while name.startswith("../"):  # as Excel reads it: nothing is above the root
        name = name[3:]
    return name


def _rels_of(parts: dict[str, bytes], part: str) -> list[etree._Element]:
    import posixpath

    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels") if part else "_rels/.rels"
    return list(etree.fromstring(parts[rels])) if rels in parts else []


def workbook_part(parts: dict[str, bytes]) -> str:
    return next(_resolve("", r.get("Target")) for r in _rels_of(parts, "") if r.get("Type", "").endswith("/officeDocument"))


def sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """sheet name → part, in <sheets> order."""
    wb = workbook_part(parts)
    rels = {r.get("Id"): r for r in _rels_of(parts, wb)}
    out = {}
    for s in etree.fromstring(parts[wb]).iter(f"{{{MAIN}}}sheet"):
        out[s.get("name")] = _resolve(wb, rels[s.get(f"{{{REL}}}id")].get("Target"))
    return out


def sheet_names(parts: dict[str, bytes]) -> list[str]:
    return list(sheet_parts(parts))


def defined_names(parts: dict[str, bytes]) -> list[tuple[str, str | None, str]]:
    """(name, the sheet its localSheetId names, text) of each defined name."""
    names = sheet_names(parts)
    root = etree.fromstring(parts[workbook_part(parts)])
    out = []
    for d in root.iter(f"{{{MAIN}}}definedName"):
        local = d.get("localSheetId")
        out.append((d.get("name"), names[int(local)] if local is not None and int(local) < len(names) else local, d.text))
    return out


def _cell_order_problems(part: str, xml: bytes) -> list[str]:
    problems = []
    last_row = 0
    root = etree.fromstring(xml)
    sd = root.find(f"{{{MAIN}}}sheetData")
    if sd is None:
        return problems
    for row in sd.iter(f"{{{MAIN}}}row"):
        r = int(row.get("r")) if row.get("r") else last_row + 1
        if r <= last_row:
            problems.append(f"{part}: row {r} after row {last_row}")
        last_row = r
        last_col = 0
        for c in row.iter(f"{{{MAIN}}}c"):
            ref = c.get("r")
            if ref is None:
                last_col += 1
                continue
            m = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
            col = col_number(m.group(1))
            if int(m.group(2)) != r:
                problems.append(f"{part}: cell {ref} in row {r}")
            if col <= last_col:
                problems.append(f"{part}: cell {ref} after column {col_letters(last_col)} in row {r}")
            last_col = col
        children = [etree.QName(e).localname for e in row if isinstance(e.tag, str)]
        if "extLst" in children and children.index("extLst") != len(children) - 1:
            problems.append(f"{part}: row {r} has cells after its extLst")
    return problems


def package_problems(path: Path) -> list[str]:
    """What makes Excel repair a package (or refuse it): [] when it opens cleanly."""
    parts = members(path)
    problems = []
    types = etree.fromstring(parts["[Content_Types].xml"])
    overrides = {e.get("PartName").lower(): e.get("ContentType") for e in types if etree.QName(e).localname == "Override"}
    defaults = {e.get("Extension").lower(): e.get("ContentType") for e in types if etree.QName(e).localname == "Default"}
    for name in parts:
        if name.endswith("/") or name == "[Content_Types].xml":
            continue
        if "/" + name.lower() not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            problems.append(f"{name} has no content type")
    for over in overrides:
        if over.lstrip("/") not in {n.lower() for n in parts}:
            problems.append(f"Override for missing part {over}")
    for name in parts:
        if not name.endswith(".rels"):
            continue
        source = name.replace("_rels/", "")[:-5]
        ids = []
        for r in etree.fromstring(parts[name]):
            ids.append(r.get("Id"))
            if r.get("TargetMode") == "External":
                continue
            target = _resolve(source, r.get("Target"))
            if target not in parts:
                problems.append(f"{name}: {r.get('Id')} points at missing {target}")
        if len(ids) != len(set(ids)):
            problems.append(f"{name}: duplicate relationship ids")
    wb = workbook_part(parts)
    root = etree.fromstring(parts[wb])
    sheets = list(root.iter(f"{{{MAIN}}}sheet"))
    for attr in ("sheetId", f"{{{REL}}}id", "name"):
        values = [s.get(attr).lower() if attr == "name" else s.get(attr) for s in sheets]
        if len(values) != len(set(values)):
            problems.append(f"workbook.xml: duplicate sheet {attr}")
    for s in sheets:
        if len(s.get("name")) > 31 or re.search(r"[\[\]:*?/\\]", s.get("name")):
            problems.append(f"sheet name {s.get('name')!r} is not one Excel allows")
    for d in root.iter(f"{{{MAIN}}}definedName"):
        if d.get("localSheetId") is not None and int(d.get("localSheetId")) >= len(sheets):
            problems.append(f"defined name {d.get('name')} on sheet {d.get('localSheetId')} of {len(sheets)}")
    scoped = [(d.get("name").lower(), d.get("localSheetId")) for d in root.iter(f"{{{MAIN}}}definedName")]
    if len(scoped) != len(set(scoped)):
        problems.append("duplicate defined names")
    problems += [f"{wb}: {p}" for p in order_problems(parts[wb])]
    # styles: every s a worksheet uses is a cellXfs index; every xf's ids exist
    styles_part = next((_resolve(wb, r.get("Target")) for r in _rels_of(parts, wb) if r.get("Type", "").endswith("/styles")), None)
    xf_count = None
    if styles_part:
        st = etree.fromstring(parts[styles_part])
        problems += [f"{styles_part}: {p}" for p in order_problems(parts[styles_part])]
        counts = {n: len(st.find(f"{{{MAIN}}}{n}")) if st.find(f"{{{MAIN}}}{n}") is not None else 0 for n in ("fonts", "fills", "borders")}
        xfs = st.find(f"{{{MAIN}}}cellXfs")
        xf_count = len(xfs)
        for i, xf in enumerate(xfs):
            for attr, n in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
                if int(xf.get(attr, "0")) >= max(counts[n], 1):
                    problems.append(f"cellXfs[{i}] {attr} past {n}")
        for n in ("fonts", "fills", "borders", "cellXfs"):
            e = st.find(f"{{{MAIN}}}{n}")
            if e is not None and e.get("count") is not None and int(e.get("count")) != len(e):
                problems.append(f"{styles_part}: {n} count {e.get('count')} for {len(e)}")
    for part in sheet_parts(parts).values():
        xml = parts[part]
        if etree.QName(etree.fromstring(xml)).localname != "worksheet":
            continue
        problems += [f"{part}: {p}" for p in order_problems(xml)]
        problems += _cell_order_problems(part, xml)
        rel_ids = {r.get("Id") for r in _rels_of(parts, part)}
        used = {v for e in etree.fromstring(xml).iter() if isinstance(e.tag, str) for k, v in e.attrib.items() if k.startswith(f"{{{REL}}}")}
        problems += [f"{part}: r:id {i} has no relationship" for i in sorted(used - rel_ids)]
        if xf_count is not None:
            for s in re.findall(rb"""<(?:\w+:)?c\b[^>]*?\ss=["'](\d+)["']""", xml):
                if int(s) >= xf_count:
                    problems.append(f"{part}: style {int(s)} past cellXfs ({xf_count})")
                    break
        for r in _rels_of(parts, part):
            target = _resolve(part, r.get("Target")) if r.get("TargetMode") != "External" else None
            if target and r.get("Type", "").endswith("/comments") and target in parts:
                c = etree.fromstring(parts[target])
                problems += [f"{target}: {p}" for p in order_problems(parts[target])]
                refs = [e.get("ref") for e in c.iter(f"{{{MAIN}}}comment")]
                if len(refs) != len(set(refs)):
                    problems.append(f"{target}: two notes on one cell")
                authors = len(c.find(f"{{{MAIN}}}authors"))
                if any(int(e.get("authorId")) >= authors for e in c.iter(f"{{{MAIN}}}comment")):
                    problems.append(f"{target}: a note's author is missing")
            if target and r.get("Type", "").endswith("/vmlDrawing") and target in parts:
                ids = re.findall(rb"""<v:shape\b[^>]*?\sid=["']([^"']+)["']""", parts[target])
                if len(ids) != len(set(ids)):
                    problems.append(f"{target}: duplicate shape ids {sorted(set(i for i in ids if ids.count(i) > 1))[:5]}")
    return problems


def register_rows(path: Path, sheet: str = REGISTER) -> dict[tuple[int, int], object]:
    """The register sheet's values by (row, col), as calamine reads them."""
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return {(r, c): v for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1) if v not in ("", None)}


def header_texts(path: Path, sheet: str = REGISTER, header_row: int = 4) -> list[str]:
    cells = register_rows(path, sheet)
    return [str(v) for (r, _c), v in sorted(cells.items()) if r == header_row]


# -- the sheet XML, rewritten ---------------------------------------------------------------------------
def _edit_sheet(parts: dict[str, bytes], part: str, change) -> None:
    parts[part] = change(parts[part])


def single_quoted_s_first(xml: bytes) -> bytes:
    """Cells written with single quotes and ``s`` before ``r``, newlines between rows and cells."""
    def cell(m: re.Match) -> bytes:
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', m.group(1)))
        order = [k for k in (b"s", b"t", b"r") if k in attrs]
        return b"<c " + b" ".join(k + b"='" + attrs[k] + b"'" for k in order) + m.group(2) + b">"
    lo, hi = xml.index(b"<sheetData>"), xml.index(b"</sheetData>")
    body = re.sub(rb"<c ([^>]*?)(/?)>", cell, xml[lo:hi])
    body = body.replace(b"<row ", b"\n  <row ").replace(b"<c ", b"\n    <c ")
    return xml[:lo] + body + b"\n" + xml[hi:]


# =========================================================================================================
# 1. the copy of the sample itself
# =========================================================================================================
@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "copy.xlsx"
    annotate(SAMPLE, out)
    return out


def test_the_sample_copy_opens_without_repair(sample_copy):
    """Flagged blank cells and the tool's cells inserted at one place must come out in column order."""
    assert package_problems(sample_copy) == []


def test_the_tool_columns_come_after_the_last_cell_in_column_order(sample_copy):
    xml = members(sample_copy)[REGISTER_PART]
    for row in re.findall(rb'<row r="(\d+)"[^>]*>(.*?)</row>', xml, re.S):
        cols = [col_number(c.decode()) for c in re.findall(rb'<c r="([A-Z]+)\d+"', row[1])]
        assert cols == sorted(cols), f"row {int(row[0])}: {[col_letters(c) for c in cols]}"


# =========================================================================================================
# 2. register sheet XML as other writers leave it
# =========================================================================================================
def test_single_quoted_attributes_s_before_r_and_newlines(tmp_path):
    reg = variant(SAMPLE, tmp_path / "quoted.xlsx", lambda p: _edit_sheet(p, REGISTER_PART, single_quoted_s_first))
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    assert package_problems(out) == []
    assert register_rows(out) | {} != {}
    # values of the register are unchanged
    before, after = register_rows(reg), register_rows(out)
    assert {k: v for k, v in after.items() if k[1] <= 43} == before


def test_single_quoted_cells_get_their_style_back_when_checked_again(tmp_path):
    """The copy of a copy of a register written with single quotes / ``s`` first equals the copy."""
    reg = variant(SAMPLE, tmp_path / "quoted.xlsx", lambda p: _edit_sheet(p, REGISTER_PART, single_quoted_s_first))
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    annotate(reg, first)
    annotate(first, second)
    a, b = members(first), members(second)
    assert [n for n in a if a[n] != b.get(n) and n != "docProps/core.xml"] == []
    # and un-marking gives every flagged cell back its exact original s
    original_s = {ref: s for s, ref in re.findall(rb"""<c s='(\d+)'(?: t='\w+')? r='([A-Z]+\d+)'""", members(reg)[REGISTER_PART])}
    from partnership_xl.workbook.package import Package
    from partnership_xl.workbook.patch import Patcher

    pkg = Package.read(second)
    Patcher(pkg, REGISTER, SEVERITY_FILLS).unmark(4)
    xml = pkg.get(REGISTER_PART)
    now = {ref: s for s, ref in re.findall(rb"""<c s='(\d+)'(?: t='\w+')? r='([A-Z]+\d+)'""", xml)}
    changed = {ref.decode(): (original_s[ref], now.get(ref)) for ref in original_s if now.get(ref) != original_s[ref]}
    assert changed == {}


def test_cells_and_rows_without_references(tmp_path):
    def strip_refs(xml: bytes) -> bytes:
        lo, hi = xml.index(b"<sheetData>"), xml.index(b"</sheetData>")
        body = re.sub(rb' r="[A-Z]+\d+"', b"", xml[lo:hi])  # cells lose r; rows keep theirs (Excel needs row gaps)
        return xml[:lo] + body + xml[hi:]
    reg = variant(SAMPLE, tmp_path / "noref.xlsx", lambda p: _edit_sheet(p, REGISTER_PART, strip_refs))
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    assert package_problems(out) == []
    before, after = register_rows(reg), register_rows(out)
    assert {k: v for k, v in after.items() if k[1] <= 43} == before


def test_a_row_extlst_stays_last_in_its_row(tmp_path):
    """CT_Row is (c*, extLst?): the tool's cells go before a row's extLst, never after it."""
    ext = (b'<extLst><ext uri="{pxl-audit}" xmlns:a="urn:audit"><a:x/></ext></extLst>')
    def add_ext(xml: bytes) -> bytes:
        return re.sub(rb'(<row r="(?:5|6|7|8)"[^>]*>.*?)(</row>)', lambda m: m.group(1) + ext + m.group(2), xml, flags=re.S)
    reg = variant(SAMPLE, tmp_path / "ext.xlsx", lambda p: _edit_sheet(p, REGISTER_PART, add_ext))
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    assert package_problems(out) == []


# =========================================================================================================
# 3. the copy, edited by the officer, checked again
# =========================================================================================================
def shift_columns(xml: bytes, from_col: int, by: int = 1) -> bytes:
    """What Excel does to the cells when a column is inserted before ``from_col`` (cells only)."""
    def ref(m: re.Match) -> bytes:
        col = col_number(m.group(2).decode())
        if col >= from_col:
            col += by
        return m.group(1) + col_letters(col).encode() + m.group(3)
    lo, hi = xml.index(b"<sheetData>"), xml.index(b"</sheetData>")
    return xml[:lo] + re.sub(rb'(<c r=")([A-Z]+)(\d+")', ref, xml[lo:hi]) + xml[hi:]


def test_a_column_the_officer_inserted_in_the_copy_does_not_cost_them_a_column_of_data(tmp_path):
    """The officer inserts a column in the copy (Excel keeps the tool's custom XML record as it
    was): checking it again must not delete the register column now standing where the tool's
    columns were recorded, nor leave a tool column behind."""
    first = tmp_path / "first.xlsx"
    annotate(SAMPLE, first)
    edited = variant(first, tmp_path / "edited.xlsx", lambda p: _edit_sheet(p, REGISTER_PART, lambda x: shift_columns(x, 3)))
    before = register_rows(edited)
    last_register_col = 44  # AQ moved to AR
    kept = {k: v for k, v in before.items() if k[1] == last_register_col and k[0] >= 4}
    assert kept, "the officer's last column is there before the check"
    second = tmp_path / "second.xlsx"
    annotate(edited, second)
    after = register_rows(second)
    assert {k: after.get(k) for k in kept} == kept
    headers = header_texts(second)
    assert sum(h.endswith(TOOL_SUFFIX) for h in headers) == 5, headers


def fix_lead_officer(path: Path, out: Path) -> tuple[Path, str]:
    """The officer types a lead officer into the flagged blank cell of the copy, as Excel writes it
    (a shared string appended, the cell keeps its style)."""
    finding = next(f for f in check(path, Settings(), AS_OF).findings if f.code == "PP801")
    ref = finding.cell

    def edit(parts):
        sst = parts["xl/sharedStrings.xml"]
        count = len(re.findall(rb"<si>", sst))
        parts["xl/sharedStrings.xml"] = sst.replace(b"</sst>", b"<si><t>Pat Officer</t></si></sst>")
        xml = parts[REGISTER_PART]
        m = re.search(rb'<c r="' + ref.encode() + rb'"( s="\d+")?(/>|>.*?</c>)', xml, re.S)
        assert m, ref
        parts[REGISTER_PART] = xml[:m.start()] + b'<c r="' + ref.encode() + b'"' + (m.group(1) or b"") + b' t="s"><v>' + str(count).encode() + b"</v></c>" + xml[m.end():]
    return variant(path, out, edit), ref


def test_a_value_the_officer_fixed_in_the_copy_loses_its_fill_and_note(tmp_path):
    first = tmp_path / "first.xlsx"
    annotate(SAMPLE, first)
    fixed, ref = fix_lead_officer(first, tmp_path / "fixed.xlsx")
    second = tmp_path / "second.xlsx"
    annotate(fixed, second)
    assert package_problems(second) == []
    xml = members(second)[REGISTER_PART]
    s = re.search(rb'<c r="' + ref.encode() + rb'"(?: s="(\d+)")?', xml).group(1)
    col_style = None  # the blank cell had no element: the typed value gets the column's (or no) style
    assert s is None or s == col_style, f"{ref} kept the tool's style {s}"
    comments = b"".join(d for n, d in members(second).items() if "comments" in n)
    assert f'ref="{ref}"'.encode() not in comments


@pytest.fixture(scope="module")
def libreoffice_copy(tmp_path_factory) -> Path | None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("lo")
    first = folder / "first.xlsx"
    annotate(SAMPLE, first)
    outdir = folder / "resaved"
    outdir.mkdir()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "xlsx",
                    "--outdir", str(outdir), str(first)], capture_output=True, timeout=240, check=True)
    return outdir / "first.xlsx"


def test_a_copy_resaved_by_libreoffice_is_checked_again_without_stacking(libreoffice_copy, tmp_path):
    second = tmp_path / "second.xlsx"
    annotate(libreoffice_copy, second)
    parts = members(second)
    names = sheet_names(parts)
    assert [n for n in names if n.startswith(("Findings", "Summary"))] == ["Findings", "Summary"], names
    headers = header_texts(second)
    assert sum(h.endswith(TOOL_SUFFIX) for h in headers) == 5, headers
    notes = b"".join(d for n, d in parts.items() if re.search(r"comments\d*\.xml$", n))
    assert notes.count(b"[partnership-xl]") == len({f.cell for f in check(SAMPLE, Settings(), AS_OF).findings
                                                    if f.cell and f.sheet == REGISTER})
    assert package_problems(second) == []


def test_a_copy_resaved_by_libreoffice_gives_back_the_fill_of_a_fixed_cell(libreoffice_copy, tmp_path):
    """LibreOffice keeps the record (related from the package root) but renumbers every cell format:
    a fixed cell still gets its own fill back (by content), and so does every cell not flagged again."""
    fixed, ref = fix_lead_officer_any(libreoffice_copy, tmp_path / "fixed.xlsx")
    second = tmp_path / "second.xlsx"
    annotate(fixed, second)
    import openpyxl

    ws = openpyxl.load_workbook(second)[REGISTER]
    severity = ("FFF8A5A5", "FFFFD27F", "FF9DC3E6")
    assert ws[ref].fill.fgColor.rgb not in severity
    flagged = {f.cell for f in check(fixed, Settings(), AS_OF).findings if f.cell and f.sheet == REGISTER}
    still = sorted(c.coordinate for row in ws.iter_rows(min_row=5, max_col=43) for c in row
                   if c.fill.fill_type == "solid" and c.fill.fgColor.rgb in severity and c.coordinate not in flagged)
    assert still == []


def fix_lead_officer_any(path: Path, out: Path) -> tuple[Path, str]:
    """As fix_lead_officer, as an inline string (for a package whose parts are named otherwise)."""
    finding = next(f for f in check(path, Settings(), AS_OF).findings if f.code == "PP801")
    ref = finding.cell
    parts = members(path)
    part = sheet_parts(parts)[REGISTER]

    def edit(parts):
        xml = parts[part]
        m = re.search(rb'<c r="' + ref.encode() + rb'"( s="\d+")?[^>]*?(/>|>.*?</c>)', xml, re.S)
        assert m, ref
        parts[part] = (xml[:m.start()] + b'<c r="' + ref.encode() + b'"' + (m.group(1) or b"") + b' t="inlineStr"><is><t>Pat Officer</t></is></c>'
                       + xml[m.end():])
    return variant(path, out, edit), ref


# =========================================================================================================
# 4. the workbook around the register
# =========================================================================================================
def grafted(tmp_path: Path, corpus_file: str, name: str = REGISTER, extra: tuple[str, ...] = ()) -> Path:
    """The sample register grafted into a corpus workbook under ``name``, after sheets ``extra``."""
    data = (CORPUS / corpus_file).read_bytes()
    for sheet in extra:
        data = graft(data, rows=[["An officer's own sheet"]], name=sheet)
    data = graft(data, name=name)
    path = tmp_path / corpus_file
    path.write_bytes(data)
    return path


def vml_shape_problems(path: Path) -> list[str]:
    """VML shape ids (``_x0000_sN``) are unique across the workbook and inside their drawing's idmap block."""
    parts = members(path)
    seen: dict[int, str] = {}
    problems = []
    for name, data in parts.items():
        if not name.lower().endswith(".vml"):
            continue
        idmap = re.search(rb"""<o:idmap\b[^>]*\bdata=["']([0-9, ]+)["']""", data)
        blocks = {int(x) for x in re.split(rb"[, ]+", idmap.group(1)) if x} if idmap else set()
        for m in re.finditer(rb"""<v:shape\b[^>]*?\sid=["']_x0000_s(\d+)["']""", data):
            n = int(m.group(1))
            if n in seen:
                problems.append(f"shape _x0000_s{n} in {name} and {seen[n]}")
            seen[n] = name
            if blocks and n // 1024 not in blocks:
                problems.append(f"shape _x0000_s{n} of {name} is outside its idmap {sorted(blocks)}")
    return problems


@pytest.mark.parametrize("corpus_file", ["closedxml-CommentAndButton.xlsx", "poi-right-to-left.xlsx", "oxsdk-Complex01.xlsx"])
def test_note_boxes_never_reuse_a_shape_id_another_sheet_has(tmp_path, corpus_file):
    """Another sheet's notes or buttons hold _x0000_s1025...: the register's new drawing (its own
    idmap block) must number its boxes in that block, not from 1025 again."""
    reg = grafted(tmp_path, corpus_file)
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    assert vml_shape_problems(out) == []
    assert package_problems(out) == []


def _link_targets(path: Path, sheet: str) -> list[tuple[str, str]]:
    parts = members(path)
    root = etree.fromstring(parts[sheet_parts(parts)[sheet]])
    out = []
    for h in root.iter(f"{{{MAIN}}}hyperlink"):
        loc = h.get("location")
        m = re.fullmatch(r"'((?:[^']|'')+)'!(\$?[A-Z]+\$?\d+)|([^'!]+)!(\$?[A-Z]+\$?\d+)", loc)
        assert m, loc
        out.append(((m.group(1) or "").replace("''", "'") or m.group(3), m.group(2) or m.group(4)))
    return out


@pytest.mark.parametrize("name", ["Régistre d'été", "Partnership Register 2026-27 v3"])
def test_a_register_named_with_an_apostrophe_accents_or_31_characters(tmp_path, name):
    assert len("Partnership Register 2026-27 v3") == 31
    reg = grafted(tmp_path, "poi-simple-monthly-budget.xlsx", name=name)
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    assert package_problems(out) == []
    links = _link_targets(out, "Findings")
    assert links and {sheet for sheet, _ in links} == {name}
    again = tmp_path / "again.xlsx"
    annotate(out, again)
    a, b = members(out), members(again)
    assert [n for n in a if a[n] != b.get(n) and n != "docProps/core.xml"] == []


def test_officers_sheets_named_like_the_tools(tmp_path):
    reg = grafted(tmp_path, "calamine-issue9.xlsx", extra=("Findings", "Findings (partnership-xl)", "summary"))
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    names = sheet_names(members(out))
    assert names[:-2] == sheet_names(members(reg))
    assert names[-2:] == ["Findings (partnership-xl 2)", "Summary (partnership-xl)"]
    assert package_problems(out) == []
    assert {s for s, _ in _link_targets(out, "Findings (partnership-xl 2)")} == {REGISTER}
    again = tmp_path / "again.xlsx"
    annotate(out, again)
    assert sheet_names(members(again)) == names
    # and once more with the record gone (a copy whose custom XML was dropped)
    def drop_record(parts):
        for n in [n for n in parts if n.startswith("customXml/")]:
            if b"partnership-xl" in parts[n] or n.endswith(("itemProps1.xml", "item1.xml.rels")):
                del parts[n]
        wb_rels = "xl/_rels/workbook.xml.rels"
        parts[wb_rels] = re.sub(rb'<Relationship [^>]*customXml"[^>]*/>|<Relationship [^>]*Target="../customXml/item1.xml"[^>]*/>', b"", parts[wb_rels])
        parts["[Content_Types].xml"] = re.sub(rb'<Override PartName="/customXml/[^"]*"[^>]*/>', b"", parts["[Content_Types].xml"])
    lost = variant(out, tmp_path / "lost.xlsx", drop_record)
    third = tmp_path / "third.xlsx"
    annotate(lost, third)
    assert sheet_names(members(third)) == names
    assert package_problems(third) == []


@pytest.mark.parametrize("corpus_file", ["poi-57181.xlsm", "poi-60255_extra_drawingparts.xlsx", "oxsdk-QueryTable.xlsx"])
def test_defined_names_keep_their_sheets_past_chart_sheets(tmp_path, corpus_file):
    data = graft((CORPUS / corpus_file).read_bytes(), print_titles=4)
    reg = tmp_path / corpus_file
    reg.write_bytes(data)
    out = tmp_path / ("copy" + reg.suffix)
    annotate(reg, out)
    before, after = defined_names(members(reg)), defined_names(members(out))
    assert [n for n in before if n not in after] == []
    added = [n for n in after if n not in before]
    assert {sheet for _, sheet, _ in added} <= {"Findings", "Summary"}
    assert all(text.startswith(f"'{sheet}'!") for _, sheet, text in added), added
    assert package_problems(out) == []


def test_a_very_hidden_first_sheet_and_the_active_tab_on_the_register(tmp_path):
    def edit(parts):
        wb = parts["xl/workbook.xml"]
        wb = wb.replace(b'<sheet name="Guidance" sheetId="1"', b'<sheet name="Guidance" sheetId="1" state="veryHidden"')
        wb = wb.replace(b'activeTab="1"', b'firstSheet="1" activeTab="1"')
        parts["xl/workbook.xml"] = wb
    reg = variant(SAMPLE, tmp_path / "hidden.xlsx", edit)
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    root = etree.fromstring(members(out)["xl/workbook.xml"])
    view = root.find(f"{{{MAIN}}}bookViews/{{{MAIN}}}workbookView")
    assert (view.get("activeTab"), view.get("firstSheet")) == ("1", "1")
    assert [s.get("state") for s in root.iter(f"{{{MAIN}}}sheet")][:3] == ["veryHidden", None, None]
    again = tmp_path / "again.xlsx"
    annotate(out, again)
    assert members(again)["xl/workbook.xml"] == members(out)["xl/workbook.xml"]


# =========================================================================================================
# 5. the package's own parts as other writers leave them
# =========================================================================================================
def inline_strings(parts: dict[str, bytes]) -> None:
    """Every shared string written inline, and sharedStrings.xml gone (as some exporters write)."""
    sst = etree.fromstring(parts.pop("xl/sharedStrings.xml"))
    items = [etree.tostring(si, encoding="unicode").replace(f' xmlns="{MAIN}"', "") for si in sst]
    for part in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        def cell(m: re.Match) -> bytes:
            inner = items[int(m.group(3))].replace("<si>", "<is>").replace("</si>", "</is>")
            return m.group(1) + b' t="inlineStr"' + m.group(2) + b">" + inner.encode() + b"</c>"
        parts[part] = re.sub(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="s"([^>]*)><v>(\d+)</v></c>', cell, parts[part])
    parts["xl/_rels/workbook.xml.rels"] = re.sub(rb'<Relationship [^>]*sharedStrings"[^>]*/>', b"", parts["xl/_rels/workbook.xml.rels"])
    parts["[Content_Types].xml"] = re.sub(rb'<Override PartName="/xl/sharedStrings.xml"[^>]*/>', b"", parts["[Content_Types].xml"])


def test_a_register_of_inline_strings_without_a_shared_string_table(tmp_path):
    reg = variant(SAMPLE, tmp_path / "inline.xlsx", inline_strings)
    assert "xl/sharedStrings.xml" not in members(reg)
    assert register_rows(reg) == register_rows(SAMPLE)
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    assert package_problems(out) == []
    assert "xl/sharedStrings.xml" not in members(out)
    again = tmp_path / "again.xlsx"
    annotate(out, again)
    a, b = members(out), members(again)
    assert [n for n in a if a[n] != b.get(n) and n != "docProps/core.xml"] == []


def test_a_styles_part_with_no_number_formats_cell_styles_or_dxfs(tmp_path):
    def edit(parts):
        st = etree.fromstring(parts["xl/styles.xml"])
        for name in ("numFmts", "dxfs", "tableStyles", "cellStyles", "colors"):
            for e in st.findall(f"{{{MAIN}}}{name}"):
                st.remove(e)
        parts["xl/styles.xml"] = etree.tostring(st, xml_declaration=True, encoding="UTF-8", standalone=True)
    reg = variant(SAMPLE, tmp_path / "plain-styles.xlsx", edit)
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    assert package_problems(out) == []


def test_the_record_is_plain_xml_when_the_xml_default_is_another_type(tmp_path):
    """A writer that gives ``.xml`` the worksheet type by Default (and Overrides the rest): the
    tool's custom XML record must not become a worksheet by that Default."""
    def edit(parts):
        ct = parts["[Content_Types].xml"]
        ct = ct.replace(b'<Default Extension="xml" ContentType="application/xml"/>',
                        b'<Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
        parts["[Content_Types].xml"] = ct
    reg = variant(SAMPLE, tmp_path / "default-xml.xlsx", edit)
    assert b'Extension="xml" ContentType="application/vnd' in members(reg)["[Content_Types].xml"]
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    from partnership_xl.workbook.package import Package

    pkg = Package.read(out)
    record = next(n for n in pkg.names() if n.startswith("customXml/item") and "Props" not in n and not n.endswith(".rels"))
    assert pkg.content_type(record) == "application/xml"


def test_stored_members_and_the_zip_comment_are_carried_over(tmp_path):
    reg = variant(SAMPLE, tmp_path / "stored.xlsx", compression=zipfile.ZIP_STORED, comment=b"Saved by the council's DMS")
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    with zipfile.ZipFile(out) as z:
        kept = {i.filename: i.compress_type for i in z.infolist() if i.filename in members(reg)}
        assert z.comment == b"Saved by the council's DMS"
    assert set(kept.values()) == {zipfile.ZIP_STORED}


def test_a_register_with_a_header_footer_picture(tmp_path):
    """legacyDrawingHF (a logo in the page header) is the officer's: the notes' legacyDrawing goes before it."""
    hf_vml = (b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
              b'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>'
              b'<v:shape id="LH" o:spid="_x0000_s1025" type="#_x0000_t75" style="position:absolute;width:60pt;height:20pt">'
              b'<v:imagedata o:relid="rId1" o:title="logo"/></v:shape></xml>')
    def edit(parts):
        parts["xl/drawings/vmlDrawingHF1.vml"] = hf_vml
        parts["xl/worksheets/_rels/sheet2.xml.rels"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="' + PKG_REL.encode() + b'">'
            b'<Relationship Id="rId1" Type="' + REL.encode() + b'/vmlDrawing" Target="../drawings/vmlDrawingHF1.vml"/></Relationships>')
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/></Types>')
        xml = parts[REGISTER_PART]
        parts[REGISTER_PART] = xml.replace(b'footer="0.3"/>', b'footer="0.3"/><headerFooter><oddHeader>&amp;L&amp;G</oddHeader></headerFooter>'
                                           b'<legacyDrawingHF r:id="rId1"/>')
    reg = variant(SAMPLE, tmp_path / "hf.xlsx", edit)
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    parts = members(out)
    assert parts["xl/drawings/vmlDrawingHF1.vml"] == hf_vml
    assert b"legacyDrawingHF" in parts[REGISTER_PART]
    assert package_problems(out) == []
    assert vml_shape_problems(out) == []
    again = tmp_path / "again.xlsx"
    annotate(out, again)
    b = members(again)
    assert [n for n in parts if parts[n] != b.get(n) and n != "docProps/core.xml"] == []


def _cols(xml: bytes) -> list[tuple[int, int, dict]]:
    root = etree.fromstring(xml)
    return [(int(c.get("min")), int(c.get("max")), dict(c.attrib)) for c in root.iter(f"{{{MAIN}}}col")]


def test_a_column_range_over_every_column(tmp_path):
    """<col min="1" max="16384" style=..> (a whole-sheet format): the tool's columns split it, no
    two <col> overlap, and checking again gives the officer's range back whole."""
    def edit(parts):
        xml = parts[REGISTER_PART]
        parts[REGISTER_PART] = re.sub(rb"<cols>.*?</cols>", b'<cols><col min="1" max="16384" width="12.7109375" style="2" customWidth="1"/></cols>', xml)
    reg = variant(SAMPLE, tmp_path / "allcols.xlsx", edit)
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    cols = _cols(members(out)[REGISTER_PART])
    spans = sorted((a, b) for a, b, _ in cols)
    assert all(b1 < a2 for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False)), spans
    assert spans[0][0] == 1 and spans[-1][1] == 16384
    assert package_problems(out) == []
    from partnership_xl.workbook.package import Package
    from partnership_xl.workbook.patch import Patcher

    pkg = Package.read(out)
    Patcher(pkg, REGISTER, SEVERITY_FILLS).unmark(4)
    assert _cols(pkg.get(REGISTER_PART)) == _cols(members(reg)[REGISTER_PART])


def test_merged_blocks_over_flagged_cells_and_past_the_last_column(tmp_path):
    flagged = {f.cell for f in check(SAMPLE, Settings(), AS_OF).findings if f.cell and f.sheet == REGISTER}
    ref = sorted(flagged, key=lambda r: (int(re.sub(r"\D", "", r)), r))[3]
    row = int(re.sub(r"\D", "", ref))
    col = col_number(re.sub(r"\d", "", ref))
    block = f"{col_letters(col - 1)}{row}:{ref}" if col > 1 else f"{ref}:{col_letters(col + 1)}{row}"

    def edit(parts):
        xml = parts[REGISTER_PART]
        merges = f'<mergeCells count="3"><mergeCell ref="A1:AZ1"/><mergeCell ref="{block}"/><mergeCell ref="AQ6:AT6"/></mergeCells>'.encode()
        parts[REGISTER_PART] = xml.replace(b"<dataValidations", merges + b"<dataValidations")
    reg = variant(SAMPLE, tmp_path / "merged.xlsx", edit)
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    assert package_problems(out) == []
    headers = [h for (r, c), h in register_rows(out).items() if r == 4 and str(h).endswith(TOOL_SUFFIX)]
    assert len(headers) == 5
    # the tool's columns start after the block AQ6:AT6
    tool_cols = sorted(c for (r, c), h in register_rows(out).items() if r == 4 and str(h).endswith(TOOL_SUFFIX))
    assert tool_cols[0] == col_number("AU")


def _filter_name(path: Path, sheet: str = REGISTER) -> str | None:
    return next((text for name, on, text in defined_names(members(path)) if name == "_xlnm._FilterDatabase" and on == sheet), None)


def test_the_filters_defined_name_follows_the_widened_autofilter(tmp_path):
    """Excel keeps _xlnm._FilterDatabase equal to the sheet's autoFilter, and LibreOffice takes the
    filter's range from the name: widened over the tool's columns, both must say the same."""
    out = tmp_path / "copy.xlsx"
    annotate(SAMPLE, out)
    ref = re.search(rb'<autoFilter ref="([A-Z0-9:]+)"', members(out)[REGISTER_PART]).group(1).decode()
    assert _filter_name(out) == "'Partnership Register'!" + ":".join("$" + re.sub(r"(\d+)", r"$\1", p) for p in ref.split(":"))
    from partnership_xl.workbook.package import Package
    from partnership_xl.workbook.patch import Patcher

    pkg = Package.read(out)
    Patcher(pkg, REGISTER, SEVERITY_FILLS).unmark(4)
    root = etree.fromstring(pkg.get("xl/workbook.xml"))
    assert [d.text for d in root.iter(f"{{{MAIN}}}definedName")] == ["'Partnership Register'!$A$4:$AQ$47"]


# =========================================================================================================
# 6. the register sheet's own drawing: an officer's note on a flagged cell, a form-control button
# =========================================================================================================
BUTTON_VML = (b'<xml xmlns:v="urn:schemas-microsoft-com:vml"\n xmlns:o="urn:schemas-microsoft-com:office:office"\n'
              b' xmlns:x="urn:schemas-microsoft-com:office:excel">\n <o:shapelayout v:ext="edit">\n  <o:idmap v:ext="edit" data="1"/>\n'
              b' </o:shapelayout><v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201"\n  path="m,l,21600r21600,l21600,xe">\n'
              b'  <v:stroke joinstyle="miter"/>\n  <v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" o:connecttype="rect"/>\n'
              b'  <o:lock v:ext="edit" shapetype="t"/>\n </v:shapetype><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"\n'
              b'  path="m,l,21600r21600,l21600,xe">\n  <v:stroke joinstyle="miter"/>\n  <v:path gradientshapeok="t" o:connecttype="rect"/>\n'
              b' </v:shapetype><v:shape id="_x0000_s1025" type="#_x0000_t201" style=\'position:absolute;margin-left:20pt;margin-top:5pt;'
              b'width:80pt;height:20pt;z-index:1\' o:button="t" fillcolor="buttonFace [67]" strokecolor="windowText [64]" o:insetmode="auto">\n'
              b'  <v:fill color2="buttonFace [67]" o:detectmouseclick="t"/>\n  <o:lock v:ext="edit" rotation="t"/>\n'
              b'  <v:textbox style=\'mso-direction-alt:auto\' o:singleclick="f">\n   <div style=\'text-align:center\'><font face="Calibri" size="220"'
              b' color="#000000">Refresh</font></div>\n  </v:textbox>\n  <x:ClientData ObjectType="Button">\n'
              b'   <x:Anchor>\n    1, 0, 1, 0, 2, 0, 2, 0</x:Anchor>\n   <x:PrintObject>False</x:PrintObject>\n   <x:AutoFill>False</x:AutoFill>\n'
              b'   <x:FmlaMacro>[0]!Refresh</x:FmlaMacro>\n   <x:TextHAlign>Center</x:TextHAlign>\n   <x:TextVAlign>Center</x:TextVAlign>\n'
              b'  </x:ClientData>\n </v:shape>%s</xml>')
NOTE_SHAPE = (b'<v:shape id="_x0000_s1026" type="#_x0000_t202" style=\'position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:108pt;'
              b'height:59.25pt;z-index:2;visibility:hidden\' fillcolor="#ffffe1" o:insetmode="auto">\n  <v:fill color2="#ffffe1"/>\n'
              b'  <v:shadow on="t" color="black" obscured="t"/>\n  <v:path o:connecttype="none"/>\n  <v:textbox style=\'mso-direction-alt:auto\'>\n'
              b"   <div style='text-align:left'></div>\n  </v:textbox>\n  <x:ClientData ObjectType=\"Note\">\n   <x:MoveWithCells/>\n"
              b"   <x:SizeWithCells/>\n   <x:Anchor>\n    3, 15, 2, 10, 5, 15, 6, 4</x:Anchor>\n   <x:AutoFill>False</x:AutoFill>\n"
              b"   <x:Row>%d</x:Row>\n   <x:Column>%d</x:Column>\n  </x:ClientData>\n </v:shape>")
CONTROLS = (b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x14">'
            b'<controls><mc:AlternateContent><mc:Choice Requires="x14"><control xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
            b'shapeId="1025" r:id="rId3" name="Button 1"/></mc:Choice></mc:AlternateContent></controls></mc:Choice></mc:AlternateContent>')


def button_and_note_register(tmp_path: Path) -> tuple[Path, str]:
    flagged = sorted({f.cell for f in check(SAMPLE, Settings(), AS_OF).findings if f.cell and f.sheet == REGISTER and f.code == "PP801"})
    ref = flagged[0]
    row, col = int(re.sub(r"\D", "", ref)), col_number(re.sub(r"\d", "", ref))

    def edit(parts):
        parts["xl/drawings/vmlDrawing1.vml"] = BUTTON_VML % (NOTE_SHAPE % (row - 1, col - 1))
        parts["xl/comments1.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="' + MAIN.encode() + b'">'
                                     b"<authors><author>Sarah Whitfield</author></authors><commentList><comment ref=\"" + ref.encode()
                                     + b'" authorId="0" shapeId="0"><text><r><rPr><b/><sz val="9"/><rFont val="Tahoma"/></rPr><t>Sarah Whitfield:</t></r>'
                                     b'<r><rPr><sz val="9"/><rFont val="Tahoma"/></rPr><t xml:space="preserve">\nLead officer left in May; '
                                     b"post vacant </t></r></text></comment></commentList></comments>")
        parts["xl/ctrlProps/ctrlProp1.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<formControlPr xmlns="http://schemas.'
                                               b'microsoft.com/office/spreadsheetml/2009/9/main" objectType="Button" lockText="1"/>')
        parts["xl/worksheets/_rels/sheet2.xml.rels"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="' + PKG_REL.encode() + b'">'
            b'<Relationship Id="rId2" Type="' + REL.encode() + b'/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/>'
            b'<Relationship Id="rId1" Type="' + REL.encode() + b'/comments" Target="../comments1.xml"/>'
            b'<Relationship Id="rId3" Type="' + REL.encode() + b'/ctrlProp" Target="../ctrlProps/ctrlProp1.xml"/></Relationships>')
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
            b'<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
            b'<Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>'
            b'<Override PartName="/xl/ctrlProps/ctrlProp1.xml" ContentType="application/vnd.ms-excel.controlproperties+xml"/></Types>'))
        xml = parts[REGISTER_PART]
        parts[REGISTER_PART] = xml.replace(b"</worksheet>", b'<legacyDrawing r:id="rId2"/>' + CONTROLS + b"</worksheet>")
    return variant(SAMPLE, tmp_path / "button.xlsx", edit), ref


def _comment_texts(path: Path) -> dict[str, str]:
    parts = members(path)
    part = sheet_parts(parts)[REGISTER]
    out = {}
    for r in _rels_of(parts, part):
        if r.get("Type").endswith("/comments"):
            root = etree.fromstring(parts[_resolve(part, r.get("Target"))])
            for c in root.iter(f"{{{MAIN}}}comment"):
                out[c.get("ref")] = "".join(t.text or "" for t in c.iter(f"{{{MAIN}}}t"))
    return out


def test_a_button_and_an_officers_note_in_the_register_sheets_drawing(tmp_path):
    reg, ref = button_and_note_register(tmp_path)
    assert package_problems(reg) == []
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    assert package_problems(out) == []
    assert vml_shape_problems(out) == []
    parts = members(out)
    vml = parts["xl/drawings/vmlDrawing1.vml"]
    assert vml.count(b'ObjectType="Button"') == 1 and b"_x0000_s1025" in vml
    text = _comment_texts(out)[ref]
    assert text.startswith("Sarah Whitfield:\nLead officer left in May; post vacant ") and "[partnership-xl]" in text
    # the controls (inside mc:AlternateContent) stay after the legacyDrawing; one legacyDrawing
    xml = parts[REGISTER_PART]
    assert xml.count(b"<legacyDrawing ") == 1 and xml.index(b"<legacyDrawing ") < xml.index(b"<mc:AlternateContent")
    again = tmp_path / "again.xlsx"
    annotate(out, again)
    b = members(again)
    assert [n for n in parts if parts[n] != b.get(n) and n != "docProps/core.xml"] == []
    from partnership_xl.workbook.package import Package
    from partnership_xl.workbook.patch import Patcher

    pkg = Package.read(again)
    Patcher(pkg, REGISTER, SEVERITY_FILLS).unmark(4)
    assert pkg.get("xl/drawings/vmlDrawing1.vml") == members(reg)["xl/drawings/vmlDrawing1.vml"]
    assert "xl/ctrlProps/ctrlProp1.xml" in pkg.names()


# =========================================================================================================
# 7. elements of the register sheet the patch does not own
# =========================================================================================================
def table_register(parts: dict[str, bytes]) -> None:
    """The register as an Excel table (ListObject) A4:AQ47 with its own filter; the sheet's filter gone;
    sheet protection on; a conditional format over whole rows."""
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_filelike(io_bytes(variant_bytes(parts)))
    headers = book.get_sheet_by_name(REGISTER).to_python(skip_empty_area=False)[3][:43]
    columns = "".join(f'<tableColumn id="{i}" name="{escape_attr(str(h))}"/>' for i, h in enumerate(headers, 1))
    parts["xl/tables/table1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<table xmlns="{MAIN}" id="1" name="Register" displayName="Register" ref="A4:AQ47" totalsRowShown="0">'
        f'<autoFilter ref="A4:AQ47"/><tableColumns count="43">{columns}</tableColumns>'
        '<tableStyleInfo name="TableStyleLight9" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>').encode()
    parts["xl/worksheets/_rels/sheet2.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="' + PKG_REL.encode() + b'">'
        b'<Relationship Id="rId1" Type="' + REL.encode() + b'/table" Target="../tables/table1.xml"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/tables/table1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/></Types>')
    xml = parts[REGISTER_PART]
    xml = xml.replace(b'<autoFilter ref="A4:AQ47"/>', b'<sheetProtection sheet="1" objects="1" scenarios="1" autoFilter="0"/>')
    xml = xml.replace(b"<dataValidations", b'<conditionalFormatting sqref="5:5 A7:XFD7"><cfRule type="expression" priority="1">'
                      b"<formula>TRUE</formula></cfRule></conditionalFormatting><dataValidations")
    xml = xml.replace(b"</worksheet>", b'<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>')
    parts[REGISTER_PART] = xml
    wb = parts["xl/workbook.xml"]
    parts["xl/workbook.xml"] = re.sub(rb"<definedNames>.*?</definedNames>", b"", wb)


def io_bytes(data: bytes):
    import io

    return io.BytesIO(data)


def variant_bytes(parts: dict[str, bytes]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def escape_attr(text: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(text)[1:-1]


def test_a_register_table_with_protection_and_whole_row_formats(tmp_path):
    reg = variant(SAMPLE, tmp_path / "table.xlsx", table_register)
    assert package_problems(reg) == []
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    assert package_problems(out) == []
    a, b = members(reg), members(out)
    assert b["xl/tables/table1.xml"] == a["xl/tables/table1.xml"]
    for tag in (rb"<sheetProtection[^>]*/>", rb"<conditionalFormatting.*?</conditionalFormatting>", rb"<tableParts.*?</tableParts>"):
        assert re.search(tag, b[REGISTER_PART], re.S).group(0) == re.search(tag, a[REGISTER_PART], re.S).group(0)
    again = tmp_path / "again.xlsx"
    annotate(out, again)
    c = members(again)
    assert [n for n in b if b[n] != c.get(n) and n != "docProps/core.xml"] == []


def test_a_copy_whose_sheet_another_writer_rewrote_with_s_first_and_single_quotes(tmp_path):
    """The tool's own cells written back as <c s='8' r='AR5'>: still found and replaced, never kept
    as the officer's cells (which would bring them back at every later check)."""
    first = tmp_path / "first.xlsx"
    annotate(SAMPLE, first)
    rewritten = variant(first, tmp_path / "rewritten.xlsx", lambda p: _edit_sheet(p, REGISTER_PART, single_quoted_s_first))
    second = tmp_path / "second.xlsx"
    annotate(rewritten, second)
    assert package_problems(second) == []
    assert sum(h.endswith(TOOL_SUFFIX) for h in header_texts(second)) == 5
    record = next(d for n, d in members(second).items() if n.startswith("customXml/item") and b"partnership-xl" in d)
    assert b"<displaced" not in record
    third = tmp_path / "third.xlsx"
    annotate(second, third)
    a, b = members(second), members(third)
    assert [n for n in a if a[n] != b.get(n) and n != "docProps/core.xml"] == []


# =========================================================================================================
# 8. the register sheet as Excel 2016+ writes it; zip64 members; LibreOffice opens the tricky copies
# =========================================================================================================
EXCEL_ROOT = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
              b'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" '
              b'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
              b'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
              b'xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" '
              b'xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3" '
              b'xr:uid="{00000000-0001-0000-0100-000000000000}">')


def excel_2016_sheet(xml: bytes) -> bytes:
    xml = re.sub(rb"<worksheet [^>]*>", EXCEL_ROOT, xml, count=1)
    xml = xml.replace(b'<sheetFormatPr defaultRowHeight="15"/>', b'<sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/>')
    return re.sub(rb'(<row r="\d+" spans="[0-9:]+")', rb'\1 x14ac:dyDescent="0.25"', xml)


def test_the_register_sheet_as_excel_2016_writes_it(tmp_path):
    reg = variant(SAMPLE, tmp_path / "excel2016.xlsx", lambda p: _edit_sheet(p, REGISTER_PART, excel_2016_sheet))
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    xml = members(out)[REGISTER_PART]
    root = etree.fromstring(xml)  # every prefix the rows use is still declared
    assert root.get("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable") == "x14ac xr xr2 xr3"
    assert xml.count(b'x14ac:dyDescent="0.25"') == members(reg)[REGISTER_PART].count(b'x14ac:dyDescent="0.25"')
    assert package_problems(out) == []


def test_zip64_members_are_read_and_carried_over(tmp_path):
    src = members(SAMPLE)
    reg = tmp_path / "zip64.xlsx"
    with zipfile.ZipFile(reg, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in src.items():
            with z.open(zipfile.ZipInfo(name, date_time=(2024, 5, 1, 12, 0, 0)), "w", force_zip64=True) as fh:
                fh.write(data)
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    assert package_problems(out) == []
    changed = {REGISTER_PART, "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "[Content_Types].xml"}
    copy = members(out)
    assert [n for n in src if n not in changed and copy.get(n) != src[n]] == []


def test_libreoffice_converts_the_tricky_copies(tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    copies = []
    for name, build in (("button", lambda: button_and_note_register(tmp_path)[0]),
                        ("table", lambda: variant(SAMPLE, tmp_path / "table.xlsx", table_register)),
                        ("quoted", lambda: variant(SAMPLE, tmp_path / "quoted.xlsx", lambda p: _edit_sheet(p, REGISTER_PART, single_quoted_s_first)))):
        out = tmp_path / f"copy-{name}.xlsx"
        annotate(build(), out)
        copies.append(out)
    outdir = tmp_path / "converted"
    outdir.mkdir()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "ods",
                    "--outdir", str(outdir), *map(str, copies)], capture_output=True, timeout=300, check=True)
    import python_calamine as pc

    for copy in copies:
        converted = outdir / (copy.stem + ".ods")
        assert converted.exists(), copy.name
        rows = pc.CalamineWorkbook.from_path(str(converted)).get_sheet_by_name(REGISTER).to_python(skip_empty_area=False)
        got = {(r, c): v for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1) if v not in ("", None)}
        want = register_rows(copy)
        assert {k: got.get(k) for k in want if isinstance(want[k], str)} == {k: v for k, v in want.items() if isinstance(v, str)}


def sort_rows(xml: bytes, first: int, last: int) -> bytes:
    """What Excel's sort does to the cells: rows first..last in reverse order, renumbered, styles travelling with them."""
    rows = {int(m.group(1)): m.group(0) for m in re.finditer(rb'<row r="(\d+)"[^>]*>.*?</row>', xml, re.S)}
    block = [rows[r] for r in range(first, last + 1) if r in rows]
    numbers = [r for r in range(first, last + 1) if r in rows]
    moved = []
    for new, row in zip(numbers, reversed(block), strict=True):
        old = int(re.match(rb'<row r="(\d+)"', row).group(1))
        row = re.sub(rb'(<row r=")\d+', rb"\g<1>" + str(new).encode(), row, count=1)
        moved.append(re.sub(rb'(<c r="[A-Z]+)' + str(old).encode() + rb'"', rb"\g<1>" + str(new).encode() + b'"', row))
    start = xml.index(block[0])
    end = xml.index(block[-1]) + len(block[-1])
    return xml[:start] + b"".join(moved) + xml[end:]


def test_a_copy_the_officer_sorted_keeps_no_stale_fill(tmp_path):
    """The officer sorts the copy (by the tool's RAG column, say): the flagged cells' formats travel
    with their rows, away from the cells the record names. Checking again must leave a severity
    fill that cannot be taken off."""
    first = tmp_path / "first.xlsx"
    annotate(SAMPLE, first)
    sorted_copy = variant(first, tmp_path / "sorted.xlsx", lambda p: _edit_sheet(p, REGISTER_PART, lambda x: sort_rows(x, 5, 47)))
    second = tmp_path / "second.xlsx"
    annotate(sorted_copy, second)
    # the new record must name each flagged cell's own format as its "before", never a format of the
    # tool's (else the fill can never be taken off again once the problem is fixed)
    from partnership_xl.workbook.package import Package
    from partnership_xl.workbook.record import find
    from partnership_xl.workbook.styles import StyleBook

    pkg = Package.read(second)
    record = find(pkg, "xl/workbook.xml")
    styles = StyleBook(pkg, "xl/workbook.xml")
    severity = {"FFF8A5A5", "FFFFD27F", "FF9DC3E6"}
    stale = sorted(c.ref for c in record.cells if c.before is not None and styles.has_solid_fill(int(c.before), severity))
    assert stale == []


def test_the_tools_text_goes_before_an_officers_notes_phonetic_runs(tmp_path):
    """CT_Rst is (t?, r*, rPh*, phoneticPr?): the tool's run follows the officer's runs, before any rPh."""
    ref = sorted({f.cell for f in check(SAMPLE, Settings(), AS_OF).findings if f.cell and f.sheet == REGISTER and f.code == "PP801"})[0]

    def edit(parts):
        # the officer's note: runs then phonetic runs (as Excel writes a note typed with a Japanese IME)
        parts["xl/comments1.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="' + MAIN.encode() + b'">'
                                     b'<authors><author>Officer</author></authors><commentList><comment ref="' + ref.encode()
                                     + b'" authorId="0" shapeId="0"><text><r><t>Tanaka</t></r><rPh sb="0" eb="6"><t>tanaka</t></rPh>'
                                     b'<phoneticPr fontId="1"/></text></comment></commentList></comments>')
        parts["xl/drawings/vmlDrawing1.vml"] = BUTTON_VML % (NOTE_SHAPE % (int(re.sub(r"\D", "", ref)) - 1, col_number(re.sub(r"\d", "", ref)) - 1))
        parts["xl/worksheets/_rels/sheet2.xml.rels"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="' + PKG_REL.encode() + b'">'
            b'<Relationship Id="rId2" Type="' + REL.encode() + b'/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/>'
            b'<Relationship Id="rId1" Type="' + REL.encode() + b'/comments" Target="../comments1.xml"/></Relationships>')
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
            b'<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
            b'<Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/></Types>'))
        parts[REGISTER_PART] = parts[REGISTER_PART].replace(b"</worksheet>", b'<legacyDrawing r:id="rId2"/></worksheet>')
    reg = variant(SAMPLE, tmp_path / "rph.xlsx", edit)
    out = tmp_path / "copy.xlsx"
    annotate(reg, out)
    root = etree.fromstring(members(out)["xl/comments1.xml"])
    note = next(c for c in root.iter(f"{{{MAIN}}}comment") if c.get("ref") == ref)
    order = [etree.QName(e).localname for e in note.find(f"{{{MAIN}}}text")]
    assert order == ["r", "r", "rPh", "phoneticPr"], order
    again = tmp_path / "again.xlsx"
    annotate(out, again)
    assert members(again)["xl/comments1.xml"] == members(out)["xl/comments1.xml"]
