"""workbook/lockfile.py: who has the workbook open in Excel, from the owner file beside it."""

from __future__ import annotations

import struct

import pytest

from partnership_xl.workbook.lockfile import lock_owner, owner_file_names

# --- Excel's owner file ---------------------------------------------------------------------------

def excel_owner_file(user: str) -> bytes:
    """An owner file as Excel writes it: length, ANSI name, spaces to 55, length, UTF-16 name."""
    ansi = user.encode("cp1252", errors="replace")
    data = bytes([len(user)]) + ansi
    data = data.ljust(55, b" ") + struct.pack("<H", len(user)) + user.encode("utf-16-le")
    return data.ljust(165, b" ")


def word_owner_file(user: str) -> bytes:
    data = (bytes([len(user)]) + user.encode("cp1252")).ljust(54, b"\0")
    return (data + struct.pack("<H", len(user)) + user.encode("utf-16-le")).ljust(162, b"\0")


def test_owner_file_names():
    assert owner_file_names("Register.xlsx") == ["~$Register.xlsx", "~$gister.xlsx"]
    assert owner_file_names("Regist1.xlsx") == ["~$Regist1.xlsx", "~$egist1.xlsx"]
    assert owner_file_names("Reg.xlsx") == ["~$Reg.xlsx"]


def test_nobody_has_it_open(good):
    assert lock_owner(good) is None


@pytest.mark.parametrize("owner_name", ["~$Partnership Register.xlsx", "~$rtnership Register.xlsx"])
def test_who_has_it_open(good, owner_name):
    (good.parent / owner_name).write_bytes(excel_owner_file("Zoë Fairbanks"))
    assert lock_owner(good) == "Zoë Fairbanks"


def test_owner_of_a_short_name(tmp_path):
    (tmp_path / "~$Reg.xlsx").write_bytes(excel_owner_file("Sarah Whitfield"))
    assert lock_owner(tmp_path / "Reg.xlsx") == "Sarah Whitfield"


def test_owner_file_in_word_layout(tmp_path):
    (tmp_path / "~$Reg.xlsx").write_bytes(word_owner_file("J Smith"))
    assert lock_owner(tmp_path / "Reg.xlsx") == "J Smith"


def test_owner_file_with_only_the_ansi_name(tmp_path):
    (tmp_path / "~$Reg.xlsx").write_bytes(b"\x07J Smith")
    assert lock_owner(tmp_path / "Reg.xlsx") == "J Smith"


@pytest.mark.parametrize("content", [b"", b"\x00", b"\xff\xfe\x00garbage", b"\x09\x01\x02\x03"])
def test_unreadable_owner_file_means_someone(tmp_path, content):
    (tmp_path / "~$Reg.xlsx").write_bytes(content)
    assert lock_owner(tmp_path / "Reg.xlsx") == "someone"


def test_owner_file_of_another_workbook_does_not_count(tmp_path):
    (tmp_path / "~$Other.xlsx").write_bytes(excel_owner_file("J Smith"))
    assert lock_owner(tmp_path / "Reg.xlsx") is None
