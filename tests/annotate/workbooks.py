"""Registers for the annotated-copy tests, made the way officers' workbooks are: with xlsxwriter
(as Excel writes them: cached formula results, shared strings, drawings) and carrying what real
ones carry — charts, pictures, tables, notes, validations, conditional formats, merged cells,
hidden sheets, defined names, frozen panes, widths — and, with ``lossy=True``, the things openpyxl
cannot keep (text box, form control, sparkline, Excel 2010 data bar, header picture, ignored
errors, background picture, dynamic array formula)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from PIL import Image

from ..conftest import CLEAN

HEADERS = list(CLEAN)
COL = {h: i for i, h in enumerate(HEADERS)}  # 0-based, as xlsxwriter counts
HEADER_ROW = 3  # Excel row of the register's header
OFFICER_NOTE = "Sarah left in March; post being recruited."
OFFICER_FILL = "FFFFFF00"


def png(colour: str = "red") -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(data, "PNG")
    data.seek(0)
    return data


def register_rows() -> list[dict]:
    """Five partnerships: clean, an error, a warning, an info, and a duplicate ref (error)."""
    clean = dict(CLEAN)
    rows = [dict(clean, **{"Ref": "P001"})]
    rows.append(dict(clean, **{"Ref": "P002", "Partnership name": "Welland Valley Partnership", "Lead officer": None}))
    rows.append(dict(clean, **{"Ref": "P003", "Partnership name": '=HYPERLINK("http://example.com","click")', "Council priority": None}))
    rows.append(dict(clean, **{"Ref": "P004", "Partnership name": "Foxton Locks Partnership", "Last reviewed": date(2025, 12, 20)}))
    rows.append(dict(clean, **{"Ref": "P001", "Partnership name": "Lutterworth Regeneration"}))
    return rows


def rich_register(path: Path, lossy: bool = False, extra_sheets: tuple[str, ...] = ()) -> Path:
    """Write the fidelity register to ``path`` (see the module docstring)."""
    wb = xlsxwriter.Workbook(path, {"default_date_format": "dd/mm/yyyy"})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money = wb.add_format({"num_format": "£#,##0"})
    when = wb.add_format({"num_format": "dd/mm/yyyy"})
    yellow = wb.add_format({"bg_color": "#FFFF00"})

    guidance = wb.add_worksheet("Guidance")
    guidance.merge_range("A1:D1", "How to keep the register", bold)
    guidance.write("A3", "One row a partnership.")
    guidance.set_column("A:A", 50)

    ws = wb.add_worksheet("Register")
    ws.merge_range("A1:F1", "Harborough District Council — Partnership Register", wb.add_format({"bold": True, "font_size": 14}))
    ws.write_row(HEADER_ROW - 1, 0, HEADERS, bold)
    ws.set_row(HEADER_ROW - 1, 32)
    for r, values in enumerate(register_rows(), HEADER_ROW):
        for header, value in values.items():
            c = COL[header]
            if value is None:
                continue
            if isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), when)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            elif header.startswith("Direct"):
                ws.write_number(r, c, value, money)
            else:
                ws.write_number(r, c, value)
    ws.write_blank(HEADER_ROW + 1, COL["Lead officer"], None, yellow)
    ws.write_comment(HEADER_ROW + 1, COL["Lead officer"], OFFICER_NOTE, {"author": "Jo Bloggs"})
    ws.write_comment(HEADER_ROW, COL["Purpose"], "Checked with the partners in May.", {"author": "Jo Bloggs"})
    ws.write_formula(HEADER_ROW, COL["Risk likelihood (1-5)"], "=1+1", None, 2)
    ws.write_rich_string(HEADER_ROW + 2, COL["Purpose"], "Reduce ", wb.add_format({"bold": True}), "crime", " together")
    ws.write_url(HEADER_ROW + 3, COL["Notes"], "https://www.harborough.gov.uk/", string="Council website")
    last_row = HEADER_ROW + len(register_rows())
    ws.write(last_row + 2, 0, "Notes: figures as at November.")
    ws.data_validation(HEADER_ROW, COL["Status"], last_row, COL["Status"],
                       {"validate": "list", "source": ["Proposed", "Active", "Under review", "Exiting", "Closed"]})
    ws.conditional_format(HEADER_ROW, COL["Direct contribution (£ a year)"], last_row, COL["Direct contribution (£ a year)"],
                          {"type": "cell", "criteria": ">=", "value": 10000, "format": wb.add_format({"font_color": "#9C0006"})})
    ws.autofilter(HEADER_ROW - 1, 0, last_row, len(HEADERS) - 1)
    ws.freeze_panes(HEADER_ROW, 2)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 42)
    ws.set_column(COL["Notes"], COL["Notes"], 25, None, {"hidden": True})
    ws.set_tab_color("#00B050")
    ws.repeat_rows(HEADER_ROW - 1)
    ws.print_area(0, 0, last_row, len(HEADERS) - 1)
    ws.set_landscape()
    wb.define_name("Contributions", f"=Register!$P${HEADER_ROW + 1}:$P${last_row + 1}")
    wb.define_name("Register!LocalRefs", f"=Register!$A${HEADER_ROW + 1}:$A${last_row + 1}")

    lookups = wb.add_worksheet("Lookups")
    lookups.add_table("A1:B4", {"name": "Statuses", "columns": [{"header": "Status"}, {"header": "Meaning"}],
                                "data": [["Active", "running"], ["Exiting", "leaving"], ["Closed", "ended"]]})
    charts = wb.add_worksheet("Charts")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "Contribution", "values": f"=Register!$P${HEADER_ROW + 1}:$P${last_row + 1}",
                      "categories": f"=Register!$A${HEADER_ROW + 1}:$A${last_row + 1}"})
    chart.set_title({"name": "Contributions"})
    charts.insert_chart("B2", chart)
    charts.insert_image("J2", "logo.png", {"image_data": png()})
    old = wb.add_worksheet("Old")
    old.write("A1", "Last year's notes")
    old.hide()
    secret = wb.add_worksheet("Secret")
    secret.write("A1", 42)
    secret.very_hidden()
    for name in extra_sheets:
        extra = wb.add_worksheet(name)
        extra.write("A1", f"The officer's own {name} sheet")
    pie = wb.add_chart({"type": "pie"})
    pie.add_series({"values": f"=Register!$P${HEADER_ROW + 1}:$P${last_row + 1}"})
    wb.add_chartsheet("Chart sheet").set_chart(pie)

    if lossy:
        ws.insert_textbox("B12", "Please keep this up to date")
        ws.insert_button("E12", {"caption": "Refresh"})
        ws.add_sparkline(HEADER_ROW, len(HEADERS) + 8, {"range": f"Register!P{HEADER_ROW + 1}:P{last_row + 1}"})
        ws.conditional_format(HEADER_ROW, COL["Risk impact (1-5)"], last_row, COL["Risk impact (1-5)"],
                              {"type": "data_bar", "data_bar_2010": True})
        ws.set_header("&L&G", {"image_left": "crest.png", "image_data_left": png("blue")})
        ws.ignore_errors({"number_stored_as_text": "A1:AZ100"})
        guidance.set_background(png("green"))
        guidance.write_dynamic_array_formula("F1:F3", "=_xlfn._xlws.SORT(G1:G3)", None, 1)
        guidance.write_column("G1", [3, 1, 2])
    wb.close()
    return path


def add_parts(path: Path, parts: dict[str, tuple[str, bytes]], sheet_rels: dict[str, str] = (),
              sheet_xml: bytes = b"", sheet: str = "xl/worksheets/sheet2.xml") -> None:
    """Add parts (name → (content type, bytes)) to an .xlsx, related from ``sheet`` (rel type → part),
    and ``sheet_xml`` before the end of that sheet: how the tests give a workbook Excel-only content."""
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    types = files["[Content_Types].xml"].decode()
    for name, (content_type, data) in parts.items():
        files[name] = data
        types = types.replace("</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
    files["[Content_Types].xml"] = types.encode()
    if sheet_rels:
        rels_name = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
        rels = files.get(rels_name, b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>').decode()
        for i, (rel_type, target) in enumerate(dict(sheet_rels).items(), 90):
            rels = rels.replace("</Relationships>", f'<Relationship Id="rId{i}" Type="{rel_type}" Target="/{target}"/></Relationships>')
        files[rels_name] = rels.encode()
    if sheet_xml:
        files[sheet] = re.sub(rb"</worksheet>\s*$", sheet_xml + b"</worksheet>", files[sheet])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


def write_ods(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice saves), for the non-xlsx copy."""
    def cell(value) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, date):
            return f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"><text:p>{value}</text:p></table:table-cell>'
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        text = str(value).replace("&", "&amp;").replace("<", "&lt;")
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{name}">' + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows) + "</table:table>"
        for name, rows in sheets.items())
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path
