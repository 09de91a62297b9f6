"""Templates compiled once (reportgen/render/compiled.py): a template compiled by one run is not
compiled again by the next while its source and reportgen are the same; it renders the same and
stays within its limits; an edited entry, an edited template or another user's key compiles again."""

import json
import os
import subprocess
import sys
import textwrap

RENDER = textwrap.dedent("""
    import json, sys
    from reportgen.render import html
    env = html._environment(sys.argv[1])
    compiled = []
    real = type(env).compile
    def counting(self, *a, **k):
        compiled.append(a[1] if len(a) > 1 else k.get("name"))
        return real(self, *a, **k)
    type(env).compile = counting
    out = html._limited(env.get_template("main.j2"), {"items": ["Sở Tư pháp", "Sở Nội vụ"]})
    try:
        html._limited(env.get_template("main.j2"), {"items": [""] * 6_000_000})
        limited = "no limit"
    except html.TemplateLimit as exc:
        limited = str(exc)
    print(json.dumps({"compiled": sorted(set(compiled)), "out": out, "limited": limited}))
""")


def _render(home, templates, key_file):  # type: ignore[no-untyped-def]
    env = {**os.environ, "REPORTGEN_HOME": str(home), "REPORTGEN_KEY_FILE": str(key_file)}
    r = subprocess.run([sys.executable, "-c", RENDER, str(templates)], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_a_template_compiled_once_is_not_compiled_again_and_renders_the_same(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "main.j2").write_text(
        "{% import 'parts.j2' as parts %}<p>Giao {% for s in items %}{% if s %}{{ parts.agency(s) }}{% endif %}{% endfor %}</p>\n", "utf-8")
    (templates / "parts.j2").write_text("{% macro agency(s) %}<b>{{ s }}</b>, {% endmacro %}", "utf-8")
    key = tmp_path / "state" / "cache.key"

    first = _render(tmp_path, templates, key)
    assert first["compiled"] == ["main.j2", "parts.j2"]
    assert first["out"] == "<p>Giao <b>Sở Tư pháp</b>, <b>Sở Nội vụ</b>, </p>\n"
    assert "loop steps" in first["limited"]
    entries = sorted((tmp_path / ".cache" / "templates").iterdir())
    assert len(entries) == 2

    again = _render(tmp_path, templates, key)
    assert again["compiled"] == [], "a kept template is not compiled again"
    assert again["out"] == first["out"]
    assert again["limited"] == first["limited"]      # the kept code is still metered

    # the template edited: compiled again (Jinja's checksum of the source), the new words shown
    (templates / "parts.j2").write_text("{% macro agency(s) %}<i>{{ s }}</i>; {% endmacro %}", "utf-8")
    edited = _render(tmp_path, templates, key)
    assert edited["compiled"] == ["parts.j2"]
    assert edited["out"] == "<p>Giao <i>Sở Tư pháp</i>; <i>Sở Nội vụ</i>; </p>\n"

    # an entry edited (not by reportgen with the user's key): not used, compiled again
    for entry in (tmp_path / ".cache" / "templates").iterdir():
        raw = entry.read_bytes()
        entry.write_bytes(raw[:-8] + bytes(b ^ 1 for b in raw[-8:]))
    tampered = _render(tmp_path, templates, key)
    assert tampered["compiled"] == ["main.j2", "parts.j2"]
    assert tampered["out"] == edited["out"]

    # another user's key (a cache copied from elsewhere): compiled again
    assert _render(tmp_path, templates, tmp_path / "other" / "cache.key")["compiled"] == ["main.j2", "parts.j2"]
