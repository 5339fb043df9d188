"""Settings: defaults in code, overridden by a TOML file (SPEC §5).

``--config FILE``, else ``partnership-xl.toml`` beside the register. An unknown key or a bad
value raises :class:`ConfigError` with a sentence naming the key and what it should be.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from . import tomlwords
from .errors import ConfigError
from .fields import choice_fields, choice_index, choice_key, fields_by_name

CONFIG_NAME = "partnership-xl.toml"


@dataclass(frozen=True)
class Limits:
    """How big a workbook may be before it is refused as hostile or absurd (SPEC §8).

    The one place the limits are written: each field but ``max_rows`` is also a setting of the
    same name (:class:`Settings` takes its defaults from here) that raises it for a trusted file.
    """

    max_part_mb: int = 512  # largest uncompressed part (e.g. one sheet's XML), in MB
    max_total_mb: int = 1024  # all parts together, uncompressed, in MB
    max_ratio: int = 200  # uncompressed / compressed size of any part larger than 1 MB
    max_cells: int = 5_000_000  # cells a worksheet part may really hold
    max_rows: int = 1_048_576  # rows a worksheet may claim (Excel's own maximum; not a setting)


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
    risk_scale: int = 5
    low_max: int | None = None  # None: from risk_scale (see band_limits); always a number once made
    medium_max: int | None = None
    weak_review_months: int = 6
    output_dir: str | None = None
    # Reminders to lead officers (``remind``): where to send them. The password is read only from
    # the environment variable PXL_SMTP_PASSWORD, never from the settings file.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_from: str | None = None
    smtp_starttls: bool = True
    smtp_user: str | None = None
    # Limits on hostile or absurd files (SPEC §8); raise them only for a file you trust.
    max_part_mb: int = Limits.max_part_mb
    max_total_mb: int = Limits.max_total_mb
    max_ratio: int = Limits.max_ratio
    max_cells: int = Limits.max_cells
    aliases: dict[str, str] = field(default_factory=dict)
    choices: dict[str, dict[str, str]] = field(default_factory=dict)
    officers: dict[str, str] = field(default_factory=dict)  # lead officer's name → e-mail address
    source: str | None = None  # the config file these came from, for the Summary sheet

    def __post_init__(self) -> None:
        low, medium = band_limits(self.risk_scale)
        if self.low_max is None:
            object.__setattr__(self, "low_max", low)
        if self.medium_max is None:
            object.__setattr__(self, "medium_max", medium)

    def limits(self) -> Limits:
        """The file-size limits these settings set, for :func:`partnership_xl.workbook.sniff.inspect_register`."""
        return Limits(max_part_mb=self.max_part_mb, max_total_mb=self.max_total_mb, max_ratio=self.max_ratio, max_cells=self.max_cells)

    def public(self) -> dict[str, Any]:
        """The settings as shown on the Summary sheet and in ``init`` (no bookkeeping)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "source"}


def band_limits(risk_scale: int) -> tuple[int, int]:
    """The default (low_max, medium_max) for a risk_scale x risk_scale matrix (SPEC §4).

    6 and 12 on a 5x5 matrix; for another scale 24 % and 48 % of the largest score, rounded
    (4 and 8 on a 4x4 matrix). No scale from 3 to 10 gives a half to round.
    """
    if risk_scale == 5:
        return 6, 12
    largest = risk_scale * risk_scale
    return round(largest * 24 / 100), round(largest * 48 / 100)


#: What each setting means, for ``init`` and the Summary sheet.
HELP = {
    "council_name": "The council's own name: a partnership whose only partner is the council is not a partnership (PP204).",
    "sheet": "The register's sheet name. Leave unset to use the sheet whose header matches best.",
    "header_row": "The register's header row (Excel row number). Leave unset to find it in the first 30 rows.",
    "review_interval_months": "Months between the annual reviews policy §5 asks for (PP501, PP503).",
    "due_soon_days": "Days ahead that count as 'due soon' for reviews and end dates (PP503, PP907).",
    "executive_threshold": "Unbudgeted contributions of at least this many pounds a year need the Executive, not a Portfolio Holder or CMT (PP603).",
    "significance_threshold": "Contributions of at least this many pounds a year make a partnership significant (PP701).",
    "risk_scale": "The size of the council's risk matrix: likelihood and impact are scored 1 to risk_scale (5 for 5x5; a council with a 4x4 matrix sets 4). From 3 to 10.",
    "low_max": "Highest risk or opportunity score (likelihood x impact) that is Low. Leave unset for 24% of the largest score: 6 on a 5x5 matrix, 4 on a 4x4.",
    "medium_max": "Highest score that is Medium; anything above is High. Leave unset for 48% of the largest score: 12 on a 5x5 matrix, 8 on a 4x4.",
    "weak_review_months": "Months between the reassessments of a partnership whose governance assurance is Limited or No assurance (PP504).",
    "output_dir": "Folder for the dated annotated copies and the run history. Leave unset to write beside the register.",
    "smtp_host": "The mail server 'remind --send' sends the reminders through, e.g. \"smtp.office365.com\". Without it, remind writes .eml drafts only.",
    "smtp_port": "The mail server's port (587 for STARTTLS).",
    "smtp_from": "The address reminders come from, e.g. the Community Partnerships mailbox.",
    "smtp_starttls": "Encrypt the connection with STARTTLS before logging in (true unless your mail server says otherwise).",
    "smtp_user": "The user name to log in to the mail server with; the password is read only from the environment variable PXL_SMTP_PASSWORD.",
    "max_part_mb": "Largest uncompressed part of a workbook, in MB, before it is refused as a possible zip bomb.",
    "max_total_mb": "Largest total uncompressed size of a workbook, in MB.",
    "max_ratio": "Highest compression ratio allowed for a large part of a workbook.",
    "max_cells": "Most cells the register sheet may hold.",
    "officers": "Lead officers' e-mail addresses for the reminders, when the register has no Lead officer email column, e.g. \"Sarah Whitfield\" = \"sarah.whitfield@harborough.gov.uk\".",
    "aliases": "Your own column headings, mapped to the tool's field names, e.g. \"Officer\" = \"lead_officer\".",
    "choices": "Your own words for a choice column, one table per field, e.g. [choices.status] then \"Wound up\" = \"Closed\".",
}

_INT_KEYS = {"header_row", "review_interval_months", "due_soon_days", "low_max", "medium_max", "smtp_port",
             "max_part_mb", "max_total_mb", "max_ratio", "max_cells", "risk_scale", "weak_review_months"}
_INT_MAX = {"review_interval_months": (1200, "a hundred years"), "due_soon_days": (36_500, "a hundred years"),
            "weak_review_months": (1200, "a hundred years")}
RISK_SCALES = range(3, 11)
_MONEY_KEYS = {"executive_threshold", "significance_threshold"}
_TEXT_KEYS = {"council_name", "sheet", "output_dir", "smtp_host", "smtp_from", "smtp_user"}


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
        from .workbook.sniff import missing_part

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
    settings = Settings(**values, source=source)  # low_max / medium_max not given: from risk_scale
    largest = settings.risk_scale ** 2
    for key in ("low_max", "medium_max"):
        if key in values and values[key] > largest:
            raise ConfigError(f"Setting '{key}'{at(key)} must be between 1 and {largest} (scores are likelihood x impact on a "
                              f"{settings.risk_scale}x{settings.risk_scale} matrix), not {values[key]!r}.")
    if not settings.low_max < settings.medium_max:
        raise ConfigError(f"low_max ({settings.low_max}) must be below medium_max ({settings.medium_max}){at('low_max')}.")
    return settings


def _check(key: str, value: Any, where: str) -> Any:
    if key in _INT_KEYS:
        if isinstance(value, bool) or not isinstance(value, int) or value < (1 if key != "due_soon_days" else 0):
            raise ConfigError(f"Setting '{key}'{where} must be a whole number of at least {0 if key == 'due_soon_days' else 1}, not {value!r}.")
        if key == "risk_scale" and value not in RISK_SCALES:
            raise ConfigError(f"Setting 'risk_scale'{where} must be a whole number from 3 to 10 (the size of the risk matrix: 5 for 5x5), not {value!r}.")
        if key in _INT_MAX and value > _INT_MAX[key][0]:
            raise ConfigError(f"Setting '{key}'{where} must be at most {_INT_MAX[key][0]:,} ({_INT_MAX[key][1]}), not {value!r}.")
        if key == "smtp_port" and value > 65535:
            raise ConfigError(f"Setting 'smtp_port'{where} must be a port number (587 for STARTTLS), not {value!r}.")
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
    if key == "smtp_starttls":
        if not isinstance(value, bool):
            raise ConfigError(f"Setting 'smtp_starttls'{where} must be true or false (no quotes), not {value!r}.")
        return value
    if key == "officers":
        if not isinstance(value, dict) or not all(isinstance(v, str) and "@" in v for v in value.values()):
            raise ConfigError(f"Setting 'officers'{where} must be a table: [officers] then lines like \"Sarah Whitfield\" = \"sarah.whitfield@harborough.gov.uk\".")
        return {str(k).strip(): v.strip() for k, v in value.items()}
    if key == "aliases":
        if not isinstance(value, dict):
            raise ConfigError(f"Setting 'aliases'{where} must be a table: [aliases] then lines like \"Officer\" = \"lead_officer\".")
        known = fields_by_name()
        for header, target in value.items():
            if not isinstance(target, str) or target not in known:
                raise ConfigError(f"Alias '{header}'{where} points at '{target}', which is not a field; the fields are {', '.join(known)}.")
        return dict(value)
    if key == "choices":
        return _check_choices(value, where)
    raise AssertionError(key)  # every known key is handled above


def _check_choices(value: Any, where: str) -> dict[str, dict[str, str]]:
    """``[choices.FIELD]`` tables: each names a choice field, each word a choice of that field."""
    example = '[choices.status] then lines like "Wound up" = "Closed"'
    if not isinstance(value, dict) or not all(isinstance(words, dict) for words in value.values()):
        raise ConfigError(f"Setting 'choices'{where} must be one table per field: {example}.")
    checked: dict[str, dict[str, str]] = {}
    for name, words in value.items():
        if name not in choice_fields():
            raise ConfigError(f"[choices.{name}]{where} names no choice column; the choice columns are {', '.join(choice_fields())}.")
        allowed = fields_by_name()[name].choices
        index = choice_index(name)
        checked[name] = {}
        for word, target in words.items():
            canonical = index.get(choice_key(target)) if isinstance(target, str) else None
            if canonical is None:
                raise ConfigError(f"In [choices.{name}]{where}, '{word}' points at {target!r}, which is not a choice of {name}; "
                                  f"the choices are {', '.join(allowed)}.")
            checked[name][word] = canonical
    return checked
