"""The commented settings file ``partnership-xl init`` writes (SPEC §5, issue 5).

Generated from :class:`partnership_xl.config.Settings` and its ``HELP`` texts, so every setting,
its default and its meaning are in the file, and a new setting appears without editing this
module. Settings without a default (sheet, header_row, output_dir) are written commented out
with an example; ``[aliases]`` comes last with a commented example line.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

from .config import CONFIG_NAME, HELP, Settings
from .errors import ConfigError, OutputError
from .fields import all_fields

#: Example values for the settings that have no default: shown commented out.
EXAMPLES: dict[str, Any] = {
    "sheet": "Partnership Register",
    "header_row": 3,
    "output_dir": r"W:\PUBLIC\COMMUNITY PARTNERSHIPS\Managing Partnerships\Checks",
    "smtp_host": "smtp.office365.com",
    "smtp_from": "partnerships@harborough.gov.uk",
    "smtp_user": "partnerships@harborough.gov.uk",
}
#: Example lines for the [officers] table (reminders), commented out.
OFFICER_EXAMPLES = {"Sarah Whitfield": "sarah.whitfield@harborough.gov.uk"}
#: Example lines for the [aliases] table, commented out.
ALIAS_EXAMPLES = {"Contact officer": "lead_officer", "Annual cost to HDC": "direct_contribution"}
_NOT_WRITTEN = ("source", "aliases", "officers")  # bookkeeping, and the table written last
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


def config_template() -> str:
    """The text of a commented ``partnership-xl.toml`` holding every setting and its default."""
    lines = [_INTRO]
    for f in fields(Settings):
        if f.name in _NOT_WRITTEN:
            continue
        if f.name == _FIRST_LIMIT:
            lines += ["# ---- Safety limits on hostile or absurd files: raise them only for a file you trust. ----", ""]
        lines += _comment(HELP[f.name])
        default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
        if default is None:
            lines.append(f"# {f.name} = {_toml_value(EXAMPLES[f.name])}")
        else:
            lines.append(f"{f.name} = {_toml_value(default)}")
        lines.append("")
    names = ", ".join(f.name for f in all_fields())
    lines += _comment(HELP["aliases"])
    lines += _comment("One line per heading, under [aliases]. The field names are: " + names + ".")
    lines += _comment("The Guidance sheet of 'partnership-xl template' says what each field holds.")
    lines.append("[aliases]")
    lines += [f"# {_toml_value(header)} = {_toml_value(field)}" for header, field in ALIAS_EXAMPLES.items()]
    lines += ["", *_comment(HELP["officers"]), "[officers]"]
    lines += [f"# {_toml_value(name)} = {_toml_value(address)}" for name, address in OFFICER_EXAMPLES.items()]
    return "\n".join(lines) + "\n"


def write_config(path: Path) -> None:
    """Write :func:`config_template` to ``path``; never overwrite an existing file (ConfigError)."""
    path = Path(path)
    folder = path.absolute().parent  # "." says nothing in a message
    try:
        with path.open("x", encoding="utf-8", newline="\n") as f:
            f.write(config_template())
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
