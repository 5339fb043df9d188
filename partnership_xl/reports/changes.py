"""What changed since the previous register: partnerships matched by Ref, with a name fallback.

Pure pandas, no I/O; both reports use it. Matching runs in three passes over the partnerships
not yet paired, each pairing repeats in register order:

1. same ref and same name;
2. same name under another ref (the refs were renumbered);
3. same ref under another name (the partnership was renamed).

Refs compare without case or surrounding spaces; names without case, spacing or punctuation.
A partnership of this year left unpaired was **added**, one of last year **removed**.
"""

from __future__ import annotations

import re

import pandas as pd

from ..findings import APPROVAL_BREACHES, CATALOGUE
from ..model import CheckResult
from .cells import is_blank, text_of
from .figures import codes_by_row, column

ADDED, REMOVED, KEPT = "added", "removed", "kept"
UP, DOWN, SAME, NEW, NOT_ASSESSED = "up", "down", "same", "new", "not assessed"
MOVEMENTS = (UP, DOWN, SAME, NEW, NOT_ASSESSED, REMOVED)
BY_REF_AND_NAME, BY_NAME, BY_REF = "ref and name", "name (ref changed)", "ref (renamed)"
EXIT_STATUSES = ("Exiting", "Closed")

_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def ref_key(value: object) -> str | None:
    """A ref as compared: no case, no surrounding or repeated spaces; None when blank."""
    if is_blank(value):
        return None
    text = text_of(value)
    return _SPACES.sub(" ", text.strip()).casefold() or None


def name_key(value: object) -> str | None:
    """A name as compared: letters and digits only, no case ("&" reads "and"); None when blank."""
    if is_blank(value):
        return None
    return _NOT_ALNUM.sub("", str(value).casefold().replace("&", "and")) or None


def match(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Pair this year's partnerships with last year's.

    ``current`` and ``previous`` are indexed by Excel row and have ``ref`` and ``name`` columns.
    Returns one row per partnership of either year: ``row`` (this year's Excel row, or <NA>),
    ``prev_row`` (last year's, or <NA>) and ``matched_by`` (how, "" when unpaired); pairs first
    in this year's order, then last year's removed partnerships in their order.
    """
    cur = pd.DataFrame({"ref": current["ref"].map(ref_key), "name": current["name"].map(name_key)}, index=current.index)
    prev = pd.DataFrame({"ref": previous["ref"].map(ref_key), "name": previous["name"].map(name_key)}, index=previous.index)
    pairs: dict[int, tuple[int, str]] = {}
    taken: set[int] = set()
    for keys, how in ((["ref", "name"], BY_REF_AND_NAME), (["name"], BY_NAME), (["ref"], BY_REF)):
        c = cur.loc[[r for r in cur.index if r not in pairs]].dropna(subset=keys)
        p = prev.loc[[r for r in prev.index if r not in taken]].dropna(subset=keys)
        if c.empty or p.empty:
            continue
        c = c.assign(_n=c.groupby(keys).cumcount(), _row=c.index)
        p = p.assign(_n=p.groupby(keys).cumcount(), _prev=p.index)
        for _, hit in c.merge(p, on=[*keys, "_n"]).iterrows():
            pairs[int(hit["_row"])] = (int(hit["_prev"]), how)
            taken.add(int(hit["_prev"]))
    rows = [{"row": r, "prev_row": pairs[r][0] if r in pairs else pd.NA, "matched_by": pairs[r][1] if r in pairs else ""} for r in current.index]
    rows += [{"row": pd.NA, "prev_row": r, "matched_by": ""} for r in previous.index if r not in taken]
    return pd.DataFrame(rows, columns=["row", "prev_row", "matched_by"]).astype({"row": "Int64", "prev_row": "Int64"})


def movement(now: object, before: object) -> str:
    """How a score moved: up, down, same, or not assessed when either score is missing."""
    if is_blank(now) or is_blank(before):
        return NOT_ASSESSED
    now, before = float(now), float(before)
    return UP if now > before else DOWN if now < before else SAME


def compare(current: CheckResult, previous: CheckResult) -> pd.DataFrame:
    """One row per partnership of either register with what changed (see module docstring).

    Columns: ``row``, ``prev_row``, ``change`` (added/removed/kept), ``matched_by``, ``ref``,
    ``name``, ``prev_ref``, ``prev_name``, ``status``, ``prev_status``, ``status_changed``,
    ``risk_score``, ``prev_risk_score``, ``risk_band``, ``prev_risk_band``, ``risk_movement``, the
    same four for ``opp``, and for added partnerships ``approval`` (did it go through policy §6),
    for removed ones ``exit_recorded`` with last year's ``prev_exit_reason`` and
    ``prev_exit_decided_by``.
    """
    pairs = match(current.scores, previous.scores)
    now, before = _side(current, ""), _side(previous, "prev_")
    frame = pairs.merge(now, how="left", left_on="row", right_index=True).merge(before, how="left", left_on="prev_row", right_index=True)
    frame["change"] = [ADDED if pd.isna(p) else REMOVED if pd.isna(r) else KEPT for r, p in zip(frame["row"], frame["prev_row"], strict=True)]
    frame["status_changed"] = [
        c == KEPT and text_of(s) != text_of(ps) for c, s, ps in zip(frame["change"], frame["status"], frame["prev_status"], strict=True)
    ]
    for kind in ("risk", "opp"):
        frame[f"{kind}_movement"] = [
            NEW if c == ADDED else REMOVED if c == REMOVED else movement(s, ps)
            for c, s, ps in zip(frame["change"], frame[f"{kind}_score"], frame[f"prev_{kind}_score"], strict=True)
        ]
    codes = codes_by_row(current)
    frame["approval"] = [approval(current, int(r), codes.get(int(r), [])) if c == ADDED else "" for c, r in zip(frame["change"], frame["row"], strict=True)]
    frame["exit_recorded"] = [exit_recorded(previous, int(p)) if c == REMOVED else "" for c, p in zip(frame["change"], frame["prev_row"], strict=True)]
    return frame[COLUMNS].reset_index(drop=True)


COLUMNS = [
    "row", "prev_row", "change", "matched_by", "ref", "name", "prev_ref", "prev_name",
    "status", "prev_status", "status_changed",
    "risk_score", "prev_risk_score", "risk_band", "prev_risk_band", "risk_movement",
    "opp_score", "prev_opp_score", "opp_band", "prev_opp_band", "opp_movement",
    "approval", "exit_recorded", "prev_exit_reason", "prev_exit_decided_by",
]  # fmt: skip


def _side(result: CheckResult, prefix: str) -> pd.DataFrame:
    scores = result.scores
    side = pd.DataFrame(
        {
            "ref": scores["ref"],
            "name": scores["name"],
            "status": column(result, "status"),
            "risk_score": scores["risk_score"],
            "risk_band": scores["risk_band"],
            "opp_score": scores["opp_score"],
            "opp_band": scores["opp_band"],
            "exit_reason": column(result, "exit_reason"),
            "exit_decided_by": column(result, "exit_decided_by"),
        },
        index=scores.index,
    )
    return side.add_prefix(prefix)


def approval(result: CheckResult, row: int, codes: list[str]) -> str:
    """Did a new partnership go through policy §6 approval? A sentence from its findings and the check's approval state.

    The breaches are the row's findings (``codes``); otherwise the state the check recorded
    (``scores["approval"]``, :func:`partnership_xl.rules.approval_state`) is put in words.
    """
    by = column(result, "approved_by").get(row)
    when = column(result, "approval_date").get(row)
    on = f" on {text_of(when)}" if not is_blank(when) else ""
    breaches = {what: code for code, what in APPROVAL_BREACHES.items()}
    if breaches["unapproved"] in codes:
        code = breaches["unapproved"]
        return f"No: {CATALOGUE[code].finding[:1].lower()}{CATALOGUE[code].finding[1:]} ({code})"
    if breaches["wrong level"] in codes:
        code = breaches["wrong level"]
        return f"{CATALOGUE[code].finding} ({code}): {text_of(by)}{on}"
    state = result.scores["approval"].get(row) if "approval" in result.scores else None
    return {"approved": f"Yes: {text_of(by)}{on}", "not recorded": "Not recorded", "in budget": "Not needed: in existing budget",
            "no contribution": "Not needed: no direct contribution", "not required": "Not needed"}.get(state, "No approval recorded")


def exit_recorded(result: CheckResult, row: int) -> str:
    """Was an exit recorded for a partnership that left the register? From last year's row."""
    status = text_of(column(result, "status").get(row))
    decided = text_of(column(result, "exit_decided_by").get(row))
    reason = text_of(column(result, "exit_reason").get(row))
    strategy = not is_blank(column(result, "exit_strategy").get(row))
    if status in EXIT_STATUSES:
        parts = [f"Yes: {status.lower()} last year"]
        parts.append(f"decided by {decided}" if decided else "no exit decision recorded")
        if not strategy:
            parts.append("no exit strategy")
        return ", ".join(parts)
    if decided or reason or strategy:
        return f"Partly: exit details recorded, but status was {status or 'blank'}"
    return f"No: status was {status or 'blank'} last year"


def counts(changes: pd.DataFrame, kind: str = "risk") -> dict[str, int]:
    """How many scores went up, down, stayed the same, are new, not assessed or removed."""
    moved = changes[f"{kind}_movement"].value_counts()
    return {m: int(moved.get(m, 0)) for m in MOVEMENTS}


def change_counts(changes: pd.DataFrame) -> dict[str, int]:
    """The headline counts of :func:`compare`: added, removed, status_changed, risk_up, risk_down."""
    return {
        "added": int((changes["change"] == ADDED).sum()),
        "removed": int((changes["change"] == REMOVED).sum()),
        "status_changed": int(changes["status_changed"].sum()),
        "risk_up": int((changes["risk_movement"] == UP).sum()),
        "risk_down": int((changes["risk_movement"] == DOWN).sum()),
    }
