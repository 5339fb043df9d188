"""workbook/cfb.py: OLE compound files, a legacy .xls or a password-protected workbook, told apart by their streams (SPEC §8)."""

from __future__ import annotations

import struct

import pytest

from partnership_xl import errors
from partnership_xl.config import Limits
from partnership_xl.workbook.sniff import CFB_MAGIC, inspect_register

from .refusals import BAD, refused

# --- OLE compound files ----------------------------------------------------------------------------

def _directory_entry_offset(data: bytes, stream: str) -> int:
    return data.index(stream.encode("utf-16-le") + b"\0\0")


def test_legacy_xls_is_read_as_xls():
    assert inspect_register(BAD / "legacy.xls", Limits()) == "xls"


def test_encrypted_xlsx_is_a_genuine_compound_file():
    data = (BAD / "encrypted.xlsx").read_bytes()
    assert data.startswith(CFB_MAGIC)
    assert "EncryptionInfo".encode("utf-16-le") in data and "EncryptedPackage".encode("utf-16-le") in data


def test_password_on_a_legacy_xls(tmp_path):
    # legacy.xls with the record after BOF turned into FILEPASS, as Excel writes an encrypted .xls
    data = bytearray((BAD / "legacy.xls").read_bytes())
    bof = data.index(b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BIFF8 workbook globals BOF, length 16
    data[bof + 20:bof + 22] = struct.pack("<H", 0x002F)
    path = tmp_path / "Old register.xls"
    path.write_bytes(bytes(data))
    message = refused(path, errors.ProtectedWorkbook, "is protected with a password")
    assert "Encrypt with Password" in message and ".xlsx" in message


def test_word_document_in_a_compound_file(tmp_path):
    data = bytearray((BAD / "legacy.xls").read_bytes())
    at = _directory_entry_offset(bytes(data), "Workbook")
    name = "WordDocument".encode("utf-16-le") + b"\0\0"
    data[at:at + 64] = name.ljust(64, b"\0")
    data[at + 64:at + 66] = struct.pack("<H", len(name))
    path = tmp_path / "Register.xls"
    path.write_bytes(bytes(data))
    refused(path, errors.NotAWorkbook, "is a Word document")


@pytest.mark.parametrize("keep", [8, 100, 512, 1024, 2816, 4096, 5532])
def test_truncated_compound_file(tmp_path, keep):
    path = tmp_path / "Register.xls"
    path.write_bytes((BAD / "legacy.xls").read_bytes()[:keep])
    refused(path, errors.NotAWorkbook, "is damaged or incomplete")


def test_compound_file_with_a_directory_loop(tmp_path):
    data = bytearray((BAD / "legacy.xls").read_bytes())
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    fat = struct.unpack_from("<I", data, 0x4C)[0]
    struct.pack_into("<I", data, (fat + 1) * 512 + first_dir * 4, first_dir)  # directory -> itself
    path = tmp_path / "Register.xls"
    path.write_bytes(bytes(data))
    refused(path, errors.NotAWorkbook, "is damaged or incomplete")
