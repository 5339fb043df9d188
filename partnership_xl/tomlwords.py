"""Settings-file mistakes told in plain words, with the line to fix (SPEC §5).

tomllib says "Unescaped '\\' in a string (at line 3, column 19)" and gives no position at all for
a key that parsed but is wrong. These helpers find the line by reading the text, name the setting
a mistyped key looks like, and turn the commonest Windows mistake (a folder in double quotes) into
its fix: single quotes, or forward slashes.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable

_POSITION = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)\s*$")
_KEY_LINE = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:=|\.)""")
_TABLE_LINE = re.compile(r"""^\s*\[\[?\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_.-]+))""")
# A double-quoted value holding a backslash that TOML reads as an escape code: "W:\PUBLIC" (an
# error) or "W:\new folder" (read as a line break), the commonest Windows mistake.
_QUOTED_PATH = re.compile(r'''^\s*([A-Za-z0-9_"'. -]+?)\s*=\s*"((?:[A-Za-z]:)?\\[^"]*|[A-Za-z]:[^"]*\\[^"]*)"\s*(?:#.*)?$''')
_SILENT_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\[btnfr]")


def line_of(text: str | None, key: str, table: str | None = None) -> int | None:
    """The line (1-based) where ``key`` is set, at the top level or inside ``[table]``; else None.

    A key that is itself a table (``[aliases]``) is found by its header.
    """
    if not text:
        return None
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        header = _TABLE_LINE.match(line)
        if header and line.lstrip().startswith("["):
            current = next(g for g in header.groups() if g is not None)
            if table is None and current.split(".")[0] == key:
                return number
            continue
        m = _KEY_LINE.match(line)
        if m and current == table and next(g for g in m.groups() if g is not None) == key:
            return number
    return None


def did_you_mean(key: str, known: Iterable[str]) -> str:
    """" (did you mean 'review_interval_months'?)" for a key close to a known one; "" otherwise."""
    candidates = sorted(known)
    lowered = {name.lower(): name for name in candidates}
    close = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=0.6)
    if not close:  # a shortened name: review_interval for review_interval_months
        close = [name for name in lowered if name.startswith(key.lower()) and len(key) >= 4][:1]
    return f" (did you mean '{lowered[close[0]]}'?)" if close else ""


def windows_path_fix(text: str, source: str) -> str | None:
    """The sentence for a Windows folder written in double quotes, if ``text`` has one that TOML misreads."""
    for number, line in enumerate(text.splitlines(), 1):
        m = _QUOTED_PATH.match(line)
        if not m:
            continue
        key, value = m.group(1).strip(), m.group(2)
        try:
            tomllib.loads(f'x = "{value}"')
        except tomllib.TOMLDecodeError:
            pass  # "\P" and the like: TOML refuses the line
        else:
            if not _SILENT_ESCAPE.search(value):
                continue  # written with doubled backslashes ("W:\\PUBLIC"): correct
        forward = value.replace("\\", "/")
        return (f"Line {number} of {source}, {key} = \"{value}\", has a Windows folder in double quotes, where a backslash starts an "
                f"escape code: write it in single quotes, {key} = '{value}', or with forward slashes, {key} = \"{forward}\", then run again.")
    return None


_PLAIN = [
    ("Invalid value", "the value after '=' is not understood (text goes in quotes, \"like this\"; numbers and true/false go without)"),
    ("Expected '=' after a key", "a setting needs a name, '=' and a value, e.g. due_soon_days = 60"),
    ("Cannot overwrite a value", "this setting is already set on an earlier line: keep one of the two lines"),
    ("Cannot declare", "this table is already declared on an earlier line: keep one of the two"),
    ("Expected ']'", "a table name needs its closing ']', e.g. [aliases]"),
    ("Expected newline or end of document after a statement", "there is more after the value: put a comment after a '#', e.g. due_soon_days = 60  # days"),
    ("Illegal character", "text is missing its closing quote"),
    ("Unterminated string", "text is missing its closing quote"),
    ('Expected "\'"', "text is missing its closing quote"),
    ("Invalid statement", "this line is not a setting: a setting is a name, '=' and a value, and a comment starts with '#'"),
    ("Invalid initial character for a key part", "a setting's name must be plain letters, digits and _ (or a heading in quotes under [aliases])"),
]


def toml_error_sentence(exc: tomllib.TOMLDecodeError, text: str, source: str) -> str:
    """tomllib's complaint as one plain sentence naming the line, and what to write instead."""
    fix = windows_path_fix(text, source)
    if fix:
        return fix
    message = str(exc)
    position = _POSITION.search(message)
    line = int(position.group(1)) if position and position.group(1) else None
    what = _POSITION.sub("", message)
    plain = next((words for start, words in _PLAIN if what.startswith(start)), f"TOML says: {what[:1].lower()}{what[1:]}")
    if line is None:
        return f"The end of {source} cannot be read ({plain}): fix it, or run 'partnership-xl init' for a fresh file, then run again."
    shown = text.splitlines()[line - 1].strip() if line <= len(text.splitlines()) else ""
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    return f"Line {line} of {source} ({shown}): {plain}; fix that line, then run again."
