"""E-mail messages: headers, bodies, attachments through the dispatcher."""

from __future__ import annotations

import email
from email import policy

from contract.models import ERROR, SCANNED, PROSE

from .builders import docx_bytes, eml_bytes, zip_bytes
from .helpers import events, run, texts


def test_headers_and_bodies():
    data = eml_bytes(html="<html><body><p>Hi <b>Bob</b>, my IBAN is GB82 WEST 1234 5698 7654 32.</p>"
                          "<script>track()</script></body></html>")
    fmt, blocks = run(data, "message.eml")
    assert fmt == "eml"
    assert texts(blocks, "headers") == (
        "From: Jane Doe <jane.doe@example.com>\nTo: Bob Smith <bob@example.org>\nCc: carol@example.net\n"
        "Subject: Quarterly report for Müller\nDate: Tue, 05 Mar 2024 10:00:00 +0000\n"
    )
    assert "020 7946 0958" in texts(blocks, "body")
    assert {b.hint for b in blocks if b.container == "body"} == {PROSE}
    assert texts(blocks, "body.html") == "Hi Bob, my IBAN is GB82 WEST 1234 5698 7654 32.\n"
    assert not events(blocks)


def test_sniffed_without_extension():
    fmt, _ = run(eml_bytes(), "0001")
    assert fmt == "eml"


def test_zip_attachment_with_docx_inside():
    archive = zip_bytes({"contracts/jane.docx": docx_bytes(["Contract for Jane Doe, born 1980-02-03."])})
    data = eml_bytes(attachments={
        "files.zip": (archive, "application/zip"),
        "broken.pdf": (b"%PDF-1.7\nnot really", "application/pdf"),
    })
    _, blocks = run(data, "mail.eml")
    assert texts(blocks, "attachment:files.zip!contracts/jane.docx") == "Contract for Jane Doe, born 1980-02-03.\n"
    ev = events(blocks)
    assert ev["attachment:files.zip"].status == SCANNED
    assert ev["attachment:files.zip!contracts/jane.docx"].status == SCANNED
    assert ev["attachment:broken.pdf"].status == ERROR
    assert "Please call me" in texts(blocks, "body")


def test_forwarded_message_is_an_attachment_of_its_own():
    inner = eml_bytes()
    outer = email.message_from_bytes(eml_bytes(), policy=policy.default)
    outer.add_attachment(email.message_from_bytes(inner, policy=policy.default), filename="fwd.eml")
    _, blocks = run(outer.as_bytes(), "outer.eml")
    assert events(blocks)["attachment:fwd.eml"].status == SCANNED
    assert texts(blocks, "attachment:fwd.eml!headers").startswith("From: Jane Doe <jane.doe@example.com>\n")
    assert "020 7946 0958" in texts(blocks, "attachment:fwd.eml!body")
    assert texts(blocks, "body 2") == ""  # the forwarded body is not mistaken for a second body
