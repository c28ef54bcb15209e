"""Which work units travel together to a worker."""

from __future__ import annotations

from contract.models import Item
from contract.targets import parse_target
from scanner.batching import BATCH_BYTES, BATCH_ITEMS, SMALL_ITEM, batch_units
from scanner.units import WorkUnit

HOME, SHARE = parse_target("/srv/home"), parse_target("/srv/share")


def unit(name: str, size: int | None, target=HOME, kind: str = "file") -> WorkUnit:
    item = Item(uri=f"file:///{name}", path=name, size=size, mtime=0.0, kind=kind)
    return WorkUnit(target=target, item=item, agent="local", host="")


def names(batches) -> list[list[str]]:
    return [[u.item.path for u in batch] for batch in batches]


def test_small_items_of_one_target_share_a_batch_and_the_rest_go_alone():
    units = [unit("a", 10), unit("b", 20), unit("big", SMALL_ITEM + 1), unit("c", 30),
             unit("t", None, kind="table"), unit("d", 5), unit("e", 5, target=SHARE), unit("f", 5, target=SHARE)]
    assert names(batch_units(units)) == [["a", "b"], ["big"], ["c"], ["t"], ["d"], ["e", "f"]]


def test_a_batch_closes_at_its_item_count_or_its_bytes():
    many = [unit(f"n{i}", 1) for i in range(BATCH_ITEMS * 2 + 1)]
    assert [len(b) for b in batch_units(many)] == [BATCH_ITEMS, BATCH_ITEMS, 1]
    heavy = [unit(f"h{i}", SMALL_ITEM) for i in range(BATCH_BYTES // SMALL_ITEM + 1)]
    assert [len(b) for b in batch_units(heavy)] == [BATCH_BYTES // SMALL_ITEM, 1]


def test_a_full_batch_is_handed_out_before_the_next_unit_is_enumerated():
    # enumeration of a remote tree may pause: a full batch must not wait for it
    taken = []

    def listing():
        for i in range(BATCH_ITEMS + 5):
            taken.append(i)
            yield unit(f"n{i}", 1)

    first = next(batch_units(listing()))
    assert len(first) == BATCH_ITEMS and len(taken) == BATCH_ITEMS
