"""What an uploaded evidence file really is, judged by its bytes (pure: no Django).

`evidence_check(data, name, max_bytes=…, max_unzipped=…)` returns ``(kind, mime)`` for an acceptable file or
raises `EvidenceRejected` with a code and numbers (the words are chosen where they are shown):

- ``too_large``: more than ``max_bytes``;
- ``unknown_type``: not a PDF, PNG, JPEG, GIF, Word (.docx, .doc) or Excel (.xlsx, .xls) file by content;
- ``name_mismatch``: the name's extension says one type and the content another (an .exe renamed .pdf);
- ``zip_bomb``: an Office file that unzips to more than ``max_unzipped`` bytes, or an absurd ratio or count;
- ``broken``: an Office file whose zip structure cannot be read.
"""

import io
import zipfile
from dataclasses import dataclass, field

# The extensions each kind may carry.
EXTENSIONS = {
    "pdf": {"pdf"},
    "image": {"png", "jpg", "jpeg", "gif"},
    "word": {"docx", "doc"},
    "excel": {"xlsx", "xls"},
}
MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_MEMBERS = 2000
MAX_RATIO = 200


@dataclass
class EvidenceRejected(Exception):
    code: str
    params: dict = field(default_factory=dict)


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def evidence_check(data: bytes, name: str, *, max_bytes: int, max_unzipped: int) -> tuple[str, str]:
    if len(data) > max_bytes:
        raise EvidenceRejected("too_large", {"size": len(data), "limit": max_bytes})
    kind, subtype = _sniff(data, max_unzipped=max_unzipped)
    if extension(name) not in EXTENSIONS[kind]:
        raise EvidenceRejected("name_mismatch", {"extension": extension(name), "kind": kind})
    if kind == "excel" and subtype == "doc" or kind == "word" and subtype == "xls":
        raise EvidenceRejected("name_mismatch", {"extension": extension(name), "kind": kind})
    return kind, MIME[subtype]


def _sniff(data: bytes, *, max_unzipped: int) -> tuple[str, str]:
    if data.startswith(b"%PDF-"):
        return "pdf", "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image", "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image", "gif"
    if data.startswith(OLE):
        # A legacy Office compound file: Word and Excel name their main stream inside it.
        if "WordDocument".encode("utf-16-le") in data:
            return "word", "doc"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "excel", "xls"
        raise EvidenceRejected("unknown_type")
    if data.startswith(b"PK\x03\x04"):
        return _office_zip(data, max_unzipped=max_unzipped)
    raise EvidenceRejected("unknown_type")


def _office_zip(data: bytes, *, max_unzipped: int) -> tuple[str, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise EvidenceRejected("broken") from error
    declared = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or declared > max_unzipped or declared > MAX_RATIO * max(len(data), 1):
        raise EvidenceRejected("zip_bomb", {"unzipped": declared, "limit": max_unzipped})
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names:
        raise EvidenceRejected("unknown_type")
    # The declared sizes can lie: read each member with a budget, never more than the limit in total.
    budget = max_unzipped
    try:
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(65536):
                    budget -= len(chunk)
                    if budget < 0:
                        raise EvidenceRejected("zip_bomb", {"unzipped": max_unzipped + 1, "limit": max_unzipped})
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise EvidenceRejected("broken") from error
    if "word/document.xml" in names:
        return "word", "docx"
    if "xl/workbook.xml" in names:
        return "excel", "xlsx"
    raise EvidenceRejected("unknown_type")
