"""The carried-rows copy reads a batch ahead of its writing: same items, same order, same errors."""

from __future__ import annotations

import threading

import pytest

from scanner.incremental import read_ahead


def test_items_come_in_order_from_another_thread():
    makers = []

    def items():
        for i in range(50):
            makers.append(threading.current_thread())
            yield i

    assert list(read_ahead(items(), depth=2)) == list(range(50))
    assert set(makers) == {makers[0]} and makers[0] is not threading.current_thread()


def test_an_error_making_an_item_is_raised_to_the_caller_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise OSError("truncated file")

    got = []
    with pytest.raises(OSError, match="truncated file"):
        for item in read_ahead(items()):
            got.append(item)
    assert got == [1, 2]


def test_a_caller_that_stops_early_stops_the_producer():
    made = []

    def items():
        for i in range(10_000):
            made.append(i)
            yield i

    reader = read_ahead(items(), depth=2)
    assert next(reader) == 0
    reader.close()  # what a `for` loop broken by an exception does
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
    assert len(made) < 10
