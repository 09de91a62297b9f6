"""Charts kept between runs (reportgen/render/kept.py): the same bytes without matplotlib, an
edited entry drawn again, nothing kept without the user's key."""

import json
import os
import subprocess
import sys
import textwrap

DRAW = textwrap.dedent("""
    import hashlib, json, sys
    from reportgen.briefing.model import Chart
    from reportgen.build import _draw_keyed, chart_key
    chart = Chart(id="t", number=1, caption="x", kind="timeline",
                  data={"items": [{"deadline": "2025-03-31", "label": "Số hóa dữ liệu hộ tịch"},
                                  {"deadline": "2025-06-30", "label": "Một nhiệm vụ ngắn"}], "today": "2025-03-10"})
    files = _draw_keyed([chart])[chart_key(chart)]
    print(json.dumps({"matplotlib": "matplotlib" in sys.modules,
                      "svg": hashlib.sha256(files.svg).hexdigest(), "png": hashlib.sha256(files.png).hexdigest(),
                      "text": "Số hóa dữ liệu hộ tịch" in files.svg.decode("utf-8")}))
""")


def _draw(home, key_file, **more):  # type: ignore[no-untyped-def]
    env = {**os.environ, "REPORTGEN_HOME": str(home), "REPORTGEN_KEY_FILE": str(key_file), **more}
    r = subprocess.run([sys.executable, "-c", DRAW], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_a_chart_drawn_once_is_taken_again_without_matplotlib_and_the_same_bytes(tmp_path):
    key = tmp_path / "state" / "cache.key"
    first = _draw(tmp_path, key)
    assert first["matplotlib"] and first["text"]
    entries = list((tmp_path / ".cache" / "charts").iterdir())
    assert len(entries) == 1
    again = _draw(tmp_path, key)
    assert not again["matplotlib"], "a kept chart is not drawn again"
    assert (again["svg"], again["png"]) == (first["svg"], first["png"])

    # an edited entry (a word of the chart changed, the length kept) is not used: drawn again
    raw = entries[0].read_bytes()
    edited = raw.replace("hộ tịch".encode("utf-8"), "hộ khẩu".encode("utf-8"))
    assert edited != raw
    entries[0].write_bytes(edited)
    redrawn = _draw(tmp_path, key)
    assert redrawn["matplotlib"] and (redrawn["svg"], redrawn["png"]) == (first["svg"], first["png"])
    assert entries[0].read_bytes() == raw                 # and kept again as it was drawn

    # matplotlib's own settings changed (a matplotlibrc): drawn again, and kept beside
    config = tmp_path / "mplconfig"
    config.mkdir()
    (config / "matplotlibrc").write_text("lines.linewidth: 3\n")
    assert _draw(tmp_path, key, MPLCONFIGDIR=str(config))["matplotlib"]
    assert not _draw(tmp_path, key, MPLCONFIGDIR=str(config))["matplotlib"]
    assert not _draw(tmp_path, key)["matplotlib"]

    # another user's key (a cache copied from another machine): drawn again
    other = _draw(tmp_path, tmp_path / "other" / "cache.key")
    assert other["matplotlib"] and other["svg"] == first["svg"]


def test_without_a_key_nothing_is_kept(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    first = _draw(tmp_path, blocker / "cache.key")          # the key cannot be made
    again = _draw(tmp_path, blocker / "cache.key")
    assert first["matplotlib"] and again["matplotlib"] and again["svg"] == first["svg"]
    assert not (tmp_path / ".cache" / "charts").exists() or not list((tmp_path / ".cache" / "charts").iterdir())


def test_a_build_with_every_kept_entry_damaged_is_the_same_briefing(tmp_path):
    """A byte of each kept entry's signature changed (a non-ASCII one, too) — charts, compiled
    templates, font widths, the catalogue: the build takes none of them and makes the same files."""
    import shutil
    from pathlib import Path

    from office import cli

    root = Path(__file__).resolve().parents[1]
    home = tmp_path / "office"
    home.mkdir()
    for folder in ("facts", "seeds", "templates"):
        shutil.copytree(root / folder, home / folder)
    args = ("build", "--province", "Quảng Ngãi", "--date", "2025-08-01", "--out")
    first = cli(home, *args, str(home / "first"))
    assert first.returncode == 0, first.stderr
    kept = [p for sub in ("charts", "templates", "fonts", "locale") if (home / ".cache" / sub).is_dir()
            for p in (home / ".cache" / sub).iterdir()]
    assert {"charts", "templates", "fonts"} <= {p.parent.name for p in kept}
    for n, entry in enumerate(kept):
        raw = entry.read_bytes()
        entry.write_bytes((b"\xc3" if n % 2 else b"0") + raw[1:])
    again = cli(home, *args, str(home / "again"))
    assert again.returncode == 0, again.stderr
    for made in sorted((home / "first").rglob("thong-bao-*")):
        twin = home / "again" / made.relative_to(home / "first")
        assert twin.read_bytes() == made.read_bytes(), made.name
