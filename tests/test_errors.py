"""errors.py: one small hierarchy; every error the tool raises for input it cannot use is a
PartnershipXLError, which the CLI turns into one sentence and exit code 2."""

from __future__ import annotations

import inspect

import pytest

from partnership_xl import errors
from partnership_xl.api import check
from partnership_xl.cli import main
from partnership_xl.errors import (
    ConfigError,
    NoRegisterSheet,
    NotAWorkbook,
    OutputError,
    OversizedSheet,
    PartnershipXLError,
    ProtectedWorkbook,
    RegisterNotFound,
    UnsafeWorkbook,
)
from tests.conftest import AS_OF

ALL = [RegisterNotFound, NotAWorkbook, ProtectedWorkbook, UnsafeWorkbook, OversizedSheet, NoRegisterSheet, ConfigError, OutputError]


def test_the_module_defines_exactly_these_errors():
    defined = {name for name, value in vars(errors).items() if inspect.isclass(value) and issubclass(value, Exception)}
    assert defined == {cls.__name__ for cls in [PartnershipXLError, *ALL]}


@pytest.mark.parametrize("cls", ALL)
def test_each_is_a_partnership_xl_error_with_a_one_line_docstring(cls):
    assert issubclass(cls, PartnershipXLError) and issubclass(PartnershipXLError, Exception)
    assert cls.__doc__ and "\n" not in cls.__doc__.strip()


def test_an_oversized_sheet_is_an_unsafe_workbook_that_names_its_sheet():
    exc = OversizedSheet("The sheet 'Register' spans 20,000,000 cells.", "Register")
    assert isinstance(exc, UnsafeWorkbook) and exc.sheet == "Register" and str(exc) == "The sheet 'Register' spans 20,000,000 cells."
    assert OversizedSheet("x", None).sheet is None


@pytest.mark.parametrize(("make", "error", "says"), [
    (lambda folder: folder / "not there.xlsx", RegisterNotFound, "not there.xlsx"),
    (lambda folder: folder, RegisterNotFound, ""),  # a folder, not a file
    (lambda folder: _file(folder / "empty.xlsx", b""), NotAWorkbook, "empty.xlsx"),
    (lambda folder: _file(folder / "register.xlsx", b"Ref,Partnership\nP001,Harborough\n"), NotAWorkbook, "register.xlsx"),
])
def test_input_it_cannot_use_is_its_error_and_the_cli_says_one_sentence_and_exits_2(tmp_path, capsys, make, error, says):
    path = make(tmp_path)
    with pytest.raises(error):
        check(path, AS_OF)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("partnership-xl: ") and err.count("\n") == 1 and "Traceback" not in err and says in err


def _file(path, content: bytes):
    path.write_bytes(content)
    return path
