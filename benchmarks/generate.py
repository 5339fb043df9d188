"""Generate realistic Partnership Registers for the benchmarks (issue 7).

    python benchmarks/generate.py 10000 benchmarks/data/register-10000.xlsx [--formatted]

A generated register has the shape of ``scripts/make_samples.py``'s sample (it imports its
columns, partnerships, guidance and lookups): a Guidance sheet first, then the register sheet with
a title and a note above the header on row 4, the 43 sample columns (SPEC §2.1 headers, a few
aliases, two extra columns), data validations and an autofilter, notes under the table, and a
Lookups sheet. Each row starts from one of the sample's 43 partnerships, so the text is what
officers write, and is then varied the way a county-wide, multi-council register varies:

* refs from eight councils (``BDC-00042``), a few duplicated (DQ006);
* names, partners and lead officers varied per council, so the shared-string table grows as a real
  one does rather than holding 43 strings;
* dates spread over the years around the as-of date (2026-11-25), some overdue (PP501), some due
  soon (PP503), a few in the future (DQ011); typed as Excel dates or as officers' text dates;
* money, yes/no and scores in officers' typing habits (``£5,605 + VAT``, ``5k``, ``✓``, ``nil``);
* a realistic share of problems: blanks (DQ002, PP204, PP601, PP801, PP502), text that does not
  parse (DQ003/DQ004/DQ005), exits without a strategy (PP902...), an Excel error now and then
  (DQ007).

The mix of findings follows the sample's (about a third of rows Red). Deterministic: the same
arguments give the same cells (xlsxwriter is given a fixed creation date).

``--formatted`` formats the register sheet down to Excel's last row, 1,048,576, the way officers'
workbooks often are: every row below the table carries a style, the columns carry number formats,
and the drop-down lists and a conditional format run to the last row.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

REPO_ROOT = Path(__file__).resolve().parent.parent
EXCEL_ROWS = 1_048_576
AS_OF = date(2026, 11, 25)
GENERATOR_VERSION = "3"  # bump when the output changes, so cached files are rebuilt


def _samples():
    spec = importlib.util.spec_from_file_location("make_samples", REPO_ROOT / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


S = _samples()

COUNCILS = [  # prefix, council, a local place name
    ("HDC", "Harborough District Council", "Harborough"), ("BDC", "Blaby District Council", "Blaby"),
    ("CBC", "Charnwood Borough Council", "Charnwood"), ("HBBC", "Hinckley and Bosworth Borough Council", "Hinckley"),
    ("MBC", "Melton Borough Council", "Melton"), ("NWL", "North West Leicestershire District Council", "Coalville"),
    ("OWBC", "Oadby and Wigston Borough Council", "Oadby"), ("LCC", "Leicestershire County Council", "Leicestershire"),
]
FIRST = ["Sarah", "Raj", "Emma", "Priya", "Tom", "David", "Gemma", "Mark", "Chris", "Aisha", "Helen", "Owen", "Kirsty",
         "James", "Fatima", "Liam", "Zoe", "Ben", "Hannah", "Imran", "Rachel", "Paul", "Sophie", "Daniel"]
LAST = ["Whitfield", "Patel", "Collins", "Sharma", "Hale", "Marsh", "Lloyd", "Thornton", "Rowley", "Begum", "Brackley",
        "Price", "Dunn", "Wright", "Khan", "Murphy", "Taylor", "Evans", "Green", "Hussain", "Clarke", "Walker", "Bennett"]
STATUSES = [("Active", 78), ("Proposed", 5), ("Under review", 5), ("Exiting", 4), ("Closed", 8)]
DATE_TEXT_FORMATS = ("%d/%m/%Y", "%d.%m.%y", "%d-%b-%Y", "%Y-%m-%d", "%d/%m/%y")
BAD_DATES = ("TBC", "ongoing", "31/02/2026", "Spring 2026", "n/k")
BAD_MONEY = ("see note", "varies", "£?", "approx half a post")
BAD_YESNO = ("maybe", "partly", "tbc")
BAD_SCORE = ("High", "Med", "6", "0")


def _weighted(rng: random.Random, pairs) -> str:
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for value, w in pairs:
        x -= w
        if x <= 0:
            return value
    return pairs[-1][0]


def _date_cell(rng: random.Random, d: date) -> object:
    """A date as officers enter it: mostly a real Excel date, sometimes typed as text, rarely junk."""
    x = rng.random()
    if x < 0.004:
        return rng.choice(BAD_DATES)
    if x < 0.25:
        return d.strftime(rng.choice(DATE_TEXT_FORMATS))
    return d


def _money_cell(rng: random.Random, amount: float) -> object:
    x = rng.random()
    if x < 0.004:
        return rng.choice(BAD_MONEY)
    if amount == 0:
        return rng.choice([0, 0, "nil", "-", "none"])
    if x < 0.55:
        return amount
    if x < 0.8:
        return f"£{amount:,.0f}"
    if x < 0.9 and amount >= 1000 and amount % 1000 == 0:
        return f"{amount / 1000:.0f}k"
    return f"£{amount:,.0f} + VAT"


def _yes(rng: random.Random) -> str:
    return rng.choice(["Y", "Y", "Yes", "yes", "✓", "x", "TRUE"])


def make_row(i: int, rng: random.Random, refs_so_far: list[str]) -> dict:
    """Cell values by column key for the i-th partnership of a generated register."""
    p = S.PARTNERSHIPS[i % len(S.PARTNERSHIPS)]
    prefix, council, place = COUNCILS[(i // len(S.PARTNERSHIPS)) % len(COUNCILS)]
    cells = S._cells(p)
    batch = i // (len(S.PARTNERSHIPS) * len(COUNCILS))
    cells["ref"] = f"{prefix}-{i + 1:05d}"
    if refs_so_far and rng.random() < 0.002:
        cells["ref"] = rng.choice(refs_so_far[-50:])  # a copied row kept its ref (DQ006)
    name = str(p["name"]).replace("Harborough", place)
    cells["name"] = name if batch == 0 else f"{name} ({batch + 1})"
    if cells.get("partners"):
        cells["partners"] = str(cells["partners"]).replace("Harborough", place)
    officer = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    cells["lead_officer"] = officer
    cells["email"] = officer.lower().replace(" ", ".") + f"@{prefix.lower()}.gov.uk"

    status = _weighted(rng, STATUSES)
    if rng.random() < 0.03:
        status = status.lower()
    cells["status"] = status
    start = AS_OF - timedelta(days=rng.randint(200, 9000))
    cells["start"] = _date_cell(rng, start)
    if status.lower() != "proposed":
        # most reviews inside the year; ~15% overdue (PP501), a few in the future (DQ011), some never (PP502)
        x = rng.random()
        if x < 0.03:
            cells["last_review"] = None
        else:
            ago = rng.randint(0, 330) if x < 0.92 else rng.randint(366, 900) if x < 0.99 else rng.randint(-60, -1)
            cells["last_review"] = _date_cell(rng, AS_OF - timedelta(days=ago))
    else:
        cells["last_review"] = None
    cells["next_review"] = None
    if rng.random() < 0.2:
        cells["end"] = _date_cell(rng, AS_OF + timedelta(days=rng.randint(-200, 1500)))
    else:
        cells["end"] = None
    if rng.random() < 0.15:
        cells["funding_ends"] = _date_cell(rng, AS_OF + timedelta(days=rng.randint(-300, 1200)))
    cells["approval_date"] = _date_cell(rng, start + timedelta(days=rng.randint(-60, 0))) if cells.get("approved_by") else None

    # Contributions: budgeted rows get a varied amount; the rest keep the sample's (mostly nil).
    if str(p.get("budgeted", "")).lower() in ("y", "yes"):
        amount = float(rng.choice([500, 1200, 2500, 3900, 5000, 7500, 8000, 12000, 15000, 25000, 42000, 148500]))
        cells["direct"] = _money_cell(rng, amount)
        if rng.random() < 0.05:  # an unbudgeted contribution (PP602/PP603)
            cells["budgeted"] = None if rng.random() < 0.5 else "N"
            cells["approved_by"] = rng.choice([None, "Portfolio Holder", "CMT", "cabinet", "Executive", "Council"])
    elif rng.random() < 0.004:
        cells["direct"] = rng.choice(BAD_MONEY)
    for k in ("ben0", "ben1", "ben2", "ben3", "ben4"):
        if cells.get(k):
            cells[k] = _yes(rng)
        elif rng.random() < 0.15:
            cells[k] = rng.choice(["N", "no", "-"])
        if rng.random() < 0.001:
            cells[k] = rng.choice(BAD_YESNO)
    for k in ("rl", "ri", "ol", "oi"):
        if k in ("rl", "ri") and cells.get(k) is not None and rng.random() < 0.1:
            cells[k] = rng.choice([1, 2, 2, 3, 3, 4, 5])
        if rng.random() < 0.002:
            cells[k] = rng.choice(BAD_SCORE)
    if rng.random() < 0.02:
        cells["rl"] = None  # PP601
    for k, share in (("partners", 0.01), ("lead_officer", 0.01), ("priority", 0.03), ("benefit_detail", 0.03),
                     ("controls", 0.05), ("governance", 0.08), ("risks", 0.01), ("purpose", 0.005)):
        if rng.random() < share:
            cells[k] = None
    if status.lower() in ("exiting", "closed"):
        cells["exit_reason"] = rng.choice(["Outcomes achieved", "No longer relevant", "Time limited or superseded", "External funding ceased", None])
        cells["exit_strategy"] = rng.choice(["Cases transferred to the county service.", "Staff returned to the council; assets shared out.", None])
        cells["exit_decided_by"] = rng.choice(["CMT", "Cabinet", "Council", None])
    if rng.random() < 0.001:
        cells["risks"] = ("=NA()", "#N/A")  # an Excel error value (DQ007)
    cells["rag"] = rng.choice(["G", "G", "G", "A", "R"])
    return cells


def write(path: Path, rows: int, formatted: bool = False, seed: int = 7) -> Path:
    """Write a generated register of ``rows`` partnerships to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    rng = random.Random(f"{seed}:{rows}")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
    wb.set_properties({"title": "Partnership Register (benchmark)", "author": "partnership-xl benchmarks",
                       "created": datetime(2026, 11, 18, 9, 0, 0)})
    title = wb.add_format({"bold": True, "font_size": 14})
    header = wb.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "text_wrap": True, "valign": "top", "border": 1})
    text = wb.add_format({"text_wrap": True, "valign": "top"})
    when = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    money = wb.add_format({"num_format": "£#,##0", "valign": "top"})
    note = wb.add_format({"italic": True})
    band = wb.add_format({"bg_color": "#F2F2F2", "border": 1, "border_color": "#D9D9D9"})

    guide = wb.add_worksheet("Guidance")
    guide.set_column(0, 0, 110)
    for r, line in enumerate(S.GUIDANCE):
        guide.write_string(r, 0, line, title if r == 0 else text)

    ws = wb.add_worksheet("Partnership Register")
    ws.activate()
    ws.write_string(0, 0, "Leicestershire councils — Partnership Register 2026/27", title)
    ws.write_string(1, 0, "Last updated 18 November 2026 by Community Partnerships.", note)
    h = S.HEADER_ROW - 1
    ws.set_row(h, 45)
    keys = [k for _, k, _ in S.COLUMNS]
    date_keys = {"start", "end", "last_review", "next_review", "approval_date", "funding_ends"}
    for c, (head, key, width) in enumerate(S.COLUMNS):
        fmt = when if formatted and key in date_keys else money if formatted and key in S.MONEY_KEYS else None
        ws.set_column(c, c, width, fmt)
        ws.write_string(h, c, head, header)
    refs: list[str] = []
    for n in range(rows):
        r = h + 1 + n
        cells = make_row(n, rng, refs)
        refs.append(str(cells["ref"]))
        for c, key in enumerate(keys):
            v = cells.get(key)
            if v is None or v == "":
                continue
            if isinstance(v, tuple):
                ws.write_formula(r, c, v[0], text, v[1])
            elif isinstance(v, date):
                ws.write_datetime(r, c, datetime(v.year, v.month, v.day), when)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v, money if key in S.MONEY_KEYS else text)
            else:
                ws.write_string(r, c, v, text)
    last = h + rows
    ws.write_string(last + 2, 0, "Note: contributions exclude VAT and are per financial year.", note)
    ws.write_string(last + 3, 0, "Risk score = likelihood × impact (Risk and Opportunity Framework).", note)
    ws.freeze_panes(h + 1, 2)
    ws.autofilter(h, 0, last, len(S.COLUMNS) - 1)
    bottom = EXCEL_ROWS - 1 if formatted else last
    for key, lookup in S.VALIDATED.items():
        col, lcol = keys.index(key), list(S.LOOKUPS).index(lookup)
        letter = xlsxwriter.utility.xl_col_to_name(lcol)
        ws.data_validation(h + 1, col, bottom, col, {"validate": "list", "show_error": False,
                                                      "source": f"=Lookups!${letter}$2:${letter}${len(S.LOOKUPS[lookup]) + 1}"})
    if formatted:
        # The officer's banding and borders were applied to whole rows, down to Excel's last row.
        for r in range(last + 4, EXCEL_ROWS):
            ws.set_row(r, None, band)
        status_col = xlsxwriter.utility.xl_col_to_name(keys.index("status"))
        ws.conditional_format(h + 1, 0, EXCEL_ROWS - 1, len(S.COLUMNS) - 1,
                              {"type": "formula", "criteria": f'=${status_col}{h + 2}="Closed"', "format": wb.add_format({"font_color": "#808080"})})

    lk = wb.add_worksheet("Lookups")
    for c, (head, values) in enumerate(S.LOOKUPS.items()):
        lk.set_column(c, c, 28)
        lk.write_string(0, c, head, header)
        for r, v in enumerate(values, start=1):
            lk.write_string(r, c, v)
    wb.close()
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("rows", type=int)
    p.add_argument("out", type=Path)
    p.add_argument("--formatted", action="store_true", help="format the register sheet down to row 1,048,576")
    args = p.parse_args(argv)
    write(args.out, args.rows, formatted=args.formatted)
    print(f"wrote {args.out} ({args.rows} rows{', formatted to the last row' if args.formatted else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
