"""The tests mirror the package (issue 13): partnership_xl/X/Y.py is tested in tests/X/test_Y.py, and
partnership_xl/Y.py in tests/test_Y.py, unless EXCEPTIONS says why not."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "partnership_xl"
TESTS = REPO / "tests"

#: Modules with no test file of their own, and why. Keep it short: a small module gets a test instead.
EXCEPTIONS: dict[str, str] = {}


def modules() -> list[str]:
    """Every module of the package as a path inside it (``workbook/sheet.py``), without __init__ and __main__."""
    return sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                  if p.name not in ("__init__.py", "__main__.py") and "__pycache__" not in p.parts)


def where_tested(module: str) -> Path:
    """Where a module's tests are: tests/X/test_Y.py for partnership_xl/X/Y.py."""
    folder, _, name = module.rpartition("/")
    return TESTS / folder / f"test_{name}"


def test_every_module_has_a_test_file_of_its_own():
    missing = [f"partnership_xl/{m} has no {where_tested(m).relative_to(REPO)}" for m in modules()
               if m not in EXCEPTIONS and not where_tested(m).is_file()]
    assert not missing, "\n".join([*missing, "Write the test file, or list the module in EXCEPTIONS with the reason."])


def test_each_exception_is_a_module_without_a_test_file_and_says_why():
    stale = [m for m in EXCEPTIONS if not (PACKAGE / m).is_file() or where_tested(m).is_file()]
    assert not stale, f"take these off EXCEPTIONS (the module is gone, or now has its test file): {stale}"
    assert all(len(why) > 20 for why in EXCEPTIONS.values())


def test_the_test_folders_are_the_packages_subpackages():
    subpackages = {p.parent.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE}
    assert {"annotate", "reports", "rules", "workbook"} <= subpackages
    for name in subpackages:
        assert (TESTS / name / "__init__.py").is_file(), f"tests/{name}/ is missing (or has no __init__.py)"


def test_the_rules_here_find_what_they_should():
    assert "workbook/sheet.py" in modules() and "cli.py" in modules() and not any(m.endswith("__init__.py") for m in modules())
    assert where_tested("workbook/sheet.py") == TESTS / "workbook" / "test_sheet.py"
    assert where_tested("cli.py") == TESTS / "test_cli.py"
