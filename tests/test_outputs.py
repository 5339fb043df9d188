"""outputs.py: choosing the output file, and writing it so that nothing is ever half-written."""

from __future__ import annotations

import builtins
import os
import stat
import struct
from pathlib import Path

import pytest

from partnership_xl import outputs
from partnership_xl.errors import OutputError
from partnership_xl.outputs import TEMP_PREFIX, resolve_output, write_atomically

OLD = b"PK old annotated copy, complete"


def owner_file(user: str) -> bytes:
    """An Excel owner file (~$...) recording ``user``."""
    data = (bytes([len(user)]) + user.encode("cp1252")).ljust(55, b" ")
    return (data + struct.pack("<H", len(user)) + user.encode("utf-16-le")).ljust(165, b" ")


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "Managing Partnerships"
    folder.mkdir()
    (folder / "Partnership Register.xlsx").write_bytes(b"PK the register")
    return folder


@pytest.fixture
def register(folder) -> Path:
    return folder / "Partnership Register.xlsx"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def assert_plain(message: str, folder: Path) -> None:
    assert "\n" not in message
    assert str(folder) not in message  # names, never this machine's full paths


# --- resolve_output: an explicit --out -----------------------------------------------------------

def test_explicit_out_is_used(folder, register):
    out = folder / "checked.xlsx"
    assert resolve_output(out, folder / "default.xlsx", register) == (out, None)


def test_explicit_out_may_replace_an_old_output(folder, register):
    out = folder / "checked.xlsx"
    out.write_bytes(OLD)
    assert resolve_output(out, folder / "default.xlsx", register) == (out, None)


@pytest.mark.parametrize("spelling", [
    lambda folder: folder / "Partnership Register.xlsx",
    lambda folder: folder / ".." / folder.name / "Partnership Register.xlsx",
    lambda folder: folder / "." / "Partnership Register.xlsx",
])
def test_out_is_the_register(folder, register, spelling):
    with pytest.raises(OutputError, match="is the register itself") as caught:
        resolve_output(spelling(folder), folder / "default.xlsx", register)
    assert_plain(str(caught.value), folder)


def test_out_is_the_register_relative_to_the_current_folder(folder, register, monkeypatch):
    monkeypatch.chdir(folder)
    with pytest.raises(OutputError, match="is the register itself"):
        resolve_output(Path("Partnership Register.xlsx"), folder / "default.xlsx", register)


def test_out_is_a_link_to_the_register(folder, register):
    link = folder / "Register link.xlsx"
    try:
        os.link(register, link)
    except OSError:
        pytest.skip("hard links are not available here")
    with pytest.raises(OutputError, match="is the register itself"):
        resolve_output(link, folder / "default.xlsx", register)


@pytest.mark.skipif(os.name != "nt", reason="file names ignore case on Windows")
def test_out_is_the_register_in_other_letters(folder, register):
    with pytest.raises(OutputError, match="is the register itself"):
        resolve_output(folder / "PARTNERSHIP register.XLSX", folder / "default.xlsx", register)


def test_out_in_a_folder_that_does_not_exist(folder, register):
    with pytest.raises(OutputError, match="does not exist") as caught:
        resolve_output(folder / "Reports 2026" / "checked.xlsx", folder / "default.xlsx", register)
    assert "Reports 2026" in str(caught.value) and "checked.xlsx" in str(caught.value)
    assert_plain(str(caught.value), folder)


def test_out_inside_a_file(folder, register):
    with pytest.raises(OutputError, match="is a file, not a folder"):
        resolve_output(register / "checked.xlsx", folder / "default.xlsx", register)


def test_out_is_a_folder(folder, register):
    (folder / "Reports").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        resolve_output(folder / "Reports", folder / "default.xlsx", register)


@pytest.mark.parametrize("owner_name", ["~$Scrutiny 2026.xlsx", "~$rutiny 2026.xlsx"])
def test_out_open_in_excel_names_who(folder, register, owner_name):
    out = folder / "Scrutiny 2026.xlsx"
    out.write_bytes(OLD)
    (folder / owner_name).write_bytes(owner_file("Sarah Whitfield"))
    with pytest.raises(OutputError, match="is open in Excel by Sarah Whitfield") as caught:
        resolve_output(out, folder / "default.xlsx", register)
    assert "close it in Excel" in str(caught.value)


def test_out_open_in_excel_by_someone_unknown(folder, register):
    out = folder / "Risks.xlsx"
    (folder / "~$Risks.xlsx").write_bytes(b"")
    with pytest.raises(OutputError, match=r"Risks\.xlsx is open in Excel: close it"):
        resolve_output(out, folder / "default.xlsx", register)


def test_out_read_only_or_held_by_another_program(folder, register):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root can open any file for writing")
    out = folder / "Risks.xlsx"
    out.write_bytes(OLD)
    out.chmod(0o444)
    try:
        with pytest.raises(OutputError, match="Risks.xlsx cannot be replaced"):
            resolve_output(out, folder / "default.xlsx", register)
        path, note = resolve_output(None, out, register)
        assert path.name == "Risks (2).xlsx" and "cannot be replaced" in note
    finally:
        out.chmod(0o644)


def test_file_held_open_without_an_owner_file(folder, register, monkeypatch):
    # On Windows, Excel (or another program) holding a file makes opening it for writing fail.
    held = folder / "Risks.xlsx"
    held.write_bytes(OLD)

    def windows_open(path, mode="r", *args, **kwargs):
        if Path(path) == held and mode != "rb":
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return builtins.open(path, mode, *args, **kwargs)

    monkeypatch.setattr(outputs, "open", windows_open, raising=False)
    with pytest.raises(OutputError, match="Risks.xlsx cannot be replaced because it is open in another program"):
        resolve_output(held, folder / "default.xlsx", register)
    path, note = resolve_output(None, held, register)
    assert path.name == "Risks (2).xlsx"
    assert note == "Risks.xlsx cannot be replaced (it is open in another program or read-only), so the results are written to Risks (2).xlsx instead."
    assert held.read_bytes() == OLD


# --- resolve_output: the default dated name --------------------------------------------------------

DEFAULT = "Partnership Register - checked 2026-11-25.xlsx"


def test_default_is_used_when_free(folder, register):
    assert resolve_output(None, folder / DEFAULT, register) == (folder / DEFAULT, None)


def test_default_open_in_excel_goes_to_2(folder, register):
    (folder / DEFAULT).write_bytes(OLD)
    (folder / ("~$" + DEFAULT)).write_bytes(owner_file("J Smith"))
    path, note = resolve_output(None, folder / DEFAULT, register)
    assert path == folder / "Partnership Register - checked 2026-11-25 (2).xlsx"
    assert note == (f"{DEFAULT} is open in Excel by J Smith, so the results are written to "
                    "Partnership Register - checked 2026-11-25 (2).xlsx instead.")


def test_default_and_2_open_goes_to_3(folder, register):
    for name in (DEFAULT, "Partnership Register - checked 2026-11-25 (2).xlsx"):
        (folder / name).write_bytes(OLD)
        (folder / ("~$" + name)).write_bytes(owner_file("J Smith"))
    path, note = resolve_output(None, folder / DEFAULT, register)
    assert path.name == "Partnership Register - checked 2026-11-25 (3).xlsx"
    assert note.startswith(f"{DEFAULT} is open in Excel by J Smith")


def test_default_that_cannot_be_replaced_goes_to_2(folder, register):
    (folder / DEFAULT).mkdir()  # a folder has taken the name
    path, note = resolve_output(None, folder / DEFAULT, register)
    assert path.name.endswith("(2).xlsx") and "is a folder" in note


def test_default_in_a_missing_output_folder(folder, register):
    with pytest.raises(OutputError, match="does not exist"):
        resolve_output(None, folder / "Checked" / DEFAULT, register)


def test_no_free_numbered_name(folder, register):
    (folder / ("~$" + DEFAULT)).write_bytes(b"")
    for n in range(2, 100):
        (folder / f"~$Partnership Register - checked 2026-11-25 ({n}).xlsx").write_bytes(b"")
    with pytest.raises(OutputError, match="numbered names"):
        resolve_output(None, folder / DEFAULT, register)


# --- write_atomically ----------------------------------------------------------------------------

def test_writes_through_a_temporary_file_beside_the_target(folder):
    target = folder / "checked.xlsx"
    seen = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_bytes(b"PK new")

    write_atomically(target, write)
    assert target.read_bytes() == b"PK new"
    assert seen[0].parent == folder and seen[0].name.startswith(TEMP_PREFIX) and seen[0].suffix == ".xlsx"
    assert leftovers(folder) == []


def test_replaces_an_old_output_whole(folder):
    target = folder / "checked.xlsx"
    target.write_bytes(OLD)
    write_atomically(target, lambda tmp: tmp.write_bytes(b"PK new"))
    assert target.read_bytes() == b"PK new"


@pytest.mark.parametrize("interruption", [RuntimeError("writer failed"), KeyboardInterrupt()])
def test_failure_half_way_keeps_the_old_file_and_no_temp(folder, interruption):
    target = folder / "checked.xlsx"
    target.write_bytes(OLD)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(b"PK half a workbook")
            fh.flush()
        raise interruption

    with pytest.raises(type(interruption)):
        write_atomically(target, write)
    assert target.read_bytes() == OLD
    assert leftovers(folder) == []


def test_failure_with_no_old_file_leaves_nothing(folder):
    def write(tmp: Path) -> None:
        tmp.write_bytes(b"PK half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(folder / "checked.xlsx", write)
    assert sorted(p.name for p in folder.iterdir()) == ["Partnership Register.xlsx"]


def test_empty_result_keeps_the_old_file(folder):
    target = folder / "checked.xlsx"
    target.write_bytes(OLD)
    with pytest.raises(OutputError, match="empty file"):
        write_atomically(target, lambda tmp: None)
    assert target.read_bytes() == OLD and leftovers(folder) == []


def test_target_open_in_excel_on_windows(folder, monkeypatch):
    # What os.replace raises on Windows while Excel holds the target.
    def refuse(tmp: Path, target: Path) -> None:
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(outputs.os, "replace", refuse)
    target = folder / "checked.xlsx"
    target.write_bytes(OLD)
    with pytest.raises(OutputError, match="close it in Excel and run again") as caught:
        write_atomically(target, lambda tmp: tmp.write_bytes(b"PK new"))
    assert str(caught.value).startswith("checked.xlsx could not be replaced")
    assert target.read_bytes() == OLD and leftovers(folder) == []


def test_folder_missing(folder):
    with pytest.raises(OutputError, match="does not exist"):
        write_atomically(folder / "Gone" / "checked.xlsx", lambda tmp: tmp.write_bytes(b"PK"))


def test_folder_not_writable(folder):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root can write in any folder")
    locked = folder / "Read only"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="permission to write in the folder Read only"):
            write_atomically(locked / "checked.xlsx", lambda tmp: tmp.write_bytes(b"PK"))
    finally:
        locked.chmod(0o755)


def test_folder_not_writable_as_the_os_reports_it(folder, monkeypatch):
    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(outputs.os, "open", deny)
    with pytest.raises(OutputError, match="permission to write in the folder Managing Partnerships") as caught:
        write_atomically(folder / "checked.xlsx", lambda tmp: tmp.write_bytes(b"PK"))
    assert_plain(str(caught.value), folder.parent)


def test_target_is_a_folder(folder):
    (folder / "checked.xlsx").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        write_atomically(folder / "checked.xlsx", lambda tmp: tmp.write_bytes(b"PK"))


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_output_gets_the_usual_permissions_not_private_ones(folder):
    umask = os.umask(0o022)
    try:
        write_atomically(folder / "checked.xlsx", lambda tmp: tmp.write_bytes(b"PK"))
    finally:
        os.umask(umask)
    assert (folder / "checked.xlsx").stat().st_mode & 0o777 == 0o644


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_an_output_that_is_a_pipe_or_a_device_is_never_replaced(tmp_path, capsys):
    """os.replace() moved the finished file onto whatever had the name: run as root with
    --json /dev/full it replaced the device itself."""
    from partnership_xl import cli

    from .conftest import row, write_register

    pipe = tmp_path / "findings.json"
    os.mkfifo(pipe)
    register = write_register(tmp_path / "r.xlsx", [row()])
    assert cli.main(["validate", str(register), "--no-workbook", "--json", str(pipe)]) == 2
    assert "is not an ordinary file" in capsys.readouterr().err
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    with pytest.raises(OutputError, match="not an ordinary file"):
        write_atomically(pipe, lambda tmp: tmp.write_text("x"))
    target, note = resolve_output(None, pipe, register)  # a default name: the next numbered one, said so
    assert target.name == "findings (2).json" and "is not an ordinary file" in note
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)) == []


# --- names longer than a file name can be (issue 14) ---------------------------------------------

def test_a_register_name_so_long_the_dated_name_cannot_exist(folder):
    """Was: "... is open in Excel, and so are the numbered names beside it up to (99)"."""
    register = folder / ("Partnership Register " + "x" * 220 + ".xlsx")
    register.write_bytes(b"PK the register")
    default = register.with_name(f"{register.stem} - checked 2026-11-25.xlsx")
    with pytest.raises(OutputError) as caught:
        resolve_output(None, default, register)
    message = str(caught.value)
    assert "more than the 255 a file name can have" in message and "rename the register" in message and "--out" in message
    assert "open in Excel" not in message and "(99)" not in message
    assert_plain(message, folder)


def test_an_explicit_out_name_too_long(folder, register):
    with pytest.raises(OutputError, match="is 300 characters long, more than the 255 a file name can have: give a shorter name with --out"):
        resolve_output(folder / ("c" * 295 + ".xlsx"), folder / "unused.xlsx", register)


def test_a_name_of_255_characters_is_fine(folder, register):
    name = "c" * 250 + ".xlsx"
    assert resolve_output(None, folder / name, register) == (folder / name, None)


def test_an_owner_file_name_too_long_to_exist_is_nobody(folder):
    """The ~$ name is two longer than the file's: at 254 or 255 characters it cannot exist, so nobody has the file open."""
    from partnership_xl.workbook.lockfile import lock_owner

    assert lock_owner(folder / ("c" * 249 + ".xlsx")) is None


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), OSError(30, "Read-only file system")])
def test_an_unwritable_json_folder_names_json_not_out(folder, monkeypatch, error):
    """Was: "... choose another place for findings.json with --out", an option that does not move the JSON."""
    def deny(*args, **kwargs):
        raise error

    monkeypatch.setattr(outputs.os, "open", deny)
    with pytest.raises(OutputError) as caught:
        write_atomically(folder / "findings.json", lambda tmp: tmp.write_text("{}"), "--json")
    message = str(caught.value)
    assert "findings.json with --json" in message and "--out" not in message
    assert_plain(message, folder.parent)


def test_an_explicit_json_open_in_excel_names_json(folder, register):
    (folder / "findings.json").write_text("{}")
    (folder / "~$findings.json").write_bytes(owner_file("jsmith"))
    with pytest.raises(OutputError, match=r"choose another file name with --json\)") as caught:
        resolve_output(folder / "findings.json", folder / "findings.json", register, "--json")
    assert "--out" not in str(caught.value)
