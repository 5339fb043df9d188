"""Policy §2 — Defining a partnership: two or more independent organisations, a common goal.

Officer networks, forums and consultation groups, contracts and outsourced services, and
external or governing bodies are not partnerships (PP201–PP203). A partnership needs at least
one partner organisation other than the council itself (PP204).
"""

from __future__ import annotations

import re

from ..fields import choice_key
from .base import Context, Hit, map_distinct, needs, points_at


@points_at("arrangement")
@needs("arrangement")
def pp201(ctx: Context) -> Hit:
    """Officer network, forum or consultation group: not a partnership (policy §2).

    Fires: Arrangement type "Forum", "Officer network or forum" or "Consultation group".
    Passes: Arrangement type "Partnership" or "Shared service".
    """
    a = ctx.col("arrangement")
    mask = a.isin(["Officer network or forum", "Consultation group"]).fillna(False).astype(bool)
    return Hit(mask, "arrangement", "Arrangement is " + a[mask].astype(str) + ": an officer network, forum or consultation group is not a partnership.")


@points_at("arrangement")
@needs("arrangement")
def pp202(ctx: Context) -> Hit:
    """Contractual or outsourced arrangement: not a partnership (policy §2).

    Fires: Arrangement type "Contract or outsourced service" (or "SLA", "Commissioned service").
    Passes: Arrangement type "Joint committee".
    """
    mask = ctx.col("arrangement").eq("Contract or outsourced service").fillna(False).astype(bool)
    return Hit(mask, "arrangement", "Contractual or outsourced arrangement: not a partnership; manage it as a contract instead.")


@points_at("arrangement")
@needs("arrangement")
def pp203(ctx: Context) -> Hit:
    """External or governing body: not a partnership (policy §2).

    Fires: Arrangement type "External or governing body" (or "Outside body").
    Passes: Arrangement type "Partnership".
    """
    mask = ctx.col("arrangement").eq("External or governing body").fillna(False).astype(bool)
    return Hit(mask, "arrangement", "External or governing body: not a partnership; record it as an outside body.")


def _council_names(council: str) -> set[str]:
    words = re.findall(r"[A-Za-z]+", council)
    initials = "".join(w[0] for w in words if w.lower() not in ("of", "the", "and"))
    names = {choice_key(council), choice_key(initials), "council", "thecouncil", "ourselves"}
    if len(words) >= 2 and words[-1].lower() == "council":  # "Harborough DC", "Melton BC", "Harborough Council"
        kind = words[-2] if len(words) > 2 and words[-2].lower() in ("district", "borough", "county", "city") else ""
        place = " ".join(words[:-2] if kind else words[:-1])
        names.add(choice_key(place + " Council"))
        if kind:
            names |= {choice_key(f"{place} {kind[0]}C"), choice_key(f"{place} {kind}")}
    return names


#: What officers type in Partners when there are none: it names no organisation.
_NO_PARTNER = frozenset({"", "none", "nil", "na", "nobody", "tbc", "tbd", "unknown", "notknown"})
_BRACKET = re.compile(r"\([^()]*\)")


def _partner_keys(text: object) -> list[str] | None:
    """The comparable names in a Partners cell ("-", "none", "n/a" name nobody); None when not text."""
    if not isinstance(text, str):
        return None
    keys = []
    for item in re.split(r"[;\n\r]+|,", text):
        key = choice_key(item)
        if key not in _NO_PARTNER:
            keys.append(key)
    return keys


def _is_council(key: str, raw_names: set[str]) -> bool:
    return key in raw_names or (key.startswith("the") and key[3:] in raw_names)


def _only_council(text: object, names: set[str]) -> bool:
    """True when every organisation named is the council itself ("Harborough District Council (HDC)" too)."""
    if not isinstance(text, str):
        return False
    items = [i for i in re.split(r"[;\n\r]+|,", text) if choice_key(i) not in _NO_PARTNER]
    return bool(items) and all(_is_council(choice_key(i), names) or _is_council(choice_key(_BRACKET.sub(" ", i)), names)
                               for i in items)


def _names_nobody(text: object) -> bool:
    keys = _partner_keys(text)
    return keys is not None and not keys


@points_at("partners")
@needs("partners")
def pp204(ctx: Context) -> Hit:
    """No independent partner organisation: partners blank (or "-", "none"), or naming only the council itself
    (council_name).

    Fires: Partner organisations blank, or "Harborough District Council" alone.
    Passes: Partner organisations "Harborough District Council; Leicestershire Police".
    """
    names = _council_names(ctx.settings.council_name)
    partners = ctx.col("partners")
    blank = ctx.is_blank("partners") | map_distinct(partners, _names_nobody)
    only = map_distinct(partners, lambda t: _only_council(t, names)) & ~blank
    message = blank.map({True: "No partner organisations recorded: a partnership needs at least one independent partner.",
                         False: f"Partners name only {ctx.settings.council_name}: a partnership needs an independent partner organisation."})
    return Hit(blank | only, "partners", message)
