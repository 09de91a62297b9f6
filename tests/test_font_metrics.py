"""The body font's widths and character map kept between runs (render/fonts.face_metrics): the
same numbers as fontTools reads from the file, an edited entry read again from the font."""

import json
import os
import subprocess
import sys
import textwrap

MEASURE = textwrap.dedent("""
    import json, sys
    from reportgen.render.fonts import body_font, face_metrics
    advances, upm = face_metrics(body_font().files["bold"])
    print(json.dumps({"fontTools": "fontTools.ttLib" in sys.modules, "upm": upm, "n": len(advances),
                      "widths": [advances.get(ord(c)) for c in "Quảng Ngãi ĐƯỢC 18,3%"]}))
""")


def _measure(home, key_file):  # type: ignore[no-untyped-def]
    env = {**os.environ, "REPORTGEN_HOME": str(home), "REPORTGEN_KEY_FILE": str(key_file)}
    r = subprocess.run([sys.executable, "-c", MEASURE], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_kept_widths_are_the_fonts_and_an_edited_entry_is_read_again(tmp_path):
    from fontTools.ttLib import TTFont

    from reportgen.render.fonts import body_font

    font = TTFont(str(body_font().files["bold"]))
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    expected = [hmtx[cmap[ord(c)]][0] for c in "Quảng Ngãi ĐƯỢC 18,3%"]

    key = tmp_path / "state" / "cache.key"
    first = _measure(tmp_path, key)
    assert first["fontTools"] and first["widths"] == expected
    assert first["upm"] == font["head"].unitsPerEm and first["n"] == len(cmap)
    [entry] = (tmp_path / ".cache" / "fonts").iterdir()

    again = _measure(tmp_path, key)
    assert not again["fontTools"], "kept widths are not read from the font again"
    assert again == {**first, "fontTools": False}

    raw = entry.read_bytes()                      # a width changed by hand: not believed
    head, _, body = raw.partition(b"\n")
    data = json.loads(body)
    data["advances"][0][1] += 100
    entry.write_bytes(head + b"\n" + json.dumps(data).encode("ascii"))
    edited = _measure(tmp_path, key)
    assert edited["fontTools"] and edited["widths"] == expected
