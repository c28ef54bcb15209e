"""CSV/TSV, JSON, XML and HTML."""

from __future__ import annotations

import json

import pytest

from scanner.extract import ExtractError, ExtractLimits

from .helpers import columns, run, texts


def test_csv_with_header_columns():
    data = "name,email,phone\nJane Doe,jane@example.com,020 7946 0958\nBob Smith,bob@example.org,\n"
    fmt, blocks = run(data.encode(), "people.csv")
    assert fmt == "csv"
    cols = columns(blocks)
    assert set(cols) == {("", "name"), ("", "email"), ("", "phone")}
    assert cols[("", "email")].values == ["jane@example.com", "bob@example.org"]
    assert cols[("", "phone")].values == ["020 7946 0958"]  # empty cells are not sampled
    assert [cols[("", h)].column_index for h in ("name", "email", "phone")] == [0, 1, 2]
    assert all(c.total_rows == 2 and not c.sampled for c in cols.values())


def test_csv_sniffed_without_extension_semicolons_and_no_header():
    rows = [f"{i};user{i}@example.com;{1000 + i};GB" for i in range(20)]
    fmt, blocks = run("\n".join(rows).encode(), "export.dat")
    assert fmt == "csv"
    cols = sorted((b for b in blocks), key=lambda b: b.column_index)
    assert [c.header for c in cols] == ["", "", "", ""]
    assert cols[1].values[:2] == ["user0@example.com", "user1@example.com"]
    assert cols[0].total_rows == 20


def test_csv_reservoir_sample_is_bounded_and_deterministic():
    data = "id,email\n" + "".join(f"{i},user{i}@example.com\n" for i in range(5000))
    limits = ExtractLimits(sample_rows=100)
    _, first = run(data.encode(), "big.csv", limits)
    _, second = run(data.encode(), "big.csv", limits)
    email = columns(first)[("", "email")]
    assert email.total_rows == 5000 and email.sampled and len(email.values) == 100
    assert len(set(email.values)) == 100
    assert max(int(v[4:].split("@")[0]) for v in email.values) > 1000  # sampled from the whole file
    assert email.values == columns(second)[("", "email")].values


def test_tsv():
    data = "first\tlast\tcity\nJane\tDoe\tLeeds\nBob\tSmith\tYork\n"
    fmt, blocks = run(data.encode(), "people.tsv")
    assert fmt == "tsv"
    assert columns(blocks)[("", "city")].values == ["Leeds", "York"]


def test_json_records_nested_keys():
    records = [{"name": "Jane", "contact": {"email": f"j{i}@example.com", "phones": ["1", "2"]}} for i in range(3)]
    fmt, blocks = run(json.dumps(records).encode(), "users.json")
    assert fmt == "json"
    cols = columns(blocks)
    assert cols[("", "contact.email")].values == ["j0@example.com", "j1@example.com", "j2@example.com"]
    assert cols[("", "name")].total_rows == 3
    assert cols[("", "contact.phones")].values == ["1", "2"] * 3


def test_json_lines_records():
    data = "".join(json.dumps({"ip": f"10.0.0.{i}", "user": f"u{i}"}) + "\n" for i in range(10))
    fmt, blocks = run(data.encode(), "events.log")
    assert fmt == "json"
    assert columns(blocks)[("", "ip")].total_rows == 10


def test_json_config_as_key_value_lines():
    doc = {"database": {"user": "admin", "password": "s3cr3t!"}, "admins": ["jane@example.com"], "port": 5432}
    fmt, blocks = run(json.dumps(doc, indent=2).encode(), "config.json")
    assert fmt == "json"
    assert texts(blocks) == (
        "database.user: admin\ndatabase.password: s3cr3t!\nadmins: jane@example.com\nport: 5432\n"
    )


def test_json_array_streams_across_reads():
    records = [{"note": "x" * 5000, "n": i} for i in range(200)]  # > 1 MB: several decode chunks
    _, blocks = run(json.dumps(records).encode(), "notes.json")
    assert columns(blocks)[("", "n")].values == [str(i) for i in range(200)]


def test_not_json_after_all_falls_back_to_text():
    data = b'{"name": "Jane", oops\nJane Doe called at 10:00\n'
    fmt, blocks = run(data, "weird.json")
    assert fmt == "json"
    assert texts(blocks) == data.decode()


def test_xml_text_attributes_and_no_entities(tmp_path):
    body = ('<users xmlns="urn:x"><user email="jane@example.com"><name>Jane Doe</name>'
            "<password>hunter2</password><note>&amp; more</note></user></users>")
    fmt, blocks = run(('<?xml version="1.0"?>' + body).encode(), "users.dat")
    assert fmt == "xml"
    text = texts(blocks)
    assert "email: jane@example.com\n" in text
    assert "name: Jane Doe\n" in text and "password: hunter2\n" in text and "note: & more" in text
    assert "<" not in text
    # a document declaring an (external) entity is refused whole: nothing of the file it names is read
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-FILE-CONTENT")
    xxe = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>' + body.replace("&amp;", "&x;")
    with pytest.raises(ExtractError, match="XML entity expansion refused") as refused:
        run(xxe.encode(), "users.dat")
    assert "TOP-SECRET" not in str(refused.value)


def test_html_visible_text_only():
    data = (
        "<!DOCTYPE html><html><head><title>Staff</title><style>.x{color:red}</style>"
        "<script>var apiKey = 'abc';</script></head><body><p>Contact <b>Jane Doe</b></p>"
        "<table><tr><td>jane@example.com</td></tr></table></body></html>"
    )
    fmt, blocks = run(data.encode("utf-8"), "page.txt")
    assert fmt == "html"
    text = texts(blocks)
    assert text == "Staff\nContact Jane Doe\njane@example.com\n"
    assert "apiKey" not in text and "color" not in text


def test_html_data_table_becomes_columns_and_pair_table_stays_text():
    import io

    from scanner.extract import extract
    from contract.models import ColumnBlock, Item, TextBlock

    page = (b"<html><body><h1>Assets</h1><table><tr><th>hostname</th><th>owner</th><th>imei</th></tr>"
            b"<tr><td>LT-1</td><td>Ann Lee</td><td>356938035643809</td></tr>"
            b"<tr><td>LT-2</td><td>Bob Ray</td><td>490154203237518</td></tr></table>"
            b"<table><tr><td>Name</td><td>Cy Dee</td></tr></table><script>var x = 1</script></body></html>")
    blocks = list(extract(io.BytesIO(page), Item(uri="x", path="assets.html")))
    columns = {b.header: b for b in blocks if isinstance(b, ColumnBlock)}
    assert set(columns) == {"hostname", "owner", "imei"}
    assert columns["owner"].values == ["Ann Lee", "Bob Ray"] and columns["imei"].container == "table 1"
    text = "".join(b.text for b in blocks if isinstance(b, TextBlock))
    assert "Name\tCy Dee" in text and "Ann Lee" not in text and "var x" not in text
