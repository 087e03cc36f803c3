"""A workbook saved with an opening password is told as such, not as an old .xls to save again as .xlsx."""

from indicators.reporting.services.excel import ExcelImportError, open_upload


def encrypted_workbook() -> bytes:
    """What Excel writes for a workbook with an opening password: an OLE compound file whose directory names the
    streams EncryptionInfo and EncryptedPackage (names in UTF-16)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + b"\0" * 50 + "EncryptedPackage".encode("utf-16-le")
    return header + directory + b"\0" * 1024


def _refusal(content: bytes) -> str:
    try:
        open_upload(content)
    except ExcelImportError as error:
        return error.errors[0]["message"]
    raise AssertionError("not refused")


def test_it_asks_to_remove_the_password():
    message = _refusal(encrypted_workbook())
    assert "该文件设置了打开密码" in message and "另存为" not in message


def test_an_old_xls_is_still_asked_to_be_saved_as_xlsx():
    assert "另存为”.xlsx" in _refusal(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\0" * 512
    )
