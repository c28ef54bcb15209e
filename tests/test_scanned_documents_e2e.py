"""End to end: `piisweep scan` of the files an MSP share holds beyond plain documents: a scanned
passport, an image-only PDF, an Outlook mailbox and message, a legacy Word file, an RTF letter and
a RAR archive. Planted values are found through OCR and the MRZ recognisers, identity documents
rank high, and what OCR could not read is skipped with its reason."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from reports.query import Inventory
from tests.cli import only_scan, run_cli
from tests.extract.test_legacy_formats import PUBLIC
from tests.extract.test_ocr import encoded, image_pdf, page

MRZ = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def passport_scan() -> bytes:
    image = Image.new("L", (1500, 700), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    draw.text((60, 60), "PASSPORT  Utopia", font=font, fill=0)
    draw.text((60, 140), "Surname: ERIKSSON  Given names: ANNA MARIA", font=font, fill=0)
    for i, line in enumerate(MRZ):
        draw.text((40, 480 + 70 * i), line, font=font, fill=0)
    return encoded(image, "PNG")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scanned")
    share = tmp / "share"
    (share / "hr").mkdir(parents=True)
    (share / "hr" / "passport.png").write_bytes(passport_scan())
    (share / "hr" / "form.pdf").write_bytes(image_pdf(page()))
    for name in ("dist-list.pst", "testMSG_att_doc.msg", "testWORD.doc", "test-documents.rar"):
        shutil.copy(f"{PUBLIC}/{name}", share / name)
    (share / "letter.rtf").write_bytes(rb"{\rtf1\ansi Dear Jane, write to jane.doe@example.com\par}")
    scans = {}
    for mode in ("auto", "off"):
        out = tmp / f"out-{mode}"
        proc = run_cli(["scan", str(share), "--out", str(out), "--no-ner", "--workers", "1", "-q", "--ocr", mode],
                       tmp)
        assert proc.returncode in (0, 3), proc.stderr
        scans[mode] = only_scan(out)
    return scans


def test_mrz_and_ocr_findings(scanned):
    findings = scanned["auto"].findings
    found = {(f["path"], f["entity_type"]) for f in findings}
    assert ("hr/passport.png", "PASSPORT") in found
    assert ("hr/passport.png", "DATE_OF_BIRTH") in found
    assert ("hr/form.pdf", "EMAIL_ADDRESS") in found and ("hr/form.pdf", "PHONE_NUMBER") in found
    assert ("letter.rtf", "EMAIL_ADDRESS") in found
    assert ("testMSG_att_doc.msg", "EMAIL_ADDRESS") in found
    passport = next(f for f in findings if f["entity_type"] == "PASSPORT")
    assert passport["category"] == "identity" and "L898902C3" not in passport["preview"]


def test_every_format_is_read(scanned):
    items = {i["path"]: i for i in scanned["auto"].items if i["container"] == ""}
    assert {p: i["status"] for p, i in items.items()} == {p: "scanned" for p in items}
    assert items["dist-list.pst"]["format"] == "pst" and items["test-documents.rar"]["format"] == "rar"
    members = [i for i in scanned["auto"].items if i["path"] == "dist-list.pst" and i["container"]]
    assert any(m["container"] == "Top of Personal Folders/Contacts/message 2" and m["status"] == "scanned"
               for m in members)


def test_identity_documents_rank_high(scanned):
    query = Inventory(str(scanned["auto"].dir))
    scores = {row[0]: row[1] for row in query.con.execute("SELECT path, score FROM loc").fetchall()}
    assert scores["hr/passport.png"] >= 25  # "high" whatever the volume


def test_with_ocr_off_scans_are_skipped_with_their_reason(scanned):
    items = {i["path"]: i for i in scanned["off"].items if i["container"] == ""}
    assert items["hr/passport.png"]["status"] == "skipped"
    assert "OCR is off" in items["hr/passport.png"]["reason"]
    assert items["hr/form.pdf"]["status"] == "skipped"
    assert "no page has a text layer" in items["hr/form.pdf"]["reason"]
    assert not [f for f in scanned["off"].findings if f["path"].startswith("hr/")]
