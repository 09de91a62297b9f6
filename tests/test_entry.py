"""The console command's entry (reportgen/entry.py): Ctrl-C while Python still loads reportgen or
while Typer still makes the command ends with exit code 130 and one line, never a traceback."""

import subprocess
import sys
import textwrap

import pytest

WHILE_LOADING = textwrap.dedent("""
    import builtins, sys
    real = builtins.__import__
    def interrupted(name, *args, **kwargs):
        if name == "cli" or name == "reportgen.cli":
            raise KeyboardInterrupt          # what a Ctrl-C does there
        return real(name, *args, **kwargs)
    builtins.__import__ = interrupted
    from reportgen.entry import main
    sys.argv = ["reportgen", "build", "--province", "Quảng Ngãi"]
    main()
""")

WHILE_TYPER_MAKES_THE_COMMAND = textwrap.dedent("""
    import sys, typer.main
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    typer.main.get_command = interrupted
    from reportgen.entry import main
    sys.argv = ["reportgen", "build", "--province", "Quảng Ngãi"]
    main()
""")


@pytest.mark.parametrize("script", [WHILE_LOADING, WHILE_TYPER_MAKES_THE_COMMAND], ids=["loading", "typer"])
@pytest.mark.parametrize("lang, words", [("en", "error: interrupted; nothing was written."),
                                         ("vi", "lỗi: đã dừng theo yêu cầu; không ghi gì.")])
def test_ctrl_c_before_the_command_runs_is_exit_130_and_one_line(script, lang, words, tmp_path):
    import os

    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                       env={**os.environ, "REPORTGEN_LANG": lang})
    assert r.returncode == 130, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines()[-1] == words
    assert not list(tmp_path.iterdir())        # nothing written


def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path):
    """Every `reportgen build` left a 1.5 MB weasyprint-… folder of fonts in /tmp (WeasyPrint
    removes it only when its font configuration is collected; a process that ends does not
    wait for that), a single build one, `build --all` one per worker (helper-29, D6)."""
    import os

    from conftest import ROOT

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = dict(os.environ, TMPDIR=str(temporary))
    for args in (["-p", "Quảng Ngãi"], ["-p", "Huế", "--format", "pdf"]):
        r = subprocess.run([sys.executable, "-m", "reportgen", "build", *args, "--date", "2025-08-01",
                            "--out", str(tmp_path / "out")], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 0, r.stderr
        assert list(temporary.iterdir()) == [], sorted(p.name for p in temporary.iterdir())
    assert list((tmp_path / "out").rglob("*.pdf"))
