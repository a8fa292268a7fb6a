import pytest

from desktop_app.core.units import format_duration, format_size


@pytest.mark.parametrize(
    "seconds, text",
    [(None, "…"), (-3, "0:00"), (0, "0:00"), (7.4, "0:07"), (59.6, "1:00"), (725, "12:05"), (3599, "59:59"),
     (3600, "1:00:00"), (3725, "1:02:05"), (36000, "10:00:00")],
)
def test_durations_read_as_a_clock(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    "n, text",
    [(None, "0.0 MB"), (0, "0.0 MB"), (812_345_678, "812.3 MB"), (999_999_999, "1000.0 MB"), (1_000_000_000, "1.00 GB"),
     (1_254_000_000, "1.25 GB"), (70_000_000_000, "70.00 GB")],
)
def test_sizes_in_decimal_units(n, text):
    assert format_size(n) == text
