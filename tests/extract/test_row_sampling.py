"""Row reservoirs: one uniform, deterministic sample of rows per table, and exact row counts."""

from __future__ import annotations

import json
import random
from collections import Counter

from scanner.extract import ExtractLimits
from scanner.extract.columns import RowReservoir

from .builders import xlsx_bytes
from .helpers import columns, run, texts


class _CountingRandom(random.Random):
    """A real generator that counts draws, to check that Algorithm L skips rows without drawing."""

    draws = 0

    def random(self):
        self.draws += 1
        return super().random()


def test_every_row_is_equally_likely_to_be_kept():
    kept = Counter()
    runs, rows, size = 2000, 50, 10
    for run_number in range(runs):
        reservoir = RowReservoir(size)
        reservoir._rng = random.Random(run_number)  # a different draw per run; the file's seed is fixed
        for row in range(rows):
            reservoir.offer(row)
        sample = reservoir.rows()
        assert len(sample) == size and len(set(sample)) == size
        kept.update(sample)
    expected = runs * size / rows  # 400; a binomial standard deviation is about 18
    assert all(abs(kept[row] - expected) < 90 for row in range(rows)), kept
    # the first rows fill the reservoir; they must not be favoured over the last ones
    first, last = sum(kept[r] for r in range(10)), sum(kept[r] for r in range(40, 50))
    assert abs(first - last) < 0.1 * first


def test_random_numbers_are_drawn_per_kept_row_not_per_row():
    reservoir = RowReservoir(100)
    reservoir._rng = counting = _CountingRandom(1)
    for row in range(200_000):
        reservoir.offer(row)
    assert reservoir.seen == 200_000 and reservoir.sampled
    assert counting.draws < 4000  # about 2 k ln(n / k) = 1,500, not 200,000


def test_small_tables_are_kept_whole_in_file_order():
    reservoir = RowReservoir(10)
    for row in range(7):
        reservoir.offer(row)
    assert reservoir.rows() == list(range(7)) and not reservoir.sampled


def test_csv_columns_come_from_the_same_sampled_rows():
    lines = ["id,email,note"]
    for i in range(3000):
        lines.append(f"{i},user{i}@example.com,{'n' + str(i) if i % 3 == 0 else ''}")
        if i % 100 == 0:
            lines.append(" , ,")  # blank rows are not rows
    data = ("\n".join(lines) + "\n").encode()
    cols = columns(run(data, "people.csv", ExtractLimits(sample_rows=200))[1])
    ids = [int(v) for v in cols[("", "id")].values]
    assert [int(v[4:].split("@")[0]) for v in cols[("", "email")].values] == ids  # row by row
    notes = [int(v[1:]) for v in cols[("", "note")].values]
    assert notes == [i for i in ids if i % 3 == 0]  # a sparse column: the non-empty cells of those rows
    assert all(c.total_rows == 3000 and c.sampled for c in cols.values())
    assert ids == sorted(ids) and max(ids) > 2500  # file order, drawn from the whole file


def test_same_workbook_same_sample():
    rows = [["Name", "Score"]] + [[f"Person {i}", float(i)] for i in range(1500)]
    data = xlsx_bytes({"S": rows})
    limits = ExtractLimits(sample_rows=100)
    first = columns(run(data, "scores.xlsx", limits)[1])
    second = columns(run(data, "scores.xlsx", limits)[1])
    assert first[("S", "Name")].values == second[("S", "Name")].values
    assert len(first[("S", "Name")].values) == 100 and first[("S", "Name")].total_rows == 1500
    # cells become text only for the sampled rows, the same way as before: "7", not "7.0"
    assert [f"Person {v}" for v in first[("S", "Score")].values] == first[("S", "Name")].values


def test_sheet_long_text_is_found_in_rows_that_were_not_sampled():
    note = "Customer Jane Doe phoned to say she moved to 12 High Street, Leeds, and wants paper statements."
    rows = [["Ref", "Notes"]] + [[f"R{i}", note if i == 1234 else "ok"] for i in range(2000)]
    _, blocks = run(xlsx_bytes({"S": rows}), "notes.xlsx", ExtractLimits(sample_rows=20))
    assert texts(blocks, "S") == f"B1236: {note}\n"  # header row 1, data from row 2


def test_json_records_sampled_by_record():
    records = [{"id": i, "contact": {"email": f"u{i}@example.com", "phones": [f"{i}-a", f"{i}-b"]}}
               for i in range(1000)]
    cols = columns(run(json.dumps(records).encode(), "users.json", ExtractLimits(sample_rows=50))[1])
    ids = [int(v) for v in cols[("", "id")].values]
    assert len(ids) == 50 and cols[("", "id")].total_rows == 1000 and cols[("", "id")].sampled
    assert cols[("", "contact.phones")].values == [f"{i}-{s}" for i in ids for s in "ab"]
