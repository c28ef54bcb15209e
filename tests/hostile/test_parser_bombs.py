"""Items 6 and 7: XML entity bombs are refused, deeply nested JSON is still scanned."""

from __future__ import annotations

from tests.extract.builders import zip_bytes
from tests.scanner.helpers import scan, top_rows

AFTER = "after.bomb@example.com"


def billion_laughs(levels: int = 9) -> str:
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, levels + 1))
    return f'<?xml version="1.0"?><!DOCTYPE r [{entities}]><r><b>&a{levels};</b><c>{AFTER}</c></r>'


def test_entity_bombs_are_errors_never_truncated_scans(tmp_path, estate_key):
    share = tmp_path / "share"
    share.mkdir()
    (share / "lol.xml").write_text(billion_laughs())
    (share / "utf16.xml").write_bytes(billion_laughs().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>', 1)
                                      .encode("utf-16"))
    docx_part = billion_laughs().replace("<r>", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                                                'wordprocessingml/2006/main"><r>').replace("</r>", "</r></w:document>")
    (share / "letter.docx").write_bytes(zip_bytes({"word/document.xml": docx_part.encode(),
                                                   "[Content_Types].xml": b"<Types/>"}))
    (share / "fine.xml").write_text(f"<?xml version=\"1.0\"?><r><c>&amp; {AFTER}</c></r>")
    _, result = scan(share, tmp_path / "out")
    rows = top_rows(result.items)
    for name in ("lol.xml", "utf16.xml", "letter.docx"):
        assert (rows[name]["status"], rows[name]["reason"]) == (
            "error", "XML entity expansion refused (the document declares entities)"), name
    assert rows["fine.xml"]["status"] == "scanned"
    assert {f["path"] for f in result.findings} == {"fine.xml"}


def test_json_nested_100000_levels_is_an_error_whose_strings_are_still_scanned(tmp_path, estate_key):
    share = tmp_path / "share"
    share.mkdir()
    n = 100_000
    (share / "arrays.json").write_text(
        '{"contact": "outer.json@example.com", "x": ' + "[" * n + '"inner.deep@example.com"' + "]" * n + "}")
    (share / "objects.json").write_text('{"a":' * n + '"obj.deep@example.com"' + "}" * n)
    lines = ['{"email": "row%d@example.com"}' % i for i in range(20)]
    lines[10] = '{"email": ' + "[" * n + '"deep.row@example.com"' + "]" * n + "}"
    (share / "records.jsonl").write_text("\n".join(lines) + "\n")
    _, result = scan(share, tmp_path / "out")
    rows = top_rows(result.items)
    for name in ("arrays.json", "objects.json", "records.jsonl"):
        assert (rows[name]["status"], rows[name]["reason"]) == (
            "error", "JSON nested too deeply to parse (its text was scanned as plain text)"), name
    previews = {(f["path"], f["preview"]) for f in result.findings}
    assert {("arrays.json", "o***@e***.com"), ("arrays.json", "i***@e***.com"),
            ("objects.json", "o***@e***.com"), ("records.jsonl", "d***@e***.com")} <= previews
