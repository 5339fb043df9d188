"""The figures the reports show, computed once from a CheckResult and nowhere else.

Pure functions, no workbook: :func:`headline_figures` is the Overview's numbers,
:func:`risk_grid` a heat map, :func:`review_list`, :func:`exit_list` and :func:`finding_list` the
rows of the Reviews, Exits and Findings sheets. Rules are never re-run here: reviews overdue or
due are the PP501/PP502/PP503 findings, past end date is PP901. Tests check the workbooks
against these, and these against the CheckResult.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ..fields import BENEFIT_FIELDS, fields_by_name
from ..findings import CATALOGUE, DECISION_NEEDED, POLICY_CLAUSES, sort_key
from ..model import CheckResult
from .cells import NOT_RECORDED, is_blank

STATUSES = fields_by_name()["status"].choices
BANDS = ("High", "Medium", "Low")
NOT_ASSESSED = "Not assessed"
RAGS = ("Red", "Amber", "Green")
LIVE_EXCLUDES = ("Closed",)  # risk views cover partnerships that are not closed


def has_column(result: CheckResult, name: str) -> bool:
    """True when the register had a column for this field."""
    return name in result.table.columns or name in result.register.columns


def column(result: CheckResult, name: str) -> pd.Series:
    """One field of the typed table, aligned with the scores; all blank when the column is missing."""
    index = result.scores.index
    if name in result.table.columns:
        values = result.table[name]
        return values if values.index is index else values.reindex(index)
    return pd.Series([pd.NA] * len(index), index=index, dtype="object")


def rows_with(result: CheckResult, *codes: str) -> list[int]:
    """Excel rows of the partnerships that have a finding with one of these codes, in register order."""
    wanted = set(codes)
    rows = {f.row for f in result.findings if f.code in wanted}
    return [r for r in result.scores.index if r in rows]


def codes_by_row(result: CheckResult) -> dict[int, list[str]]:
    """Excel row → that row's finding codes (no repeats, catalogue order)."""
    order = {code: i for i, code in enumerate(CATALOGUE)}
    by_row: dict[int, set[str]] = {}
    for f in result.findings:
        by_row.setdefault(f.row, set()).add(f.code)
    return {row: sorted(codes, key=order.get) for row, codes in by_row.items()}


def benefit_flags(result: CheckResult) -> pd.DataFrame | None:
    """One True/False column per benefit category (policy §3 labels); None when none is recorded.

    Uses the engine's ``claimed:<field>`` columns, which merge the yes/no columns and the
    Benefits list.
    """
    if not any(has_column(result, f) for f in (*BENEFIT_FIELDS, "benefits")):
        return None
    index = result.scores.index
    flags = pd.DataFrame(index=index)
    for name, label in BENEFIT_FIELDS.items():
        claimed = result.table.get(f"claimed:{name}")
        flags[label] = claimed.reindex(index).fillna(False).astype(bool) if claimed is not None else False
    return flags


def band_of(value: object) -> str:
    """A score band as shown: High/Medium/Low, else Not assessed."""
    return value if isinstance(value, str) and value in BANDS else NOT_ASSESSED


def live(result: CheckResult) -> pd.Series:
    """True for the partnerships the risk views cover: every status but Closed."""
    return ~column(result, "status").isin(LIVE_EXCLUDES)


def opportunities_recorded(result: CheckResult) -> bool:
    """True when the register has both opportunity likelihood and impact columns."""
    return has_column(result, "opp_likelihood") and has_column(result, "opp_impact")


def headline_figures(result: CheckResult) -> dict:
    """The Overview's headline figures, as plain numbers and dicts.

    ``None`` stands for "not recorded" (the register has no such column). Keys:
    ``partnerships``, ``by_status`` (every status, then "Not recorded" if any), ``direct_contribution``
    (total £ a year), ``significant``, ``benefits`` (category label → partnerships claiming it),
    ``no_benefit`` and ``no_benefit_share``, ``reviews_overdue`` (PP501), ``never_reviewed``
    (PP502), ``reviews_due_soon`` (PP503), ``exiting``, ``closed_in_year`` (closed with an end
    date in the 12 months up to the as-of date), ``past_end_date`` (PP901), ``rag``,
    ``live`` (not closed), ``risk_bands`` and ``opp_bands`` (live partnerships),
    ``contribution_by_service_area`` (£, largest first), ``findings`` (by severity) and
    ``decision_breaches`` (partnerships with a breach of :data:`DECISION_NEEDED`).
    """
    scores = result.scores
    n = len(scores)
    status = column(result, "status")
    by_status = {s: int(status.isin([s]).sum()) for s in STATUSES}
    unknown = n - sum(by_status.values())
    if unknown:
        by_status[NOT_RECORDED] = unknown

    money = pd.to_numeric(column(result, "direct_contribution"), errors="coerce")
    has_money = has_column(result, "direct_contribution")

    flags = benefit_flags(result)
    benefit_count = pd.to_numeric(scores["benefit_count"], errors="coerce").fillna(0)
    no_benefit = int((benefit_count == 0).sum()) if flags is not None else None

    end = pd.to_datetime(column(result, "end_date"), errors="coerce")
    as_of = pd.Timestamp(result.as_of)
    in_year = (end > as_of - pd.DateOffset(months=12)) & (end <= as_of)

    live_rows = live(result)
    areas = column(result, "service_area").map(lambda v: NOT_RECORDED if is_blank(v) else str(v).strip())
    by_area = money.groupby(areas).sum().sort_values(ascending=False, kind="stable") if has_money and n else pd.Series(dtype=float)

    rag = Counter(scores["rag"])
    return {
        "partnerships": n,
        "by_status": by_status,
        "direct_contribution": float(money.sum()) if has_money else None,
        "significant": int(scores["significant"].fillna(False).astype(bool).sum()),
        "benefits": None if flags is None else {label: int(flags[label].sum()) for label in flags.columns},
        "no_benefit": no_benefit,
        "no_benefit_share": (no_benefit / n if n else 0.0) if no_benefit is not None else None,
        "reviews_overdue": len(rows_with(result, "PP501")),
        "never_reviewed": len(rows_with(result, "PP502")),
        "reviews_due_soon": len(rows_with(result, "PP503")),
        "exiting": by_status["Exiting"],
        "closed_in_year": int((status.isin(["Closed"]) & in_year.fillna(False).astype(bool)).sum()),
        "past_end_date": len(rows_with(result, "PP901")),
        "rag": {r: int(rag.get(r, 0)) for r in RAGS},
        "live": int(live_rows.sum()),
        "risk_bands": _bands(scores["risk_band"][live_rows]),
        "opp_bands": _bands(scores["opp_band"][live_rows]) if opportunities_recorded(result) else None,
        "contribution_by_service_area": None if not has_money else {str(k): float(v) for k, v in by_area.items()},
        "findings": dict(result.counts),
        "decision_breaches": len({r for code in DECISION_NEEDED if code in CATALOGUE for r in rows_with(result, code)}),
    }


def decision_breaches(result: CheckResult) -> list[dict]:
    """The policy breaches that need a decision, from the check's findings (never re-judged here).

    One dict per code of :data:`DECISION_NEEDED` in the catalogue, in clause order: ``code``,
    ``policy``, ``clause`` (its title), ``finding`` (the catalogue's words), ``decision``,
    ``count`` (partnerships) and ``refs`` (their refs, register order). Codes with no finding
    are included with count 0 so a reader sees what was looked for.
    """
    order = [c for c in CATALOGUE if c in DECISION_NEEDED]
    out = []
    for code in order:
        rule = CATALOGUE[code]
        rows = rows_with(result, code)
        out.append({
            "code": code, "policy": rule.policy, "clause": POLICY_CLAUSES[rule.policy], "finding": rule.finding,
            "decision": DECISION_NEEDED[code], "count": len(rows), "refs": [ref_of(result, r) for r in rows],
        })  # fmt: skip
    return out


def breaches_by_clause(result: CheckResult) -> list[dict]:
    """Every policy finding (PP codes) counted by clause and code, for the committee report.

    One dict per code that fired: ``policy``, ``clause``, ``code``, ``severity``, ``finding``,
    ``count`` (partnerships) and ``refs``; in catalogue order (so by clause).
    """
    out = []
    for code, rule in CATALOGUE.items():
        if not code.startswith("PP"):
            continue
        rows = rows_with(result, code)
        if rows:
            out.append({"policy": rule.policy, "clause": POLICY_CLAUSES[rule.policy], "code": code, "severity": rule.severity.value,
                        "finding": rule.finding, "count": len(rows), "refs": [ref_of(result, r) for r in rows]})
    return out


def significant_list(result: CheckResult) -> pd.DataFrame:
    """The significant partnerships (SPEC §4), register order, with why each is significant."""
    scores = result.scores
    rows = [{"row": r} for r in scores.index[scores["significant"].fillna(False).astype(bool)]]
    why = column(result, "significant_why")
    frame = _with_fields(result, rows, (), ("status", "service_area", "lead_officer", "direct_contribution", "council_role"))
    if len(frame):
        frame["why"] = [why.get(r) if not is_blank(why.get(r)) else "" for r in frame["row"]]
        frame["risk_band"] = [band_of(scores.at[r, "risk_band"]) for r in frame["row"]]
        frame["rag"] = [scores.at[r, "rag"] for r in frame["row"]]
    else:
        frame = frame.assign(why=[], risk_band=[], rag=[])
    return frame


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def headline_sentence(figures: dict, since_last_year: dict[str, int] | None = None) -> str:
    """The Overview's one-paragraph summary of :func:`headline_figures`, in plain words.

    ``since_last_year`` (from :func:`.changes.change_counts`) adds what changed since last year.
    """
    n, active = figures["partnerships"], figures["by_status"].get("Active", 0)
    money = figures["direct_contribution"]
    first = f"{_n(n, 'partnership')} on the register, {active} of them active"
    first += f", with direct contributions of £{money:,.0f} a year." if money is not None else "."
    rag = figures["rag"]
    second = f"{rag['Red']} are rated Red, {rag['Amber']} Amber and {rag['Green']} Green."
    attention = [
        (figures["reviews_overdue"], "review overdue", "reviews overdue"),
        (figures["never_reviewed"], "never reviewed", "never reviewed"),
        (figures["past_end_date"], "past its end date", "past their end date"),
        (figures["no_benefit"] or 0, "with no benefit recorded", "with no benefit recorded"),
    ]
    said = [f"{count} {one if count == 1 else many}" for count, one, many in attention if count]
    third = f"Needing attention: {', '.join(said)}." if said else "No review is overdue and no partnership is past its end date."
    breaches = figures.get("decision_breaches") or 0
    text = f"{first} {second} {third}"
    if breaches:
        text += f" {_n(breaches, 'partnership')} {'has' if breaches == 1 else 'have'} a policy breach needing a decision (listed below)."
    if since_last_year is not None:
        c = since_last_year
        text += f" Since last year: {c['added']} added, {c['removed']} removed, {c['status_changed']} changed status; risk scores {c['risk_up']} up, {c['risk_down']} down."
    return text


def _bands(bands: pd.Series) -> dict[str, int]:
    shown = Counter(band_of(b) for b in bands)
    return {b: shown.get(b, 0) for b in (*BANDS, NOT_ASSESSED)}


def risk_scale(result: CheckResult) -> int:
    """The council's matrix size: likelihood and impact run 1..risk_scale (5 unless set)."""
    return int(getattr(result.settings, "risk_scale", 5) or 5)


@dataclass
class Grid:
    """A likelihood × impact heat map: partnerships per cell, their refs, the cells' bands, and the rest.

    ``bands`` is each cell's band from :meth:`CheckResult.matrix_bands` (scoring, the one place bands are
    set); ``rated`` holds partnerships with a band but no likelihood × impact (a Risk rating word).
    """

    recorded: bool
    scale: int = 5
    counts: dict[tuple[int, int], int] = field(default_factory=dict)
    refs: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    bands: dict[tuple[int, int], str] = field(default_factory=dict)
    not_assessed: list[str] = field(default_factory=list)
    rated: dict[str, list[str]] = field(default_factory=dict)


def risk_grid(result: CheckResult, kind: str = "risk") -> Grid:
    """The heat map of live partnerships for ``kind`` "risk" or "opp" (opportunities)."""

    scale = risk_scale(result)
    if kind == "opp" and not opportunities_recorded(result):
        return Grid(recorded=False, scale=scale)
    cell_bands = result.matrix_bands()
    grid = Grid(recorded=True, scale=scale, counts=dict.fromkeys(cell_bands, 0), bands=cell_bands)
    likelihood = pd.to_numeric(column(result, f"{kind}_likelihood"), errors="coerce")
    impact = pd.to_numeric(column(result, f"{kind}_impact"), errors="coerce")
    bands, scores = result.scores[f"{kind}_band"], result.scores[f"{kind}_score"]
    for row in result.scores.index[live(result)]:
        ref = ref_of(result, row)
        li, im = likelihood.get(row), impact.get(row)
        if is_blank(scores.get(row)):  # the check scored it only where likelihood and impact are on the matrix
            rated = band_of(bands.get(row))
            if rated == NOT_ASSESSED:
                grid.not_assessed.append(ref)
            else:
                grid.rated.setdefault(rated, []).append(ref)
            continue
        key = (int(li), int(im))
        grid.counts[key] += 1
        grid.refs.setdefault(key, []).append(ref)
    return grid


def ref_of(result: CheckResult, row: int) -> str:
    """The partnership's ref as text, or "row N" when its ref is blank."""
    ref = result.scores.at[row, "ref"] if row in result.scores.index else None
    return f"row {row}" if is_blank(ref) else str(ref)


def name_of(result: CheckResult, row: int) -> object:
    """The partnership's name as the register has it (blank when it has none)."""
    return result.scores.at[row, "name"] if row in result.scores.index else None


REVIEW_CODES = {"PP501": "Overdue", "PP502": "Never reviewed", "PP503": "Due soon"}


def review_list(result: CheckResult) -> pd.DataFrame:
    """Reviews overdue (PP501), never done (PP502) and due soon (PP503), one row per finding."""
    rows = []
    for code, review in REVIEW_CODES.items():
        for f in sorted((f for f in result.findings if f.code == code), key=sort_key):
            rows.append({"review": review, "row": f.row, "code": code, "message": f.message})
    return _with_fields(result, rows, ("review", "code", "message"), ("lead_officer", "service_area", "status", "last_review", "next_review"))


EXIT_REASONS = ("Exiting", "Closed in the last 12 months", "Closed, end date not recorded", "Past end date (PP901)", "Ends soon, no exit strategy (PP907)")


def exit_list(result: CheckResult) -> pd.DataFrame:
    """Partnerships exiting, closed in the year, past their end date or ending soon without a strategy."""
    status = column(result, "status")
    end = pd.to_datetime(column(result, "end_date"), errors="coerce")
    as_of = pd.Timestamp(result.as_of)
    in_year = (end > as_of - pd.DateOffset(months=12)) & (end <= as_of)
    past, soon = set(rows_with(result, "PP901")), set(rows_with(result, "PP907"))
    codes = codes_by_row(result)
    rows = []
    for row in result.scores.index:
        why, state = None, status.get(row)
        state = state if isinstance(state, str) else None
        if state == "Exiting":
            why = EXIT_REASONS[0]
        elif state == "Closed" and bool(in_year.get(row)):
            why = EXIT_REASONS[1]
        elif state == "Closed" and is_blank(end.get(row)):
            why = EXIT_REASONS[2]
        elif row in past:
            why = EXIT_REASONS[3]
        elif row in soon:
            why = EXIT_REASONS[4]
        if why:
            exit_codes = [c for c in codes.get(row, []) if c.startswith("PP90")]
            rows.append({"why": why, "row": row, "codes": ", ".join(exit_codes)})
    frame = _with_fields(result, rows, ("why", "codes"), ("status", "end_date", "exit_reason", "exit_strategy", "exit_decided_by", "lead_officer"))
    if len(frame):
        frame = frame.assign(_order=frame["why"].map(EXIT_REASONS.index)).sort_values(["_order", "row"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def finding_list(result: CheckResult) -> pd.DataFrame:
    """Every finding, worst first then in register order, with the partnership's name, lead officer,
    service area and the officer's own column heading (:meth:`CheckResult.finding_context`)."""
    rows = []
    for f in sorted(result.findings, key=lambda f: (f.severity.rank, sort_key(f))):
        context = result.finding_context(f)
        rows.append({
            "severity": f.severity.value, "code": f.code, "policy": f.policy, "ref": f.ref, "name": context["name"],
            "lead_officer": context["lead_officer"], "service_area": context["service_area"], "column": context["column"],
            "cell": f.cell, "field": f.field, "finding": f.rule.finding, "message": f.message,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


FINDING_COLUMNS = ["severity", "code", "policy", "ref", "name", "lead_officer", "service_area", "column", "cell", "field", "finding", "message"]


def _with_fields(result: CheckResult, rows: list[dict], keys: tuple[str, ...], names: tuple[str, ...]) -> pd.DataFrame:
    """Rows (``row`` and ``keys``) with the partnership's ref, name and fields (NOT_RECORDED for a missing column)."""
    fields = {name: column(result, name) for name in names if has_column(result, name)}
    out = []
    for item in rows:
        row = item["row"]
        extra = {"ref": ref_of(result, row), "name": name_of(result, row)}
        for name in names:
            extra[name] = fields[name].get(row) if name in fields else NOT_RECORDED
        out.append({**item, **extra})
    return pd.DataFrame(out, columns=["row", "ref", "name", *keys, *names])
