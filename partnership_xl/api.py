"""The library: one function per command, which the command line only parses for and prints.

Example (the sample register)::

    import partnership_xl as pxl

    result = pxl.check("sample_register.xlsx", as_of="2026-11-25")
    result.exit_code, result.summary()["error"], result.flatten()[:2]   # (1, 19, [(4, 'DQ009'), (6, 'PP802')])
    pxl.annotate(result, "checked.xlsx").path                          # Path('checked.xlsx')

``settings`` is a :class:`~partnership_xl.config.Settings`, a dict of settings (as in the TOML
file), the path of a ``partnership-xl.toml``, or None for ``partnership-xl.toml`` beside the
register (the defaults when there is none), as the command line does. ``as_of`` is a date, an
ISO ``YYYY-MM-DD`` or day-first ``DD/MM/YYYY`` string, or None for today. Every function raises
a :class:`~partnership_xl.errors.PartnershipXLError` with one plain sentence when its input or
output cannot be used.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OutputError, PartnershipXLError

if TYPE_CHECKING:  # pandas is imported only when a register is checked
    from .config import Settings
    from .model import CheckResult
    from .progress import NoProgress
    from .remind import Outcome, Reminder

_DAY_FIRST = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")


def as_of_date(value: date | str | None, option: str = "--as-of") -> date:
    """The as-of date: a date, YYYY-MM-DD or day first (25/11/2026, 25.11.2026); None is today."""
    if value is None or value == "":
        return date.today()
    if isinstance(value, date):
        as_of = value
    else:
        try:
            day_first = _DAY_FIRST.fullmatch(value)
            if day_first:
                as_of = date(int(day_first.group(3)), int(day_first.group(2)), int(day_first.group(1)))
            elif re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
                as_of = date.fromisoformat(value.strip())
            else:
                raise ValueError(value)
        except ValueError:
            raise PartnershipXLError(f"{option} '{value}' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-03-31 or 31/03/2026.") from None
    if not 1900 <= as_of.year <= 9998:  # Excel's dates; the rules count months and days either side of it
        raise PartnershipXLError(f"{option} '{value}' is outside the dates Excel holds: give a date from 1900-01-01 to 9998-12-31, e.g. 2026-03-31.")
    return as_of


def load_settings(settings: Any = None, register: str | os.PathLike | None = None) -> Settings:
    """Settings from a Settings, a dict, a TOML file's path, or (None) the file beside ``register``."""
    from . import config

    if isinstance(settings, config.Settings):
        return settings
    if isinstance(settings, dict):
        return config.settings_from_dict(settings)
    explicit = Path(settings) if settings is not None else None
    return config.load_settings(config.find_config(Path(register) if register is not None else None, explicit))


def output_folder(settings: Settings, register: Path) -> Path:
    """Where the dated outputs and the run history go: ``output_dir``, else beside the register."""
    folder = Path(settings.output_dir) if settings.output_dir else Path(register).parent
    if settings.output_dir and not folder.is_dir():
        raise PartnershipXLError(f"The output folder '{settings.output_dir}' (output_dir in the settings) does not exist: create it or change the setting.")
    return folder


def check(path: str | os.PathLike, as_of: date | str | None = None, settings: Any = None, sheet: str | None = None,
          progress: NoProgress | None = None) -> CheckResult:
    """Check the register at ``path`` against the policy; return its findings and scores.

    The result has ``findings``, ``summary()``, ``exit_code`` (0 no errors, 1 errors),
    ``flatten()`` (``[(row, code), ...]``) and ``scores`` (one row a partnership).
    """
    path = Path(path)
    return _check(path, as_of_date(as_of), load_settings(settings, path), sheet, progress)


def _check(path: Path, as_of: date, settings: Settings, sheet: str | None, progress) -> CheckResult:
    from .progress import NO_PROGRESS

    _without_test_only_imports()
    from .engine import check as engine_check

    return engine_check(path, settings, as_of, sheet=sheet, progress=progress or NO_PROGRESS)


def _without_test_only_imports() -> None:
    """Keep pandera from importing hypothesis, which it loads only to offer data-synthesis strategies.

    hypothesis is a test dependency: a council's install does not have it, a developer's does, and
    there pandera's first validation imports it (about 0.3 s of every run). A check never
    synthesises data, so it is hidden while pandera loads; nothing else changes.
    """
    if "hypothesis" in sys.modules or "pandera" in sys.modules:
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]  # `import hypothesis` now raises ImportError
    try:
        import pandera.strategies.pandas_strategies  # noqa: F401  (records that strategies are unavailable)
    except ImportError:
        pass
    finally:
        if sys.modules.get("hypothesis", False) is None:
            del sys.modules["hypothesis"]


def _result(register: Any, as_of: date, settings: Any, sheet: str | None, progress, what: str = "") -> CheckResult:
    """``register`` as a CheckResult: checked when it is a path, as given when it is a result already."""
    from .model import CheckResult

    if isinstance(register, CheckResult):
        return register
    path = Path(register)
    try:
        return _check(path, as_of, load_settings(settings, path), sheet, progress)
    except PartnershipXLError as exc:
        if what:  # say which of the two registers it is
            raise PartnershipXLError(f"{what} cannot be used: {exc}") from None
        raise


# ----------------------------------------------------------------------------- validate


@dataclass
class Annotated:
    """The annotated copy written: its path, why it is not the name asked for, what it could not keep."""

    path: Path
    note: str | None = None
    losses: list[str] = field(default_factory=list)


@dataclass
class Validation:
    """What ``validate`` did: the check's result and the files it wrote."""

    result: CheckResult
    workbook: Annotated | None = None
    json: Path | None = None
    history: Path | None = None  # None when the history could not be written (open in Excel, read-only)

    @property
    def exit_code(self) -> int:
        """0 with no error findings, 1 with any."""
        return self.result.exit_code


def default_copy_name(register: Path, folder: Path, as_of: date) -> Path:
    """``<stem> - checked <as-of>.xlsx`` (``.xlsm`` for a macro-enabled register) in ``folder``."""
    from .annotate import copy_suffix

    return folder / f"{register.stem} - checked {as_of.isoformat()}{copy_suffix(register)}"


def annotate(result: CheckResult, out: str | os.PathLike | None = None, progress: NoProgress | None = None) -> Annotated:
    """Write the annotated copy of ``result``'s register: to ``out``, else the dated name in the output folder.

    When the dated name is open in Excel, ``<name> (2).xlsx`` is written instead and ``note`` says so.
    """
    from .outputs import resolve_output

    register = result.register.path
    if out is not None:
        resolve_output(Path(out), Path(out), register)
        _must_be_xlsx(Path(out), "annotated copy", _copy_suffix(register))
    default = default_copy_name(register, output_folder(result.settings, register), result.as_of)
    target, note = resolve_output(Path(out) if out is not None else None, default, register)
    return Annotated(target, note, _write_annotated(result, target, progress))


def _write_annotated(result: CheckResult, target: Path, progress) -> list[str]:
    from .annotate import write_annotated
    from .progress import NO_PROGRESS

    progress = progress or NO_PROGRESS
    with progress.rows_written("Writing the annotated copy", total=len(result.scores) + 1) as written:
        return write_annotated(result, target, progress=written)


def _copy_suffix(register: Path) -> str:
    from .annotate import copy_suffix

    return copy_suffix(register)


def write_json(result: CheckResult, path: str | os.PathLike) -> Path:
    """Write the findings JSON (SPEC §6) to ``path``, atomically; return the path."""
    from .outputs import resolve_output, write_atomically

    target, _ = resolve_output(Path(path), Path(path), result.register.path, "--json")
    data = result.json_text()
    write_atomically(target, lambda tmp: tmp.write_text(data, encoding="utf-8"), "--json")
    return target


def record_history(result: CheckResult) -> Path | None:
    """Append the run's line to the history in the output folder; None when it cannot be written."""
    from .history import append_history

    folder = Path(result.settings.output_dir) if result.settings.output_dir else result.register.path.parent
    return append_history(result, folder) if folder.is_dir() else None


def validate(path: str | os.PathLike, as_of: date | str | None = None, settings: Any = None, sheet: str | None = None, *,
             out: str | os.PathLike | None = None, json: str | os.PathLike | None = None, workbook: bool = True,
             keep_values: bool = False, progress: NoProgress | None = None) -> Validation:
    """What ``partnership-xl validate`` does: check, write the annotated copy (unless ``workbook`` is
    False) and the findings JSON (with ``json``), and add the run's line to the history.

    An unusable explicit ``out`` or ``json`` is refused before the register is read; the JSON is
    moved into place only once the copy is written too. Unless ``keep_values``, the result's cell
    values and typed table are let go before writing (the copy needs only findings and scores,
    and they are most of the memory at 100,000 rows).
    """
    from .outputs import commit, discard, resolve_output, stage

    path = Path(path)
    as_of = as_of_date(as_of)
    settings = load_settings(settings, path)
    output_folder(settings, path)
    out = Path(out) if out is not None else None
    json = Path(json) if json is not None else None
    for explicit, option in ((out, "--out"), (json, "--json")):
        if explicit is not None:
            resolve_output(explicit, explicit, path, option)
    if out is not None and workbook:
        _must_be_xlsx(out, "annotated copy", _copy_suffix(path))
        _json_apart(json, out)

    result = _check(path, as_of, settings, sheet, progress)
    copy_target = note = json_target = None
    if workbook:
        copy_target, note = resolve_output(out, default_copy_name(path, output_folder(settings, path), as_of), path)
    if json is not None:
        json_target, _ = resolve_output(json, json, path, "--json")
        _json_apart(json_target, copy_target)
    if not keep_values:
        result.table = result.register.raw = None
    json_tmp = None
    if json_target is not None:  # staged first, moved into place only once the copy is written too
        data = result.json_text()
        json_tmp = stage(json_target, lambda tmp: tmp.write_text(data, encoding="utf-8"), "--json")
    written = None
    try:
        if copy_target is not None:
            written = Annotated(copy_target, note, _write_annotated(result, copy_target, progress))
    except BaseException:
        if json_tmp is not None:
            discard(json_tmp)
        raise
    if json_tmp is not None:
        commit(json_tmp, json_target)
    return Validation(result, written, json_target, record_history(result))


def _must_be_xlsx(out: Path, what: str, suffix: str = ".xlsx") -> None:
    """Refuse an output name Excel would not open: the workbooks written are .xlsx (an .xlsm register's copy is .xlsm)."""
    if suffix == ".xlsm" and out.suffix.lower() != ".xlsm":
        raise OutputError(f"The output {out.name} does not end in .xlsm: the register holds macros, which the {what} keeps, so it is an "
                          "Excel Macro-Enabled Workbook (.xlsm), which Excel refuses to open under another extension; give a file name "
                          "ending in .xlsm with --out, then run again.")
    if suffix == ".xlsx" and out.suffix.lower() != ".xlsx":
        raise OutputError(f"The output {out.name} does not end in .xlsx: the {what} is always an Excel Workbook (.xlsx), "
                          f"which Excel refuses to open under another extension; give a file name ending in .xlsx with --out, then run again.")


def _json_apart(json_file: Path | None, workbook: Path | None) -> None:
    from .outputs import same_file

    if json_file is not None and workbook is not None and same_file(json_file, workbook):
        raise OutputError(f"The --json file {json_file.name} is the annotated copy's own file: give the findings their own file name "
                          f"(for example findings.json) with --json, then run again.")


# ----------------------------------------------------------------------------- reports


@dataclass
class Written:
    """A report written from a check: where, the result it was made from, and the previous one compared with."""

    path: Path
    result: CheckResult
    previous: CheckResult | None = None

    @property
    def exit_code(self) -> int:
        """As for validate: 1 when the register has error findings."""
        return self.result.exit_code


def _report_target(out: Path, register: Any, previous: Any) -> Path:
    from .model import CheckResult
    from .outputs import resolve_output, same_file

    reg_path = register.register.path if isinstance(register, CheckResult) else Path(register)
    target, _ = resolve_output(out, out, reg_path)
    if previous is not None and not isinstance(previous, CheckResult):
        if same_file(out, Path(previous)):  # never overwrite last year's register either
            raise OutputError(f"The output {out.name} is the previous register given with --previous, which is never overwritten: "
                              "choose another file name with --out, then run again.")
    return target


def _previous(previous: Any, as_of: date, settings: Any, progress) -> CheckResult | None:
    from .model import CheckResult

    if previous is None or isinstance(previous, CheckResult):
        return previous
    if not Path(previous).exists():
        from .workbook.sniff import not_found

        raise not_found(Path(previous), "The --previous register")
    return _result(previous, as_of, settings, None, progress, "The --previous register")


def scrutiny(register: Any, out: str | os.PathLike, previous: Any = None, as_of: date | str | None = None, settings: Any = None,
             sheet: str | None = None, progress: NoProgress | None = None) -> Written:
    """Write the annual scrutiny workbook (SPEC §7) for ``register`` (a path or a CheckResult), with a
    Changes sheet against ``previous`` and the monthly trend from the run history when there is one."""
    from .history import HISTORY_NAME, read_history
    from .progress import NO_PROGRESS
    from .reports.scrutiny import write_scrutiny

    progress = progress or NO_PROGRESS
    result, previous, target = _prepare(register, Path(out), previous, as_of, settings, sheet, progress, "scrutiny workbook")
    folder = Path(result.settings.output_dir) if result.settings.output_dir else result.register.path.parent
    history_file = folder / HISTORY_NAME
    history = read_history(history_file) if history_file.is_file() else None
    with progress.stage("Writing the scrutiny workbook"):
        write_scrutiny(result, target, previous=previous, history=history)
    return Written(target, result, previous)


def risks(register: Any, out: str | os.PathLike, previous: Any = None, as_of: date | str | None = None, settings: Any = None,
          sheet: str | None = None, progress: NoProgress | None = None) -> Written:
    """Write the quarterly risk and opportunity extract (SPEC §7), with movement against ``previous``."""
    from .progress import NO_PROGRESS
    from .reports.risks import write_risks

    progress = progress or NO_PROGRESS
    result, previous, target = _prepare(register, Path(out), previous, as_of, settings, sheet, progress, "risks workbook")
    with progress.stage("Writing the risks workbook"):
        write_risks(result, target, previous=previous)
    return Written(target, result, previous)


def report(register: Any, out: str | os.PathLike, previous: Any = None, as_of: date | str | None = None, settings: Any = None,
           sheet: str | None = None, progress: NoProgress | None = None) -> Written:
    """Write the annual committee report to Scrutiny as a Word document (SPEC §7)."""
    from .progress import NO_PROGRESS
    from .reports.report import write_report

    progress = progress or NO_PROGRESS
    result, previous, target = _prepare(register, Path(out), previous, as_of, settings, sheet, progress, None)
    with progress.stage("Writing the report"):
        write_report(result, target, previous=previous)
    return Written(target, result, previous)


def _prepare(register: Any, out: Path, previous: Any, as_of: Any, settings: Any, sheet: str | None, progress, workbook: str | None):
    """The checks every report makes before writing, in the order the command line has always made them."""
    from .model import CheckResult

    as_of = as_of_date(as_of)
    if not isinstance(register, CheckResult):
        settings_now = load_settings(settings, register)
    target = _report_target(out, register, previous)
    if workbook is not None:
        _must_be_xlsx(out, workbook)
    elif out.suffix.lower() != ".docx":
        raise OutputError(f"The output {out.name} does not end in .docx: the report is a Word document; give a file name ending in .docx with --out, then run again.")
    if workbook is not None and previous is not None and not isinstance(previous, CheckResult) and not Path(previous).exists():
        from .workbook.sniff import not_found

        raise not_found(Path(previous), "The --previous register")
    result = register if isinstance(register, CheckResult) else _check(Path(register), as_of, settings_now, sheet, progress)
    return result, _previous(previous, as_of, settings, progress), target


# ----------------------------------------------------------------------------- remind, template, init


@dataclass
class Reminders:
    """What ``remind`` did: the reminders, the rows without a lead officer, the drafts and any sending."""

    result: CheckResult
    reminders: list[Reminder]
    orphans: list[str]
    drafts: list[Path]
    folder: Path
    outcome: Outcome | None = None  # None when nothing was sent

    @property
    def exit_code(self) -> int:
        """2 when a send failed, else as for validate."""
        return 2 if self.outcome is not None and self.outcome.failure else self.result.exit_code


def remind(register: str | os.PathLike, out_dir: str | os.PathLike | None = None, as_of: date | str | None = None, settings: Any = None,
           sheet: str | None = None, *, send: bool = False, resend: bool = False, password: str | None = None,
           progress: NoProgress | None = None) -> Reminders:
    """Write each lead officer's reminder as an .eml draft in ``out_dir`` (default ``reminders <as-of>``
    in the output folder); with ``send``, send them through the settings' SMTP server, each once a day.

    The password is ``password``, else the environment variable PXL_SMTP_PASSWORD.
    """
    from .remind import PASSWORD_VARIABLE, SENT_LOG, build_reminders, send_reminders, write_drafts

    register = Path(register)
    as_of = as_of_date(as_of)
    settings = load_settings(settings, register)
    password = password if password is not None else os.environ.get(PASSWORD_VARIABLE)
    if send:
        if not settings.smtp_host or not settings.smtp_from:
            raise PartnershipXLError("remind --send needs smtp_host and smtp_from in the settings file: add them (run 'partnership-xl init' to see how), "
                                     "or leave out --send to write drafts only.")
        if settings.smtp_user and not password:
            raise PartnershipXLError(f"smtp_user is set but the password is not: set the environment variable {PASSWORD_VARIABLE} "
                                     "(it is never read from the settings file), then run again.")
    base = Path(settings.output_dir) if settings.output_dir else register.parent
    folder = Path(out_dir) if out_dir is not None else base / f"reminders {as_of.isoformat()}"
    result = _check(register, as_of, settings, sheet, progress)
    reminders, orphans = build_reminders(result)
    try:
        drafts = write_drafts(reminders, folder, as_of)
    except OSError as exc:
        raise OutputError(f"The reminders cannot be written in {folder} ({exc.strerror or exc.__class__.__name__}): choose a folder you can save to with --out-dir.") from None
    outcome = send_reminders(reminders, settings, folder / SENT_LOG, password=password, resend=resend) if send else None
    return Reminders(result, reminders, orphans, drafts, folder, outcome)


def template(out: str | os.PathLike, settings: Any = None) -> Path:
    """Write the blank register template (drop-down lists, a Guidance sheet) to ``out``; never over a file."""
    from .outputs import resolve_output, write_atomically
    from .template import write_template

    out = Path(out)
    if out.is_dir():
        resolve_output(out, out, out.with_name("~pxl-no-register~"))  # "... is a folder"
    if out.exists():
        raise PartnershipXLError(f"{out.name} already exists: the template is never written over a file; choose a new name or move the old file.")
    _must_be_xlsx(out, "template")
    target, _ = resolve_output(out, out, out.with_name("~pxl-no-register~"))
    settings = load_settings(settings)
    write_atomically(target, lambda tmp: write_template(tmp, settings))
    return target


def init(out: str | os.PathLike | None = None, from_register: str | os.PathLike | None = None, as_of: date | str | None = None):
    """Write a commented ``partnership-xl.toml`` with every setting and its default; return (path, proposal).

    With ``from_register``, it goes beside that register (or at ``out``) with the ``[aliases]`` its
    headings look like and the ``[choices]`` words it could not read; ``proposal`` says which.
    Without, ``proposal`` is None and the file is ``out`` or ``./partnership-xl.toml``.
    """
    if from_register is None:
        from .settings_template import write_config

        target = Path(out) if out is not None else Path("partnership-xl.toml")
        write_config(target)
        return target, None
    from .initfrom import init_from
    from .workbook import sniff

    sniff.inspect_register(Path(from_register), sniff.Limits())  # missing, a folder, not a workbook: one sentence
    _without_test_only_imports()
    return init_from(Path(from_register), as_of_date(as_of), Path(out) if out is not None else None)
