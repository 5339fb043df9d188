"""The commented settings file ``partnership-xl init`` writes (SPEC §5, issue 5).

Generated from :class:`partnership_xl.config.Settings` and its ``HELP`` texts, so every setting,
its default and its meaning are in the file, and a new setting appears without editing this
module. Settings without a default (sheet, header_row, output_dir) are written commented out
with an example; ``[aliases]`` and ``[choices.FIELD]`` come last with commented example lines.

``init --from REGISTER`` passes a :class:`Proposal`: the settings, aliases and words found in
that register (see :mod:`partnership_xl.initfrom`), each written with a comment saying why.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from .config import CONFIG_NAME, HELP, Settings, band_limits
from .errors import ConfigError, OutputError
from .fields import all_fields, choice_fields

#: Example values for the settings that have no default: shown commented out.
EXAMPLES: dict[str, Any] = {
    "sheet": "Partnership Register",
    "header_row": 3,
    "output_dir": r"W:\PUBLIC\COMMUNITY PARTNERSHIPS\Managing Partnerships\Checks",
    "low_max": 6,
    "medium_max": 12,
    "smtp_host": "smtp.office365.com",
    "smtp_from": "partnerships@harborough.gov.uk",
    "smtp_user": "partnerships@harborough.gov.uk",
}
#: Example lines for the [officers] table (reminders), commented out.
OFFICER_EXAMPLES = {"Sarah Whitfield": "sarah.whitfield@harborough.gov.uk"}
#: Example lines for the [aliases] table, commented out.
ALIAS_EXAMPLES = {"Contact officer": "lead_officer", "Annual cost to HDC": "direct_contribution"}
#: Example lines for the [choices.FIELD] tables, commented out.
CHOICE_EXAMPLES = {"status": {"Wound up": "Closed"}}
_NOT_WRITTEN = ("source", "aliases", "officers", "choices")  # bookkeeping, and the tables written last


@dataclass
class Proposal:
    """What ``init --from`` found in a register, for the settings file to propose.

    ``settings``: setting → (value, why), written as active lines. ``aliases``: (heading, field,
    why), written as active lines the officer can delete. ``choices``: (field, word, choices it
    could mean, why), written commented out: only the officer knows what a word means.
    """

    register: str
    settings: dict[str, tuple[object, str]] = field(default_factory=dict)
    aliases: list[tuple[str, str, str]] = field(default_factory=list)
    choices: list[tuple[str, str, tuple[str, ...], str]] = field(default_factory=list)
_FIRST_LIMIT = "max_part_mb"  # the safety limits follow it in Settings

_INTRO = f"""\
# partnership-xl settings.
#
# Keep this file beside the register as {CONFIG_NAME} (it is then used automatically),
# or name it with --config FILE. Every setting is shown with its default value.
#  - To change a setting, edit the value after "=" and save.
#  - To use a setting that starts with "# ", delete the "# " in front of it.
#  - To go back to the default, put the line back as it was (or delete it).
# Text goes in "double quotes"; Windows folders in 'single quotes', so the backslashes are kept,
# e.g. 'W:\\PUBLIC\\Partnerships' or '\\\\server\\share\\Partnerships'. Amounts are plain numbers: 10000.
# A misspelt setting or a bad value stops the check with a message saying which line to fix.
"""


def config_template(proposal: Proposal | None = None) -> str:
    """The text of a commented ``partnership-xl.toml`` holding every setting and its default
    (with ``proposal``, also what ``init --from`` found in the register)."""
    lines = [_INTRO]
    if proposal is not None:
        lines += _comment(f"Made by 'partnership-xl init --from' for {proposal.register}. The settings, [aliases] and "
                          "[choices] it found there are marked 'From the register'; check each one, and delete a line "
                          "that is wrong (the next check then goes back to the default).")
        lines.append("")
    proposed = proposal.settings if proposal is not None else {}
    scale = proposed["risk_scale"][0] if "risk_scale" in proposed else Settings.risk_scale
    examples = {**EXAMPLES, **dict(zip(("low_max", "medium_max"), band_limits(scale), strict=True))}  # type: ignore[arg-type]
    for f in fields(Settings):
        if f.name in _NOT_WRITTEN:
            continue
        if f.name == _FIRST_LIMIT:
            lines += ["# ---- Safety limits on hostile or absurd files: raise them only for a file you trust. ----", ""]
        lines += _comment(HELP[f.name])
        default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
        if f.name in proposed:
            value, why = proposed[f.name]
            lines += _comment(f"From the register: {why}")
            lines.append(f"{f.name} = {_toml_value(value)}")
        elif default is None:
            lines.append(f"# {f.name} = {_toml_value(examples[f.name])}")
        else:
            lines.append(f"{f.name} = {_toml_value(default)}")
        lines.append("")
    names = ", ".join(f.name for f in all_fields())
    lines += _comment(HELP["aliases"])
    lines += _comment("One line per heading, under [aliases]. The field names are: " + names + ".")
    lines += _comment("The Guidance sheet of 'partnership-xl template' says what each field holds.")
    lines.append("[aliases]")
    for heading, name, why in (proposal.aliases if proposal is not None else ()):
        lines += _comment(f"From the register: {why}")
        lines.append(f"{_toml_value(heading)} = {_toml_value(name)}")
    lines += [f"# {_toml_value(header)} = {_toml_value(name)}" for header, name in ALIAS_EXAMPLES.items()]
    lines += ["", *_comment(HELP["officers"]), "[officers]"]
    lines += [f"# {_toml_value(name)} = {_toml_value(address)}" for name, address in OFFICER_EXAMPLES.items()]
    lines.append("")
    lines += _choices_lines(proposal)
    return "\n".join(lines) + "\n"


def _choices_lines(proposal: Proposal | None) -> list[str]:
    lines = _comment(HELP["choices"])
    lines += _comment("To use one, delete the \"# \" in front of the [choices.FIELD] line and of each word's line. "
                      "The fields with choices are: " + ", ".join(choice_fields()) + ".")
    found: dict[str, list[tuple[str, tuple[str, ...], str]]] = {}
    for name, word, could_mean, why in (proposal.choices if proposal is not None else ()):
        found.setdefault(name, []).append((word, could_mean, why))
    if not found:
        for name, words in CHOICE_EXAMPLES.items():
            lines.append(f"# [choices.{name}]")
            lines += [f"# {_toml_value(word)} = {_toml_value(target)}" for word, target in words.items()]
    for name, words in found.items():
        lines.append("")
        lines.append(f"# [choices.{name}]")
        for word, could_mean, why in words:
            lines += _comment(f"From the register: {why} It could mean {' or '.join(could_mean)}: write the one you mean.")
            target = could_mean[0] if len(could_mean) == 1 else "CHOOSE ONE: " + ", ".join(could_mean)
            lines.append(f"# {_toml_value(word)} = {_toml_value(target)}")
    return lines


def write_config(path: Path, proposal: Proposal | None = None) -> None:
    """Write :func:`config_template` to ``path``; never overwrite an existing file (ConfigError)."""
    path = Path(path)
    folder = path.absolute().parent  # "." says nothing in a message
    text = config_template(proposal)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        raise ConfigError(
            f"{path.name} already exists in {folder}: edit that file, or rename or delete it "
            "and run 'partnership-xl init' again for a fresh one."
        ) from None
    except FileNotFoundError:
        raise OutputError(f"The folder {folder} does not exist: create it first, or run 'partnership-xl init' in the register's folder.") from None
    except OSError as exc:
        raise OutputError(f"{path.name} cannot be written in {folder} ({exc.strerror or exc.__class__.__name__}): "
                          "choose a folder you can save to.") from None


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, width=98, initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        if "\\" in value and "'" not in value and "\n" not in value:
            return f"'{value}'"  # literal string: a Windows path stays readable
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    raise TypeError(f"No TOML form for setting value {value!r}")
