"""A zoomed percent axis stays legible on a phone: few ticks, all on round numbers, the data inside."""

from __future__ import annotations

import pytest

from generator.site.charts import percent_axis


@pytest.mark.parametrize("smallest", [x / 10 for x in range(500, 1001, 7)])
def test_a_zoomed_axis_has_at_most_six_labels_on_round_numbers(smallest):
    axis, note = percent_axis([smallest, 100.0])
    labels = list(range(axis["min"], 101, axis["interval"]))
    assert 2 <= len(labels) <= 6, labels  # eleven (50 %, 55 % … 100 %) overlapped at 390 px
    assert labels[-1] == 100 and axis["min"] <= smallest - 2.5 or axis["min"] == 0
    assert axis["interval"] in (5, 10, 20) and axis["min"] % axis["interval"] == 0
    assert note and f"从 {axis['min']}% 开始" in note


def test_an_axis_with_a_share_below_half_starts_at_zero():
    axis, note = percent_axis([49.9, 100.0])
    assert "min" not in axis and note is None
