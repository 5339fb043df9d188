"""Which field an unrecognised heading looks like (DQ009 suggestions, ``init --from``).

A heading the aliases do not map is never read as a field: it is reported (DQ009), and where it
clearly means one field the message names that field and the ``[aliases]`` line that maps it,
for the officer to confirm. The matching is built from the field catalogue alone (each field's
template header, its aliases, its name and, to settle a tie, its help text), never from a list
of headings:

* a heading is cut into words (case, punctuation and plurals ignored; little words such as
  "of", "the", "their" dropped);
* each word a field's header, aliases or name use counts for that field, weighted by how few
  fields use it ("directorate" is one field's word, "date" is many fields');
* a whole alias found inside the heading counts again ("Risks" in "Areas for improvement or risk");
* the heading's head word (its last word, or the word before "of" / "for") must be one of the
  field's words: "Budget code" is about a code, not about whether something is budgeted;
* the best field must clearly beat the next one, and the words it matched must carry enough
  weight: "Reporting arrangements" shares only "arrangements", a word three fields use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .fields import all_fields

#: Words that say nothing about which field a heading means.
STOP_WORDS = frozenset("""
a an and are as at be by for from has have how if in into is it its of on or our per s the their them this
to was what when where which who whom whose with your
""".split())
#: Words officers use for a word of the catalogue (compared after plurals are cut).
WORD_SYNONYMS = {
    "resource": "contribution", "cost": "contribution", "spend": "contribution", "amount": "contribution",
    "mail": "email",
}
#: Words that mean a money column when a heading has them (with a £ sign they are certain).
_MONEY_HINT = "£"
_HEAD_BREAKS = frozenset({"of", "for"})
#: How much more the best field must score than the next (a help-text word settles a tie), and the least it must score.
MARGIN = 0.25
MIN_SCORE = 0.6
#: What a further matched word, a £ sign (for a money field) and a help-text word add.
EXTRA_WORD = 0.5
MONEY = 1.0
HELP_WEIGHT = 0.25


@dataclass(frozen=True)
class Suggestion:
    """A field an unrecognised heading looks like, and why."""

    field: str
    header: str  # the field's template header, for people
    words: tuple[str, ...]  # the heading's words that matched

    def why(self, heading: str) -> str:
        """A short reason, e.g. ``its words 'review' and 'date' are the words of Last reviewed``."""
        said = " and ".join(f"'{w}'" for w in self.words)
        return f"its {'word' if len(self.words) == 1 else 'words'} {said} {'is' if len(self.words) == 1 else 'are'} used for {self.header}"


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def _raw_words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", str(text).lower().replace("&", " and ").replace("e-mail", "email"))


def words(text: str) -> list[str]:
    """The heading's words in order: lower case, ``&`` as "and", plurals cut, synonyms mapped."""
    return [WORD_SYNONYMS.get(_stem(w), _stem(w)) for w in _raw_words(text)]


def _content(ws: list[str]) -> list[str]:
    return [w for w in ws if w not in STOP_WORDS and len(w) > 1]


@dataclass(frozen=True)
class _Vocabulary:
    phrases: dict[str, tuple[frozenset[str], ...]]  # field → the word sets of its header, aliases, name
    words: dict[str, frozenset[str]]  # field → every word of those
    help: dict[str, frozenset[str]]  # field → words of its help text
    weight: dict[str, float]  # word → 1 / number of fields using it
    money: frozenset[str]  # the money fields


@cache
def _vocabulary() -> _Vocabulary:
    phrases, vocab, helps = {}, {}, {}
    for f in all_fields():
        sets = tuple(frozenset(_content(words(t))) for t in (f.header, *f.aliases, f.name.replace("_", " ")))
        phrases[f.name] = tuple(s for s in sets if s)
        vocab[f.name] = frozenset().union(*phrases[f.name])
        helps[f.name] = frozenset(_content(words(f.help)))
    counts: dict[str, int] = {}
    for ws in vocab.values():
        for w in ws:
            counts[w] = counts.get(w, 0) + 1
    weight = {w: 1 / n for w, n in counts.items()}
    money = frozenset(f.name for f in all_fields() if f.kind == "money")
    return _Vocabulary(phrases, vocab, helps, weight, money)


#: Head words that name an attribute of what comes before them: "Lead officer name" is about the lead officer.
ATTRIBUTE_WORDS = frozenset({"name", "detail", "title", "number", "no", "address"})
#: Words that qualify a heading without changing what it holds: "Current status" is the Status.
NEUTRAL_WORDS = frozenset({"current", "main", "key", "primary", "latest", "annual", "overall", "total", "actual", "present", "yearly"})


def _head_words(ws: list[str]) -> set[str]:
    """The heading's head words: its last content word (and the one before it when that is an
    attribute such as "name"), and the last content word before "of" / "for" ("Date of annual review": date)."""
    heads = set()
    content = _content(ws)
    if content:
        heads.add(content[-1])
        if content[-1] in ATTRIBUTE_WORDS and len(content) > 1:
            heads.add(content[-2])
    for i, w in enumerate(ws):
        if w in _HEAD_BREAKS:
            before = _content(ws[:i])
            if before:
                heads.add(before[-1])
            break
    return heads


def _modified_generic(field: str, matched: set[str], ws: list[str], v: _Vocabulary) -> bool:
    """Whether the match rests on one word several fields share, which the heading qualifies with a
    word of its own: "Reporting arrangements" is not the Arrangement type (nor the governance or
    exit arrangements)."""
    if len(matched) != 1:
        return False
    (word,) = matched
    if v.weight[word] == 1:
        return False
    at = max(i for i, w in enumerate(ws) if w == word)
    before = ws[at - 1] if at > 0 else ""
    return bool(before) and before not in STOP_WORDS and before not in NEUTRAL_WORDS and before not in v.words[field]


def _score(field: str, ws: list[str], heading: set[str], heads: set[str], money: bool, v: _Vocabulary) -> tuple[float, tuple[str, ...]]:
    """How well the heading's words fit a field: the best share of one of its names found in the
    heading, plus half a point for each further word matched, plus the £ sign for a money field,
    plus a little for words of its help text (which settle ties)."""
    matched = heading & v.words[field]
    is_money = money and field in v.money
    if not matched or not (heads & v.words[field] or is_money) or (not is_money and _modified_generic(field, matched, ws, v)):
        return 0.0, ()
    coverage = max(len(p & heading) / len(p) for p in v.phrases[field])
    score = coverage + EXTRA_WORD * (len(matched) - 1) + (MONEY if is_money else 0.0)
    score += HELP_WEIGHT * len((heading - v.words[field]) & v.help[field])
    return score, tuple(sorted(matched, key=lambda w: (-v.weight[w], w)))


def suggest_field(heading: str, exclude: set[str] | frozenset[str] = frozenset()) -> Suggestion | None:
    """The field ``heading`` clearly means, or None; fields in ``exclude`` (already mapped) are passed over."""
    v = _vocabulary()
    ws = words(heading)
    content = set(_content(ws))
    if not content:
        return None
    heads = _head_words(ws)
    money = _MONEY_HINT in str(heading)
    scored = sorted(((*_score(f, ws, content, heads, money, v), f) for f in v.words if f not in exclude), reverse=True)
    (best, matched, field), (second, _, _) = scored[0], scored[1]
    if best < MIN_SCORE or best - second < MARGIN:
        return None
    header = next(f.header for f in all_fields() if f.name == field)
    as_typed = dict(zip(ws, _raw_words(heading), strict=True))  # "resources", not the "contribution" it stands for
    return Suggestion(field, header, tuple(as_typed[w] for w in matched))


def alias_line(heading: str, field: str) -> str:
    """The ``[aliases]`` line that maps ``heading`` to ``field``, as TOML: ``"Date of annual review" = "last_review"``."""
    import json

    return f"{json.dumps(heading.strip(), ensure_ascii=False)} = {json.dumps(field)}"
