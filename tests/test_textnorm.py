"""textnorm.fold_part: a part of a document folded by cutting the whole text's fold is the
part folded on its own, whatever the text's normal form."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

from reportgen.textnorm import fold, fold_part

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def test_fold_part_is_the_part_folded() -> None:
    text = (CORPUS / "205_thong_bao_ket_luan_bcd_phien_3.txt").read_text("utf-8")
    rng = random.Random(5)
    # NFC as the readers give it; NFD (whose fold is shorter than the text); a combining mark
    # left without its letter; old tone marks
    for variant in (text, unicodedata.normalize("NFD", text), "a\u0328\u0301 " * 40 + text[:300],
                    "Hoà Bình, thuý, quả " * 20):
        for _ in range(300):
            a = rng.randint(0, len(variant))
            b = rng.randint(a, min(len(variant), a + rng.choice((5, 30, 400, 5000))))
            assert fold_part(variant, a, b) == fold(variant[a:b]), (a, b)
    assert fold_part(text, 0, len(text)) == fold(text)


def test_squeeze_spaces_skips_only_what_has_nothing_to_squeeze() -> None:
    """The fast path (no double space, no tab or other space character) gives what the
    substitution gives, for every kind of space and line break."""
    from reportgen.textnorm import _SPACES, squeeze_spaces

    rng = random.Random(7)
    alphabet = " \n\tab\u00a0\u3000\u2009\x0c\x1cđ"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert squeeze_spaces(text) == _SPACES.sub(" ", text), repr(text)
    assert squeeze_spaces("a  b\tc\u00a0d\n e") == "a b c d\n e"


def test_lines_broken_inside_a_sentence_are_joined_and_no_others():
    from reportgen.textnorm import rejoin_wrapped

    assert rejoin_wrapped("tại Trụ sở Chính phủ, Thủ\ntướng Chính phủ chủ trì\nphiên họp.") \
        == "tại Trụ sở Chính phủ, Thủ tướng Chính phủ chủ trì phiên họp."
    kept = ("source: https://vi.example/trang\ndate: 2026-03-05\ntitle: Tin\n\nCâu một.\nchữ thường sau dấu chấm\n"
            "THÔNG BÁO\nKẾT\nLUẬN\n- mục một\n- mục hai\nHà Nội, ngày\n26 tháng 3 năm 2026\nTrưởng ban:\nông A")
    assert rejoin_wrapped(kept) == kept
