"""The squarified layout: areas proportional to weights, inside the box, without overlap."""

import itertools

import pytest

from reports.treemap import squarify


@pytest.mark.parametrize("weights", [[7.0, 3.0, 2.0, 1.0, 1.0, 0.5], [1.0] * 37, [5.0], [100.0, 1.0, 1.0]])
def test_layout_fills_the_box_in_proportion(weights):
    rects = squarify(weights, 10, 20, 1200, 500)
    assert len(rects) == len(weights)
    total = sum(weights)
    for (x, y, w, h), weight in zip(rects, weights):
        assert w * h == pytest.approx(weight / total * 1200 * 500)
        assert 10 - 1e-6 <= x and x + w <= 1210 + 1e-6 and 20 - 1e-6 <= y and y + h <= 520 + 1e-6
    for (ax, ay, aw, ah), (bx, by, bw, bh) in itertools.combinations(rects, 2):
        overlap_w = min(ax + aw, bx + bw) - max(ax, bx)
        overlap_h = min(ay + ah, by + bh) - max(ay, by)
        assert overlap_w <= 1e-6 or overlap_h <= 1e-6


def test_equal_weights_give_near_square_boxes():
    rects = squarify([1.0] * 16, 0, 0, 400, 400)
    assert max(max(w / h, h / w) for _, _, w, h in rects) < 1.5
