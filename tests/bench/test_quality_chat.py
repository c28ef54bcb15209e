"""The names corpus of the quality benchmark: every label is written in its file, as written."""

import json

from bench.quality_chat import build_chat_corpus, romanise


def test_every_label_is_in_its_file(tmp_path):
    build_chat_corpus(str(tmp_path), seed=3, per_locale=1)
    doc = json.loads((tmp_path / "labels.json").read_text(encoding="utf-8"))
    assert doc["files"] and doc["labels"]
    texts = {rel: (tmp_path / "files" / rel).read_text(encoding="utf-8") for rel in doc["files"]}
    for label in doc["labels"]:
        assert label["entity"] == "PERSON"
        assert label["value"] in texts[label["file"]], label
        assert all(alt in texts[label["file"]] for alt in label["alternates"]), label
    # lone first names or surnames, and full names, in every kind of document
    assert any(" " not in lb["value"] for lb in doc["labels"]) and any(" " in lb["value"] for lb in doc["labels"])
    assert {rel.split("/")[0] for rel in doc["files"]} == {"chat", "tickets", "mail"}


def test_georgian_and_armenian_names_are_written_in_latin_letters():
    assert romanise("წერეთელი") == "Tsereteli"
    assert romanise("Մկրտչյան") == "Mkrtchyan"
    assert romanise("Lindahl") == "Lindahl"
