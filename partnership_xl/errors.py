"""The exceptions partnership-xl raises for input it cannot use.

Every one of them means "exit 2 with one plain sentence": the CLI prints ``str(exc)`` and
nothing else (no traceback unless ``--debug``). Messages say what is wrong and what to do.
"""

from __future__ import annotations


class PartnershipXLError(Exception):
    """Base class: the input or the command cannot be used (exit code 2)."""


class RegisterNotFound(PartnershipXLError):
    """The register path does not exist, or is a folder."""


class NotAWorkbook(PartnershipXLError):
    """The file is not a spreadsheet we can read (empty, random bytes, CSV, corrupt zip...)."""


class ProtectedWorkbook(PartnershipXLError):
    """The workbook is password-protected (encrypted)."""


class UnsafeWorkbook(PartnershipXLError):
    """The workbook looks hostile (zip bomb, XML entity attack, absurd size) and is refused."""


class OversizedSheet(UnsafeWorkbook):
    """One worksheet spans more cells than allowed (a stray value far out); ``sheet`` names it."""

    def __init__(self, message: str, sheet: str | None) -> None:
        super().__init__(message)
        self.sheet = sheet


class NoRegisterSheet(PartnershipXLError):
    """No sheet in the workbook looks like a partnership register."""


class ConfigError(PartnershipXLError):
    """The configuration file has an unknown key or a bad value."""


class OutputError(PartnershipXLError):
    """The output cannot be written (is the register itself, folder missing, open in Excel...)."""
