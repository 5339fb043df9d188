"""The register's fields, their kinds, aliases and allowed choices (SPEC §2.1).

The definitions are data, shipped in the wheel as ``schemas/register.json``; this module loads
them once and answers the questions the reader and the normaliser ask: which field does this
header name, and which canonical choice does this typed value mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

KINDS = ("text", "list", "choice", "yesno", "benefits", "money", "score", "date", "email")

#: The five benefit categories of policy §3, in the policy's order, with their yes/no field.
BENEFIT_FIELDS = {
    "benefit_funding": "External funding or investment",
    "benefit_savings": "Cashable savings or income",
    "benefit_quality": "Increased service quality",
    "benefit_speed": "Improved speed or throughput",
    "benefit_risk": "Risk mitigation",
}


@dataclass(frozen=True)
class Field:
    """One column of the register: its name in code, the template header, kind and aliases."""

    name: str
    header: str
    kind: str
    required: bool = False
    unique: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    #: DQ001 when the register has no column for it, though a blank cell is a rule's to report.
    column_required: bool = False
    #: The field whose column stands in for this one (no DQ001 then): risk_rating for likelihood and impact.
    unless_column: str = ""

    def needs_column(self, present: set[str] | frozenset[str]) -> bool:
        """True when a register with columns ``present`` must have this field's column (DQ001 without it)."""
        return (self.required or self.column_required) and not (self.unless_column and self.unless_column in present)

    @property
    def choices(self) -> tuple[str, ...]:
        """The canonical values allowed for a choice or benefits field (empty otherwise)."""
        return tuple(_raw()["choices"].get(self.name, {}))

    @property
    def synonyms(self) -> tuple[str, ...]:
        """The other spellings accepted for this field's choices (e.g. Cabinet for Executive)."""
        return tuple(s for names in _raw()["choices"].get(self.name, {}).values() for s in names)


_SUFFIX = re.compile(r"\([^()]*\)\s*$")
_TRAILING = re.compile(r"[^0-9a-z)]+$")  # "Risk impact (1-5):" ends in its suffix once the colon goes
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_AND = re.compile(r"&")  # "Aims & objectives" is "Aims and objectives"


_POUND_SUFFIX = re.compile(r"(?<=[0-9a-z)])[\s:-]*£[^()]*$")  # "Direct contribution £ a year": a £ suffix without brackets


def header_key(text: object) -> str:
    """The comparable form of a header: no case, spacing, punctuation, `£` or `(...)` suffixes; ``&`` is "and"."""
    s = str(text).strip().lower()
    if "£" in s:
        s = _POUND_SUFFIX.sub("", s)
    s = _AND.sub(" and ", s.replace("£", " "))
    previous = None
    while previous != s:  # "Direct contribution (£ a year) (2024):" loses both suffixes and the colon
        previous = s
        s = _SUFFIX.sub("", _TRAILING.sub("", s)).strip()
    return _NOT_ALNUM.sub("", s)


def choice_key(text: object) -> str:
    """The comparable form of a typed choice: no case, spacing or punctuation (``&`` reads as "and")."""
    return _NOT_ALNUM.sub("", _AND.sub(" and ", str(text).lower()))


@cache
def _raw() -> dict:
    from .schemafiles import REGISTER, load_schema

    return load_schema(REGISTER)


@cache
def all_fields() -> tuple[Field, ...]:
    """Every field, in template order."""
    return tuple(
        Field(
            name=d["name"],
            header=d["header"],
            kind=d["kind"],
            required=d.get("required", False),
            unique=d.get("unique", False),
            aliases=tuple(d.get("aliases", ())),
            help=d.get("help", ""),
            column_required=d.get("column_required", False),
            unless_column=d.get("unless_column", ""),
        )
        for d in _raw()["fields"]
    )


def column_required() -> tuple[str, ...]:
    """Fields whose missing column is DQ001 even though a blank value is another rule's to report."""
    return tuple(f.name for f in all_fields() if f.column_required)


def schema_checks() -> dict:
    """What the column schema checks, by code (``schemas/register.json``'s ``checks``)."""
    return _raw()["checks"]


def allowed_range(kind: str, risk_scale: int = 5) -> tuple[float, float | None, bool] | None:
    """``(low, high, whole)`` a value of ``kind`` must lie in (``checks.range``; high None: no top), or None."""
    declared = schema_checks()["range"].get(kind)
    if declared is None:
        return None
    high = risk_scale if declared.get("max") == "risk_scale" else declared.get("max")
    return declared["min"], high, bool(declared.get("whole"))


@cache
def fields_by_name() -> dict[str, Field]:
    """Field name → Field."""
    return {f.name: f for f in all_fields()}


def alias_index(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Header key → field name, from template headers, aliases and config ``[aliases]``."""
    index: dict[str, str] = {}
    for f in all_fields():
        for text in (f.header, f.name, *f.aliases):
            index.setdefault(header_key(text), f.name)
    for header, field in (extra or {}).items():
        index[header_key(header)] = field  # the council's own aliases win
    return index


@cache
def choice_index(field: str) -> dict[str, str]:
    """Choice key → canonical value for one choice field, synonyms included."""
    index: dict[str, str] = {}
    for canonical, synonyms in _raw()["choices"][field].items():
        for text in (canonical, *synonyms):
            index[choice_key(text)] = canonical
    return index


def choice_fields() -> tuple[str, ...]:
    """The fields whose values are one of a list of choices (what ``[choices.FIELD]`` may name)."""
    return tuple(f.name for f in all_fields() if f.kind == "choice")


def council_choice_index(field: str, extra: dict[str, str] | None) -> dict[str, str]:
    """:func:`choice_index` plus a council's own words from ``[choices.FIELD]`` (which win)."""
    if not extra:
        return choice_index(field)
    return {**choice_index(field), **{choice_key(word): canonical for word, canonical in extra.items()}}
