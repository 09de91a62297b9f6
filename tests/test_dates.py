"""The quick checks of extract.dates: a window skipped because it holds no digit (nor "nam
nay", nor "quy ") holds no match of any period or deadline pattern either."""

from __future__ import annotations

import re
from pathlib import Path

from reportgen.extract import dates
from reportgen.textnorm import fold

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def test_no_period_or_deadline_without_what_the_quick_checks_look_for() -> None:
    texts = [fold(p.read_text("utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
    # the corpus with its digits made letters and the phrases the checks name taken out:
    # every other word the patterns read ("den het ngay", "thang", "trong nam", "quy") stays
    bare = [re.sub(r"nam nay|quy ", "x", re.sub(r"\d", "o", t)) for t in texts]
    for t in bare:
        assert dates._MAY_HOLD_PERIOD.search(t) is None
        for rx, kind in dates._PERIODS:
            assert rx.search(t) is None, kind
    for t in [re.sub(r"\d", "o", t).replace("nam nay", "x") for t in texts]:
        if dates._MAY_HOLD_DEADLINE.search(t) is None:
            for rx, kind in dates._DEADLINES:
                assert rx.search(t) is None, kind
    # and what they let through is found
    text = "Tỷ lệ hồ sơ trực tuyến trong năm nay đạt 80%"
    assert dates.find_period(text, 0, len(text), 2025) == ("2025", 23, 36)
    assert text[23:36] == "trong năm nay"
    assert dates.find_period("Tỷ lệ đạt 80% so với cùng kỳ", 0, 28, 2025) is None
