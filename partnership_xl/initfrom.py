"""``partnership-xl init --from REGISTER``: a settings file made for that register (SPEC §6).

It checks the register with the defaults and proposes, for the officer to confirm:

* an ``[aliases]`` line for each unrecognised heading that clearly means a field (the DQ009
  suggestions), written active, each with a comment saying which heading and why;
* ``risk_scale`` when the likelihood and impact headings give the matrix size, e.g. "(1-4)";
* a ``[choices.FIELD]`` line for each word of a choice column it could not read, commented
  out with the choices it could mean: only the officer knows whether "Dormant" is Under
  review or Closed.

Nothing is guessed into effect silently: every line is in the file, explained, and deletable.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from .config import CONFIG_NAME, RISK_SCALES, Settings
from .errors import ConfigError
from .fields import choice_index, choice_key, fields_by_name
from .model import CheckResult
from .settings_template import Proposal, write_config

#: "Risk likelihood (1-4)", "Impact (1 to 4)", "Likelihood 1–4": the matrix size in a heading.
_SCALE = re.compile(r"\b1\s*(?:-|–|—|to)\s*(\d{1,2})\b")


def propose(register: Path, as_of: date) -> Proposal:
    """Check ``register`` with the default settings and return what its settings file should hold."""
    from .engine import check

    first = check(register, Settings(), as_of)
    proposal = Proposal(register=Path(register).name)
    seen: set[str] = set()
    for col, suggestion in sorted(first.register.suggestions.items()):
        heading = first.register.unknown[col]
        if suggestion.field in seen:  # two headings that look like one field: the first is proposed
            continue
        seen.add(suggestion.field)
        proposal.aliases.append((heading, suggestion.field,
                                 f"column '{heading}' looks like {suggestion.header}: {suggestion.why(heading)}."))
    aliases = {heading: name for heading, name, _ in proposal.aliases}
    scale = _scale(first, aliases)
    if scale is not None:
        proposal.settings["risk_scale"] = scale
    settings = replace(Settings(), aliases=aliases, risk_scale=scale[0] if scale else 5, low_max=None, medium_max=None)
    result = check(register, settings, as_of) if aliases or scale else first
    proposal.choices = _unread_words(result)
    return proposal


def _scale(result: CheckResult, aliases: dict[str, str]) -> tuple[int, str] | None:
    """The matrix size the likelihood / impact headings state, when it is not 5."""
    register = result.register
    headings = [register.headers[col] for name, col in register.columns.items() if name in ("risk_likelihood", "risk_impact")]
    headings += [heading for heading, name in aliases.items() if name in ("risk_likelihood", "risk_impact")]
    sizes = {int(m.group(1)) for h in headings for m in [_SCALE.search(h)] if m}
    if len(sizes) != 1:
        return None
    (size,) = sizes
    if size == 5 or size not in RISK_SCALES:
        return None
    said = " and ".join(f"'{h}'" for h in headings if _SCALE.search(h))
    return size, f"the headings {said} score 1 to {size}, a {size}x{size} risk matrix."


def _unread_words(result: CheckResult) -> list[tuple[str, str, tuple[str, ...], str]]:
    """(field, word, choices it could mean, why) for each distinct word of a choice column that is DQ005."""
    raw = result.register.raw
    found: dict[tuple[str, str], list[str]] = {}
    for f in result.findings:
        if f.code != "DQ005" or fields_by_name()[f.field].kind != "choice":
            continue
        value = raw.at[f.row, f.field]
        word = str(value).strip()
        found.setdefault((f.field, word), []).append(f.cell)
    out = []
    firsts: dict[tuple[str, str], str] = {}
    for (name, word), cells in found.items():
        if (name, choice_key(word)) in firsts:
            continue
        firsts[(name, choice_key(word))] = word
        header = fields_by_name()[name].header
        where = ", ".join(cells[:5]) + (f" and {len(cells) - 5} more" if len(cells) > 5 else "")
        out.append((name, word, _could_mean(name, word), f"'{word}' in {header} ({where}) is not one of its choices."))
    return out


def _could_mean(name: str, word: str) -> tuple[str, ...]:
    """The choice a word is a typing slip of ("Activ": Active), else every choice of the field:
    only the officer knows whether "Dormant" is Under review or Closed."""
    index = choice_index(name)
    close = difflib.get_close_matches(choice_key(word), list(index), n=1, cutoff=0.8)
    return (index[close[0]],) if close else fields_by_name()[name].choices


def init_from(register: Path, as_of: date, out: Path | None = None) -> tuple[Path, Proposal]:
    """Write ``partnership-xl.toml`` beside ``register`` (or at ``out``) with what :func:`propose`
    found; never over an existing file (ConfigError, checked before the register is read)."""
    register = Path(register)
    target = Path(out) if out is not None else register.parent / CONFIG_NAME
    if target.exists():
        raise ConfigError(f"{target.name} already exists in {target.absolute().parent}: it is never overwritten; edit that "
                          f"file, or rename or delete it and run 'partnership-xl init --from' again.")
    proposal = propose(register, as_of)
    write_config(target, proposal)
    return target, proposal
