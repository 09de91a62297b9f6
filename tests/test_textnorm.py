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
