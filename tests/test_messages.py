"""Issue 20, item 4: messages carry a code and their parameters; their words come from the
gettext catalogue (reportgen/locale/vi/LC_MESSAGES/reportgen.po, read with Babel), Vietnamese
by default, English when the environment says so."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def _catalogue_tool():
    spec = importlib.util.spec_from_file_location("messages_tool", ROOT / "scripts" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_of_the_code_has_its_vietnamese():
    from reportgen.i18n import catalogue

    found = _catalogue_tool().messages()
    assert len(found) > 100
    vi = catalogue("vi")
    for code, (english, file, line) in found.items():
        assert code in vi, f"{file}:{line}: {code} has no translation (run scripts/messages.py)"
        msgid, text = vi[code]
        assert msgid == english, f"{file}:{line}: {code}: the English changed since it was translated"
        fields = lambda t: sorted(set(re.findall(r"\{(\w+)", t)))  # noqa: E731
        assert set(fields(text)) <= set(fields(english)), (code, text)     # may leave an English noun out
        assert not re.search(r"\b(the|is|not|was|cannot)\b", text), (code, text)    # translated, not copied


def test_an_error_carries_its_code_and_parameters(tmp_path):
    from reportgen.errors import InputError
    from reportgen.readers import read

    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as err:
        read(empty)
    assert err.value.code == "text.document_empty" and err.value.said.params == {"path": empty}
    assert err.value.text("en") == f"{empty}: the document is empty."
    assert err.value.text("vi") == f"{empty}: tài liệu rỗng."


def test_a_translation_whose_english_changed_is_not_used(monkeypatch):
    from reportgen import i18n

    assert i18n.msg("text.document_empty", "{path}: the document is empty.", path="a").text("vi") == "a: tài liệu rỗng."
    assert i18n.msg("text.document_empty", "{path}: nothing in it.", path="a").text("vi") == "a: nothing in it."
    assert i18n.msg("national.no_session", "no committee session on or before {day} in the fact base.",
                    day="2024-01-01").text("vi").startswith("trong cơ sở dữ kiện chưa có phiên họp nào diễn ra trước "
                                                            "hoặc vào ngày 01/01/2024")


@pytest.mark.parametrize("env, words", [
    ({"LANG": "C.UTF-8"}, ["không có tỉnh, thành phố 'Quang Ngaii'.", "Có phải: Quảng Ngãi, Quảng Nam, Quảng Ninh?"]),
    ({"LANG": "vi_VN.UTF-8"}, ["không có tỉnh, thành phố 'Quang Ngaii'."]),
    ({"LANG": "en_US.UTF-8"}, ["unknown province 'Quang Ngaii'. Did you mean: Quảng Ngãi, Quảng Nam"]),
    ({"LANG": "vi_VN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, ["unknown province"]),
])
def test_the_cli_speaks_vietnamese_unless_told_english(tmp_path, env, words):
    clean = {k: v for k, v in os.environ.items() if k not in ("REPORTGEN_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    done = subprocess.run([sys.executable, "-m", "reportgen", "build", "--province", "Quang Ngaii", "--dry-run"],
                          cwd=ROOT, env={**clean, **env, "COLUMNS": "300"}, capture_output=True, text=True)
    assert done.returncode == 2
    said = " ".join(done.stderr.split())
    for w in words:
        assert w in said, (env, said)


def test_the_cli_reports_a_fact_base_in_vietnamese(tmp_path):
    import shutil

    home = tmp_path / "office"
    shutil.copytree(ROOT / "facts", home / "facts")
    shutil.copytree(ROOT / "seeds", home / "seeds")
    clean = {k: v for k, v in os.environ.items() if k not in ("REPORTGEN_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    done = subprocess.run([sys.executable, "-m", "reportgen", "facts", "build", "--out", str(tmp_path / "f.yaml")],
                          cwd=home, env={**clean, "LANG": "C.UTF-8", "REPORTGEN_HOME": str(home), "COLUMNS": "300"},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert re.search(r"Đã ghi .*f\.yaml: 5 tài liệu, \d+ số liệu \(\d+ đã có chỉ tiêu\)", out), out
    assert "Cần rà soát: 1 số liệu chưa có chỉ tiêu" in out and "Wrote" not in out


def _cli(*args: str, lang: str = "C.UTF-8"):  # type: ignore[no-untyped-def]
    clean = {k: v for k, v in os.environ.items() if k not in ("REPORTGEN_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run([sys.executable, "-m", "reportgen", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, "LANG": lang, "COLUMNS": "200"})


def _commands() -> list[list[str]]:
    import typer

    from reportgen.cli import app

    group = typer.main.get_command(app)
    out = [[]]
    for name, cmd in group.commands.items():
        out.append([name])
        out += [[name, sub] for sub in getattr(cmd, "commands", {})]
    return out


# English a Vietnamese help page would only hold if something was left untranslated (a help text,
# Typer's panel titles, its usage line, the --help option's own line)
_ENGLISH = re.compile(r"\b(the|and|with|from|for|this|of|to|Show|Usage|Options|Commands|Arguments|default|"
                      r"required|Error|Try)\b")


def test_every_help_page_of_the_cli_is_vietnamese():
    """Issue 20, item 4: `reportgen … --help` in Vietnamese by default — the commands' and options'
    help, Typer's panels, usage line and metavars — and in English with LANG=en."""
    pages = _commands()
    assert len(pages) >= 12                      # reportgen, facts, 5 facts commands, 6 others
    for args in pages:
        r = _cli(*args, "--help")
        assert r.returncode == 0, (args, r.stderr)
        text = " ".join(r.stdout.split())
        assert "Cách dùng: reportgen" in text and "Xem hướng dẫn này rồi thoát." in text, (args, text)
        prose = re.sub(r"(--?[\w-]+|\S+\.(yaml|j2|css|p12|pfx|pdf|signed\.pdf)|`[^`]*`)", " ", text)
        assert not _ENGLISH.search(prose), (args, _ENGLISH.search(prose).group(0), text)
        assert not re.search(r"<\w+|\{\w+\.\.\.\}", text), (args, text)     # no "<path>", "<list[Path]>", "{FILE...}"
    build = " ".join(_cli("build", "--help").stdout.split())
    assert "--jobs -j SỐ [x>=1] Số việc chạy song song với --all (mặc định: bằng số nhân xử lý của máy)." in build
    assert "--all Mọi tỉnh" in build                        # a flag takes no value: no type shown
    english = " ".join(_cli("build", "--help", lang="en_US.UTF-8").stdout.split())
    assert "Usage: reportgen build [OPTIONS]" in english
    assert "Worker processes for --all (default: number of cores)." in english     # not eaten as markup
    assert "<bool>" not in english and "--jobs -j NUMBER [x>=1]" in english


@pytest.mark.parametrize("args, said", [
    (["serve", "--port", "abc"], "'--port' 'abc': hãy ghi một số nguyên từ 1 đến 65535."),
    (["serve", "--port=0"], "'--port' '0': hãy ghi một số nguyên từ 1 đến 65535."),
    (["build", "-p", "Huế", "-j", "0"], "'--jobs' / '-j' '0': hãy ghi một số nguyên, ít nhất là 1."),
    (["facts", "add"], "thiếu đối số 'TỆP'."),
    (["build", "--provnce", "Huế"], "không có tùy chọn --provnce. Có phải là"),
    (["build", "-p"], "tùy chọn -p cần một giá trị."),
    (["sign", "x.pdf"], "thiếu tùy chọn '--cert'."),
    (["signatures"], "thiếu đối số 'PDF'."),
    (["nope"], "không có lệnh nope."),
    (["provinces", "thừa", "nữa"], "thừa đối số: thừa nữa."),
])
def test_a_wrong_command_line_is_told_in_vietnamese(args, said):
    r = _cli(*args)
    assert r.returncode == 2, r.stderr
    text = " ".join(r.stderr.split())
    assert said in text and "Lỗi" in text, text
    assert not re.search(r"\b(Invalid|Missing|No such|Got|Error|Usage|Input should)\b", text), text
    if "Cách dùng" in text:
        assert "Xem hướng dẫn: 'reportgen" in text, text
    english = " ".join(_cli(*args, lang="en_US.UTF-8").stderr.split())
    assert "Error" in english and "Lỗi" not in english, english


def test_facts_show_speaks_as_the_office_does():
    """A document's page and the tables: Vietnamese words for kinds, sections and the country's
    scope, dates as dd/mm/yyyy, and a wrong --document said in Vietnamese with the value."""
    shown = _cli("facts", "show", "--document", "001")
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert "ngày diễn ra: 24/4/2024" in out and "phiên họp: 8" in out and "Nội dung đọc được" in out
    assert not re.search(r"\b(press|results|tasks|national|event)\b", out.split("Nội dung đọc được")[0]), out[:400]
    table = " ".join(_cli("facts", "show", "--metric", "egdi_rank").stdout.split())
    assert "toàn quốc" in table and "national" not in table and "tháng 9/2024" in table and "2024-09" not in table
    assert "tăng 15 bậc so với năm 2022" in table and "thay đổi" not in table     # a change as the briefing says it
    assert "thứ 71/193" in table and "71/193 hạng" not in table                     # a rank, likewise
    for value, said in (("", "--document đang để trống"), ("999", "--document '999': không có tài liệu nào"),
                        ("00", "--document '00': có 5 tài liệu khớp")):
        r = _cli("facts", "show", "--document", value)
        assert r.returncode == 2 and said in " ".join(r.stderr.split()), r.stderr
    both = _cli("build", "--province", "Huế", "--all")
    assert both.returncode == 2 and "chỉ ghi một trong hai" in both.stderr


def test_a_wrong_field_in_a_yaml_file_is_told_in_the_users_words(tmp_path):
    """A misspelt field, a missing one and a value of the wrong kind in facts/*.yaml were told
    in pydantic's English inside the Vietnamese line ("Field required", "Extra inputs are not
    permitted", "Input should be …"; helper-30, D8)."""
    text = (ROOT / "facts" / "catalogue.yaml").read_text("utf-8")
    broken = text.replace("unit: ", "unitt: ", 1).replace("stock: true", "stock: perhaps", 1)
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(broken, "utf-8")
    r = _cli("facts", "verify", "--catalogue", str(catalogue))
    said = " ".join(r.stderr.split())
    assert r.returncode == 2 and "trường 'metrics.0.unitt': ở đây không có trường này" in said, said
    assert "trường 'metrics.0.unit': ở đây cần một giá trị" in said
    assert not re.search(r"Field required|Extra inputs|Input should| field '", said), said
    english = " ".join(_cli("facts", "verify", "--catalogue", str(catalogue), lang="en_US.UTF-8").stderr.split())
    assert "field 'metrics.0.unitt': no such field here" in english and "a value is required here" in english


def test_reportgens_own_checks_of_a_yaml_file_are_told_in_the_users_words(tmp_path):
    """A day that does not exist, a hand-recorded figure nobody signed and a duplicate metric:
    the models' own checks said them in English inside the Vietnamese line ("'2025-13-01' is
    not a date", "a hand-recorded fact needs reviewed_by …")."""
    corrections = tmp_path / "corrections.yaml"
    corrections.write_text(
        "documents:\n  001_d7dc914617694146.txt:\n    event_date: '2025-13-01'\n    reviewed_by: Lê Thị Hoa\n"
        "    reason: thử\nfigures:\n  - metric: egdi_rank\n    value: 71\n    unit: hạng\n    as_of: '2024'\n"
        "    scope: national\n    source: 001_d7dc914617694146.txt\n    quote: thứ 71\n", "utf-8")
    r = _cli("facts", "build", "--corrections", str(corrections), "--out", str(tmp_path / "fb.yaml"))
    said = " ".join(r.stderr.split())
    assert r.returncode == 2 and "'2025-13-01' không phải một ngày (viết YYYY-MM-DD)" in said, said
    assert "dữ kiện ghi tay cần reviewed_by (ai ghi) và note (vì sao)" in said, said
    assert not re.search(r"is not a date|needs reviewed_by|Value error", said), said
    assert not (tmp_path / "fb.yaml").exists()
    english = " ".join(_cli("facts", "build", "--corrections", str(corrections), "--out", str(tmp_path / "fb.yaml"),
                            lang="en_US.UTF-8").stderr.split())
    assert "'2025-13-01' is not a date (write YYYY-MM-DD)" in english and "needs reviewed_by (who)" in english
    text = (ROOT / "facts" / "catalogue.yaml").read_text("utf-8")
    start = text.index("  - id: ")
    block = text[start: text.index("  - id: ", start + 1)]        # the first metric, written twice
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(text[:start] + block + text[start:], "utf-8")
    said = " ".join(_cli("facts", "verify", "--catalogue", str(catalogue)).stderr.split())
    assert re.search(r"mã metric '\w+' bị trùng", said) and "duplicate" not in said, said


def test_a_list_of_names_in_a_record_is_nfc_as_its_texts_are():
    """A record's lists (also_in, responsible, partners) are held to NFC like its texts: an
    NFD name there would not match the same name elsewhere in the fact base."""
    import unicodedata

    from pydantic import ValidationError

    from reportgen.factbase import Task

    fields = {"id": "task-1", "text": "Giao Sở Khoa học và Công nghệ chủ trì.", "source": "001.txt",
              "quote": "Giao Sở Khoa học và Công nghệ chủ trì."}
    assert Task(**fields, provinces=False, responsible=["so_khcn"], also_in=["Bản đăng lại.txt"]).also_in == ["Bản đăng lại.txt"]
    with pytest.raises(ValidationError, match="NFC"):
        Task(**fields, provinces=False, responsible=["so_khcn"], also_in=[unicodedata.normalize("NFD", "Bản đăng lại.txt")])
