"""Steps of the readers made faster, checked against what they stand for: the quick checks
of extract.dates (a window skipped because it holds no digit, nor "nam nay", nor "quy ",
holds no match of any period or deadline pattern either) and the split of a directive into
its parts."""

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


def test_a_directive_is_split_at_semicolons_outside_brackets() -> None:
    from reportgen.extract.tasks import _parts

    text = "Giao Sở A chủ trì (phối hợp Sở B; Sở C); Sở D “báo cáo; đề xuất” trước 30/6; Sở E) thực hiện; "
    cut = [text[a:b] for a, b in _parts(text, 0, len(text))]
    assert cut == ["Giao Sở A chủ trì (phối hợp Sở B; Sở C)", " Sở D “báo cáo; đề xuất” trước 30/6",
                   " Sở E) thực hiện", " "]
    # a closing bracket with none open counts for nothing; a part of the text only
    assert [text[a:b] for a, b in _parts(text, 40, 75)] == [" Sở D “báo cáo; đề xuất” trước 30/6"]
