"""Settings: defaults in code, overridden by a TOML file (SPEC §5).

``--config FILE``, else ``partnership-xl.toml`` beside the register. An unknown key or a bad
value raises :class:`ConfigError` with a sentence naming the key and what it should be.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from . import tomlwords
from .errors import ConfigError
from .fields import fields_by_name

CONFIG_NAME = "partnership-xl.toml"


@dataclass(frozen=True)
class Settings:
    """Every setting with its default. Field order is the order ``init`` writes them in."""

    council_name: str = "Harborough District Council"
    sheet: str | None = None
    header_row: int | None = None
    review_interval_months: int = 12
    due_soon_days: int = 60
    executive_threshold: float = 10000
    significance_threshold: float = 10000
    low_max: int = 6
    medium_max: int = 12
    output_dir: str | None = None
    # Limits on hostile or absurd files (SPEC §8); raise them only for a file you trust.
    max_part_mb: int = 512
    max_total_mb: int = 1024
    max_ratio: int = 200
    max_cells: int = 5_000_000
    aliases: dict[str, str] = field(default_factory=dict)
    source: str | None = None  # the config file these came from, for the Summary sheet

    def public(self) -> dict[str, Any]:
        """The settings as shown on the Summary sheet and in ``init`` (no bookkeeping)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "source"}


#: What each setting means, for ``init`` and the Summary sheet.
HELP = {
    "council_name": "The council's own name: a partnership whose only partner is the council is not a partnership (PP204).",
    "sheet": "The register's sheet name. Leave unset to use the sheet whose header matches best.",
    "header_row": "The register's header row (Excel row number). Leave unset to find it in the first 30 rows.",
    "review_interval_months": "Months between the annual reviews policy §5 asks for (PP501, PP503).",
    "due_soon_days": "Days ahead that count as 'due soon' for reviews and end dates (PP503, PP907).",
    "executive_threshold": "Unbudgeted contributions of at least this many pounds a year need the Executive, not a Portfolio Holder or CMT (PP603).",
    "significance_threshold": "Contributions of at least this many pounds a year make a partnership significant (PP701).",
    "low_max": "Highest risk or opportunity score (likelihood x impact) that is Low.",
    "medium_max": "Highest score that is Medium; anything above is High.",
    "output_dir": "Folder for the dated annotated copies and the run history. Leave unset to write beside the register.",
    "max_part_mb": "Largest uncompressed part of a workbook, in MB, before it is refused as a possible zip bomb.",
    "max_total_mb": "Largest total uncompressed size of a workbook, in MB.",
    "max_ratio": "Highest compression ratio allowed for a large part of a workbook.",
    "max_cells": "Most cells the register sheet may hold.",
    "aliases": "Your own column headings, mapped to the tool's field names, e.g. \"Officer\" = \"lead_officer\".",
}

_INT_KEYS = {"header_row", "review_interval_months", "due_soon_days", "low_max", "medium_max",
             "max_part_mb", "max_total_mb", "max_ratio", "max_cells"}
_INT_MAX = {"review_interval_months": (1200, "a hundred years"), "due_soon_days": (36_500, "a hundred years")}
_MONEY_KEYS = {"executive_threshold", "significance_threshold"}
_TEXT_KEYS = {"council_name", "sheet", "output_dir"}


def find_config(register: Path | None, explicit: Path | None) -> Path | None:
    """The config file to use: ``--config`` if given, else ``partnership-xl.toml`` beside the register."""
    if explicit is not None:
        return explicit
    if register is not None:
        candidate = register.parent / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_settings(path: Path | None) -> Settings:
    """Read and validate a TOML file; no file means the defaults."""
    if path is None:
        return Settings()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (FileNotFoundError, NotADirectoryError):
        from .safety import missing_part

        raise ConfigError(f"The settings file {path} was not found: {missing_part(path)} (or run 'partnership-xl init' to make one), then run again.") from None
    except IsADirectoryError:
        raise ConfigError(f"The settings file {path} is a folder: give the path of the .toml file inside it with --config, then run again.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The settings file {path.name} cannot be read ({exc.__class__.__name__}): save it as plain UTF-8 text.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(tomlwords.toml_error_sentence(exc, text, path.name)) from None
    misread = tomlwords.windows_path_fix(text, path.name)  # "W:\new folder" parses, as a line break
    if misread:
        raise ConfigError(misread)
    return settings_from_dict(data, source=path.name, text=text)


def settings_from_dict(data: dict[str, Any], source: str | None = None, text: str | None = None) -> Settings:
    """Validate a mapping of settings (from TOML) and return Settings; raise ConfigError on any problem.

    With the file's ``text``, each message names the line of the setting it is about.
    """
    where = f" in {source}" if source else ""

    def at(key: str) -> str:  # " on line 7 of partnership-xl.toml"
        line = tomlwords.line_of(text, key)
        return f" on line {line} of {source}" if line and source else where

    known = {f.name for f in fields(Settings)} - {"source"}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"Unknown setting '{key}'{at(key)}{tomlwords.did_you_mean(key, known)}: correct its name, or delete the line; "
                              f"the settings are {', '.join(sorted(known))}.")
        values[key] = _check(key, value, at(key))
    settings = replace(Settings(), **values, source=source)
    if not settings.low_max < settings.medium_max:
        raise ConfigError(f"low_max ({settings.low_max}) must be below medium_max ({settings.medium_max}){at('low_max')}.")
    return settings


def _check(key: str, value: Any, where: str) -> Any:
    if key in _INT_KEYS:
        if isinstance(value, bool) or not isinstance(value, int) or value < (1 if key != "due_soon_days" else 0):
            raise ConfigError(f"Setting '{key}'{where} must be a whole number of at least {0 if key == 'due_soon_days' else 1}, not {value!r}.")
        if key in ("low_max", "medium_max") and value > 25:
            raise ConfigError(f"Setting '{key}'{where} must be between 1 and 25 (scores are likelihood x impact), not {value!r}.")
        if key in _INT_MAX and value > _INT_MAX[key][0]:
            raise ConfigError(f"Setting '{key}'{where} must be at most {_INT_MAX[key][0]:,} ({_INT_MAX[key][1]}), not {value!r}.")
        if key == "header_row" and value > 1_048_576:
            raise ConfigError(f"Setting 'header_row'{where} must be an Excel row number, not {value!r}.")
        return value
    if key in _MONEY_KEYS:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"Setting '{key}'{where} must be an amount in pounds of 0 or more, not {value!r}.")
        return value
    if key in _TEXT_KEYS:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"Setting '{key}'{where} must be text in quotes, not {value!r}.")
        return value.strip()
    if key == "aliases":
        if not isinstance(value, dict):
            raise ConfigError(f"Setting 'aliases'{where} must be a table: [aliases] then lines like \"Officer\" = \"lead_officer\".")
        known = fields_by_name()
        for header, target in value.items():
            if not isinstance(target, str) or target not in known:
                raise ConfigError(f"Alias '{header}'{where} points at '{target}', which is not a field; the fields are {', '.join(known)}.")
        return dict(value)
    raise AssertionError(key)  # every known key is handled above
