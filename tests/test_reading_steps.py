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


def test_sentences_break_where_the_plain_definition_breaks() -> None:
    """spans.sentences searches from full stop to full stop; it breaks exactly where the plain
    definition (a look-behind for the stop, tried at every character) breaks, for any part
    of any text, a stop just before the part included."""
    import random

    from reportgen.extract import spans as sp

    plain = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“(]?[^\W\d_])")

    def defined(text: str, para: sp.Span) -> list[sp.Span]:
        out, pos = [], para.start
        for m in plain.finditer(text, para.start, para.end):
            if not text[m.end(): m.end() + 2].lstrip("\"“(")[:1].isupper():
                continue
            tail = sp._tail(text, pos, m.start())
            if sp._ENUM_TAIL.search(tail) or sp._ABBREV_TAIL.search(tail):
                continue
            out.append(sp.Span(pos, m.start()))
            pos = m.end()
        out.append(sp.Span(pos, para.end))
        return [s for s in out if text[s.start:s.end].strip()]

    rng = random.Random(11)
    pieces = ["a", "B", ".", "!", "…", " ", "\n", "\"", "”", "(", "1", "TP", "Đ", "x"]
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        a = rng.randint(0, len(text))
        para = sp.Span(a, rng.randint(a, len(text)))
        assert sp.sentences(text, para) == defined(text, para), (text, para)
