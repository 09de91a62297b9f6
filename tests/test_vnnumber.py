"""The Vietnamese number parser: examples from the seeds and properties over all values."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from reportgen.vnnumber import format_vn, parse_amount, parse_literal


@pytest.mark.parametrize("text, value", [
    ("87,7 triệu", Decimal("87700000")),
    ("1,9 triệu tỷ", Decimal("1900000000000000")),
    ("4.475", Decimal("4475")),
    ("70,8", Decimal("70.8")),
    ("24 nghìn tỷ", Decimal("24000000000000")),
    ("24 ngàn tỉ", Decimal("24000000000000")),   # press spelling variants
    ("83.000 tỷ", Decimal("83000000000000")),
    ("18.3", Decimal("18.3")),                    # decimal point from the press
    ("một triệu", Decimal("1000000")),
    ("1.234.567,5", Decimal("1234567.5")),
    ("74,85 triệu", Decimal("74850000")),
    ("87,7 trieu", Decimal("87700000")),          # unaccented
])
def test_examples(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("bad", ["", "abc", "1..2", ",5", "5,", "1,2,3", "1.2.3"])
def test_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        parse_literal(bad)


decimals = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


@given(decimals)
def test_vietnamese_format_round_trips(value):
    text = format_vn(value)
    assert "," not in text or text.count(",") == 1
    assert parse_literal(text) == value.normalize() or parse_literal(text) == value


@given(st.integers(min_value=1000, max_value=10**15))
def test_thousands_dots_are_not_decimals(value):
    text = format_vn(value)
    assert "." in text
    assert parse_literal(text) == value


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9),
       st.sampled_from([("nghìn", 10**3), ("ngàn", 10**3), ("triệu", 10**6), ("tỷ", 10**9),
                        ("tỉ", 10**9), ("nghìn tỷ", 10**12), ("triệu tỷ", 10**15)]),
       st.sampled_from([",", "."]))
def test_scale_words_and_decimal_mark(whole, tenth, scale, mark):
    word, factor = scale
    text = f"{whole}{mark}{tenth} {word}" if tenth else f"{whole} {word}"
    expected = (Decimal(whole) + Decimal(tenth) / 10) * factor
    assert parse_amount(text) == expected


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["NFC", "NFD"]))
def test_parse_ignores_normalisation(value, form):
    import unicodedata

    text = unicodedata.normalize(form, f"{format_vn(value)} triệu")
    assert parse_amount(text) == Decimal(value) * 10**6
