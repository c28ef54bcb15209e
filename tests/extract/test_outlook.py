"""Outlook messages (.msg) and mailboxes (.pst): public samples (see tests/data/public/README.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from contract.models import SCANNED, SKIPPED
from scanner.extract import ExtractError

from .builders import zip_bytes
from .helpers import events, run, texts
from .test_legacy_formats import PUBLIC, public

REPO = __file__.rsplit("/tests/", 1)[0]


def test_msg_headers_body_and_attachments():
    fmt, blocks = run(public("testMSG_att_doc.msg"), "mail.msg")
    assert fmt == "ole2"
    assert "nicolas1.23456@free.fr" in texts(blocks, "headers")
    assert texts(blocks, "body") == "contenu\n\n"
    assert "euro : €" in texts(blocks, "attachment:test-unicode.doc")  # a Word attachment, read
    assert "copyright : ©" in texts(blocks, "attachment:pj1.txt")
    assert {k: v.status for k, v in events(blocks).items()} == {
        "attachment:test-unicode.doc": SCANNED, "attachment:pj1.txt": SCANNED}


def test_msg_attached_message_and_pdf_nest():
    blocks = run(public("testMSG_att_msg.msg"), "mail.msg")[1]
    assert "Subject: Test Attachment" in texts(blocks, "attachment:Test Attachment!headers")
    assert texts(blocks, "attachment:Test Attachment!body") == "Blah blah blah\n\n"
    assert "Nick Booth" in texts(blocks, "attachment:smbprn.00009008.KdcPjl.pdf!page 1")
    assert events(blocks)["attachment:Test Attachment"].status == SCANNED


def test_pst_messages_are_members_in_their_folders(tmp_path):
    path = tmp_path / "mailbox.pst"
    path.write_bytes(public("testPST_variousBodyTypes.pst"))
    fmt, blocks = run(path.read_bytes(), "mailbox.pst", fd_path=str(path))
    assert fmt == "pst"
    folder = "Top of Outlook data file/Inbox/tmp"
    ev = events(blocks)
    assert [k for k in ev] == [f"{folder}/message {n}" for n in range(1, 5)]
    assert all(e.status == SCANNED for e in ev.values())
    assert "tallison@mitre.org" in texts(blocks, f"{folder}/message 1!headers")
    assert texts(blocks, f"{folder}/message 1!body") == "This is the original email (html)\n\n"
    bodies = [texts(blocks, f"{folder}/message {n}!body") for n in range(2, 5)]
    assert all("This is the" in b for b in bodies)  # HTML, RTF and plain bodies


def test_pst_contacts_attachments_and_system_items():
    blocks = run(public("dist-list.pst"), "outlook.pst")[1]  # not a local file: opened from memory
    ev = events(blocks)
    contact = "Top of Personal Folders/Contacts/message 2"
    assert ev[contact].status == SCANNED
    assert "contact1@rjohnson" in texts(blocks, f"{contact}!properties")  # a contact's data is in properties
    appointment = "Top of Personal Folders/Calendar/message 1"
    assert texts(blocks, f"{appointment}!body") == "This is a complete test\n"
    attached = ev[f"{appointment}!attachment:Untitled"]
    assert attached.status == SKIPPED and "attached message inside a mailbox" in attached.reason
    assert ev["Freebusy Data/message 1"].status == SKIPPED  # an Outlook system item, reported


def test_pst_inside_a_zip():
    blocks = run(zip_bytes({"backup/outlook.pst": public("dist-list.pst")}), "backup.zip")[1]
    ev = events(blocks)
    assert ev["backup/outlook.pst"].status == SCANNED
    assert ev["backup/outlook.pst!Top of Personal Folders/Contacts/message 2"].status == SCANNED


def test_truncated_or_damaged_pst_is_an_error():
    data = public("dist-list.pst")
    with pytest.raises(ExtractError, match="^corrupt or unreadable Outlook mailbox$"):
        run(data[:4096], "cut.pst")
    damaged = bytearray(data)
    damaged[len(data) // 2:len(data) // 2 + 60000] = bytes(60000)  # the folder tree's pages wiped
    with pytest.raises(ExtractError, match="^corrupt or unreadable Outlook mailbox$"):
        run(bytes(damaged), "damaged.pst")


# peak memory from VmHWM: ru_maxrss survives exec, so a child of a big test process reports its parent's
LARGE_PST_SCRIPT = """
import re, sys
from scanner.extract import extract
from contract.models import Item, MemberEvent
path = sys.argv[1]
with open(path, "rb") as fh:
    members = sum(isinstance(b, MemberEvent) for b in extract(fh, Item(uri="file://" + path, path="big.pst"), path))
with open("/proc/self/status") as status:
    print(members, re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))
"""


def test_large_pst_is_read_in_place_with_bounded_memory(tmp_path):
    """A 4 GiB mailbox file (a real mailbox padded with a sparse hole to 4 GiB: nothing can write
    a PST here) is read in place: peak memory stays far below the file's size, and below what
    reading it into memory would take."""
    path = tmp_path / "big.pst"
    shutil.copyfile(os.path.join(PUBLIC, "testPST_variousBodyTypes.pst"), path)
    with open(path, "r+b") as fh:
        fh.truncate(4 << 30)
    done = subprocess.run([sys.executable, "-c", LARGE_PST_SCRIPT, str(path)], cwd=REPO, capture_output=True,
                          text=True, timeout=120, check=True)
    members, peak_kib = map(int, done.stdout.split())
    assert members == 4
    assert peak_kib < 200 << 10  # under 200 MiB for a 4 GiB file (an interpreter with the handlers: ~50 MiB)
