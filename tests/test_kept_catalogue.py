"""The Vietnamese message catalogue kept between runs (i18n.catalogue): the same words without
Babel reading the .po again; an edited entry is not believed."""

import json
import os
import subprocess
import sys
import textwrap

ENGLISH = "interrupted; nothing was written."
SAY = textwrap.dedent(f"""
    import json, sys
    from reportgen.i18n import catalogue, say
    words = say("cli.interrupted", {ENGLISH!r})
    print(json.dumps({{"babel": "babel.messages.pofile" in sys.modules, "size": len(catalogue("vi")),
                      "words": words}}))
""")


def _say(home, key_file):  # type: ignore[no-untyped-def]
    env = {**os.environ, "REPORTGEN_HOME": str(home), "REPORTGEN_KEY_FILE": str(key_file), "REPORTGEN_LANG": "vi"}
    r = subprocess.run([sys.executable, "-c", SAY], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_the_catalogue_read_once_is_taken_again_and_an_edited_entry_is_read_again(tmp_path):
    key = tmp_path / "state" / "cache.key"
    (tmp_path / "seeds").mkdir()            # an office's project folder
    first = _say(tmp_path, key)
    assert first["babel"] and first["size"] > 300
    assert first["words"] != ENGLISH and "không" in first["words"]       # the Vietnamese words
    [entry] = (tmp_path / ".cache" / "locale").iterdir()

    again = _say(tmp_path, key)
    assert again == {**first, "babel": False}, "a kept catalogue is not read with Babel again"

    raw = entry.read_bytes()            # a translation changed by hand: not believed
    entry.write_bytes(b"\xc3" + raw[1:])                        # a byte of its tag: not believed either
    assert _say(tmp_path, key) == first

    tag, _, body = raw.partition(b"\n")
    rows = [[c, e, "ĐÃ SỬA" if c == "cli.interrupted" else w] for c, e, w in json.loads(body)]
    entry.write_bytes(tag + b"\n" + json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    assert _say(tmp_path, key) == first

    # another user's key (a project copied from elsewhere): read with Babel again, the same words
    assert _say(tmp_path, tmp_path / "other" / "cache.key") == first


def test_outside_a_project_nothing_is_written(tmp_path):
    """`reportgen --help` or an error message in a folder that is no project (or a mistyped
    REPORTGEN_HOME) leaves no .cache behind."""
    home = tmp_path / "no-such-office"
    said = _say(home, tmp_path / "state" / "cache.key")
    assert said["babel"] and said["words"] != ENGLISH
    assert not home.exists()
