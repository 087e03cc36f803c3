"""Evidence files are judged by their bytes, not their names (pure module, no database)."""

import io
import struct
import zipfile

import pytest

from supervision.evidence import EvidenceRejected, evidence_check

LIMITS = {"max_bytes": 1_000_000, "max_unzipped": 2_000_000}


@pytest.mark.parametrize(
    "name,key,kind",
    [
        ("纪要.pdf", "pdf", "pdf"),
        ("照片.PNG", "png", "image"),
        ("台账.xlsx", "xlsx", "excel"),
        ("方案.docx", "docx", "word"),
    ],
)
def test_it_accepts_each_allowed_kind(samples, name, key, kind):
    assert evidence_check(samples[key], name, **LIMITS)[0] == kind


def test_it_refuses_an_executable_renamed_pdf(samples):
    with pytest.raises(EvidenceRejected) as refused:
        evidence_check(samples["exe"], "整改报告.pdf", **LIMITS)
    assert refused.value.code == "unknown_type"


def test_it_refuses_a_file_whose_content_is_another_allowed_kind(samples):
    with pytest.raises(EvidenceRejected) as refused:
        evidence_check(samples["pdf"], "台账.xlsx", **LIMITS)
    assert refused.value.code == "name_mismatch"


def test_it_refuses_a_word_file_named_as_excel(samples):
    with pytest.raises(EvidenceRejected) as refused:
        evidence_check(samples["docx"], "台账.xlsx", **LIMITS)
    assert refused.value.code == "name_mismatch"


def test_it_refuses_an_oversize_file(samples):
    data = samples["pdf"] + b"0" * LIMITS["max_bytes"]
    with pytest.raises(EvidenceRejected) as refused:
        evidence_check(data, "大文件.pdf", **LIMITS)
    assert refused.value.code == "too_large"


def test_it_refuses_an_archive_bomb(samples):
    bomb = samples["bomb"](8_000_000)
    assert len(bomb) < 50_000  # small on the wire
    with pytest.raises(EvidenceRejected) as refused:
        evidence_check(bomb, "台账.xlsx", **LIMITS)
    assert refused.value.code == "zip_bomb"


def test_it_refuses_a_bomb_that_hides_its_size(samples):
    """A zip whose directory understates the unzipped size is caught while reading, within the budget."""
    bomb = bytearray(samples["bomb"](3_000_000))
    # Rewrite the member's declared size (central directory and local header) to a harmless 1,000 bytes.
    real = struct.pack("<I", 3_000_000)
    fake = struct.pack("<I", 1000)
    assert bomb.count(real) >= 2
    bomb = bytes(bomb).replace(real, fake)
    with pytest.raises(EvidenceRejected) as refused:
        evidence_check(bomb, "台账.xlsx", max_bytes=1_000_000, max_unzipped=2_000_000)
    assert refused.value.code in {"zip_bomb", "broken"}


def test_it_refuses_a_zip_that_is_not_office(samples):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    with pytest.raises(EvidenceRejected) as refused:
        evidence_check(out.getvalue(), "台账.xlsx", **LIMITS)
    assert refused.value.code == "unknown_type"
