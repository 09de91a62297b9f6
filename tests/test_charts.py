"""Charts worth printing (issue 19, item 4), measured from the PDF and DOCX a briefing makes:
drawn only when most of what they show has data (and then nothing refers to one left out),
values and targets on scales that fit them, amounts from zero, labels whole, every colour
in a legend, text of 10 pt and up as printed, captions kept with their charts.

Two briefings of Quảng Ngãi on 10/3/2025, composed and rendered in this process: one from
the committed fact base (one target of eight has a figure: the targets chart is left out),
one from that fact base with figures added for six more targets (the chart is drawn)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from briefing_files import MM, docx_words, in_chart, joined, pdf_charts, pdf_words

WHEN = date(2025, 3, 10)
ADDED = {"village_mobile_coverage_share": 71.5, "biometric_border_share": 45, "online_dossier_share": 52.3,
         "adult_dvc_users_share": 28, "dossiers_with_personal_id_share": 60.2, "satisfaction_share": 81}
EMU_PER_MM = 36000


def _briefing(folder: Path, more: dict[str, float]) -> dict:
    """Compose and render one briefing from the committed fact base, with a national figure
    (dated 31/01/2025) added for each metric of `more`; the files written to `folder`."""
    from reportgen import paths
    from reportgen.briefing.compose import Options, compose
    from reportgen.build import render
    from reportgen.catalogue import load_catalogue
    from reportgen.factbase import load_factbase
    from reportgen.provinces import resolve
    from reportgen.registry import load_registry

    fb = load_factbase(paths.facts_file())
    like = next(f for f in fb.figures if f.scope == "national" and f.unit == "%" and not f.change)
    added = [like.model_copy(update={"id": f"fig-test-{i}", "metric": m, "value": v, "as_of": "2025-01-31"})
             for i, (m, v) in enumerate(more.items())]
    fb = fb.model_copy(update={"figures": fb.figures + added})
    b = compose(fb, load_catalogue(paths.catalogue_file()), load_registry(paths.registry_file()),
                resolve("Quảng Ngãi"), WHEN, Options())
    out = render(b, ("pdf", "docx"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "b.pdf").write_bytes(out["pdf"][0])
    (folder / "b.docx").write_bytes(out["docx"][0])
    return {"pdf": folder / "b.pdf", "docx": folder / "b.docx", "briefing": b, "folder": folder}


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    return _briefing(tmp_path_factory.mktemp("sparse"), {})


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    return _briefing(tmp_path_factory.mktemp("full"), ADDED)


def _captions(words: list[str]) -> dict[int, str]:
    text = " ".join(words)
    return {int(n): t for n, t in re.findall(r"Biểu đồ (\d+): (.+?) \((?:[^()]*; )?nguồn:", text)}


def _check_references(words: list[str]) -> None:
    """The body's count of charts and each "Biểu đồ N" it names match the captions."""
    text = " ".join(words)
    captions = _captions(words)
    assert sorted(captions) == list(range(1, len(captions) + 1))
    count = re.search(r"bảng số liệu, (\d+) biểu đồ\)|\((\d+) biểu đồ\)", text)
    # the first page counts the country's charts; the province's deadlines are named in 5 b)
    national = [t for t in captions.values() if not t.startswith("Thời hạn các nhiệm vụ")]
    assert (int(count.group(1) or count.group(2)) if count else 0) == len(national), count
    named = {int(n) for n in re.findall(r"Biểu đồ (\d+)", text)}
    assert named == set(captions)


def test_a_chart_mostly_without_data_is_left_out_and_nothing_refers_to_it(sparse, full):
    for case, drawn in ((sparse, False), (full, True)):
        for words in (pdf_words(case["pdf"]), docx_words(case["docx"])):
            captions = _captions(words)
            assert ("Một số chỉ tiêu quốc gia so với mục tiêu" in captions.values()) is drawn, captions
            _check_references(words)
    assert len(pdf_charts(sparse["pdf"])) == 2 and len(pdf_charts(full["pdf"])) == 3
    import zipfile

    with zipfile.ZipFile(sparse["docx"]) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) == 2


def test_targets_on_a_completion_scale_only_shares(full):
    """The GDP growth target (8%) is not drawn on the 0–100% scale; the scale runs 0–100%."""
    targets = next(c for c in pdf_charts(full["pdf"]) if "Mục tiêu" in " ".join(w["text"] for w in c["words"]))
    words = " ".join(w["text"] for w in targets["words"])
    assert "GDP" not in words and "mục tiêu 8%" not in words
    axis_top = max(w["top"] for w in targets["words"] if w["text"] == "0%")
    ticks = [w["text"] for w in sorted(targets["words"], key=lambda w: w["x0"]) if abs(w["top"] - axis_top) < 2]
    assert ticks == ["0%", "25%", "50%", "75%", "100%"], ticks
    assert "71,5% (31/01/2025)" in words and "chưa có số liệu" in words


def test_chart_text_is_at_least_10_pt_as_printed(full):
    """In the PDF: the size each character of a chart is drawn at (WeasyPrint's placing
    included). In the DOCX: the PNG is placed at the width it was drawn at (300 dpi), so its
    text prints at the size the same figure has in the PDF."""
    import struct
    import zipfile

    charts = pdf_charts(full["pdf"])
    assert len(charts) == 3
    sizes = [c["size"] for chart in charts for c in chart["chars"]]
    assert all(c["upright"] for chart in charts for c in chart["chars"])       # sizes read as drawn
    assert min(sizes) >= 10 - 0.05, sorted(set(round(s, 2) for s in sizes))[:5]
    widths_mm = [(chart["x1"] - chart["x0"]) / MM for chart in charts]
    with zipfile.ZipFile(full["docx"]) as z:
        document = z.read("word/document.xml").decode()
        pngs = [z.read(n) for n in sorted(z.namelist()) if n.startswith("word/media/")]
    placed = [int(cx) / EMU_PER_MM for cx in re.findall(r'<wp:extent cx="(\d+)"', document)]
    assert len(placed) == len(pngs) == 3
    for png, width in zip(pngs, placed):
        px = struct.unpack(">I", png[16:20])[0]
        at = png.index(b"pHYs")
        per_metre = struct.unpack(">I", png[at + 4: at + 8])[0]
        drawn_mm = px / per_metre * 1000
        assert width / drawn_mm >= 0.999, (width, drawn_mm)     # never shrunk below its drawn size
        # the PNG is the figure the PDF draws: as wide as the chart's drawing there, or wider
        assert drawn_mm >= max(widths_mm) - 1


def test_amounts_from_zero(full):
    series = next(c for c in pdf_charts(full["pdf"]) if "triệu" in c["text"])
    left = [w for w in series["words"] if re.fullmatch(r"\d+", w["text"]) and w["x1"] < series["x0"] + 15 * MM]
    axis = sorted(left, key=lambda w: w["top"])
    assert axis[-1]["text"] == "0", [w["text"] for w in axis]
    assert int(axis[0]["text"]) > 87.7                      # and up past the largest value


def test_labels_are_whole_words_wrapped_never_cut(full):
    """Each task's words are in the timeline whole, in order; no label is cut short."""
    timeline = next(c for c in pdf_charts(full["pdf"]) if "Ngày Thông báo" in " ".join(w["text"] for w in c["words"]))
    column = [w["text"] for w in timeline["words"] if w["x1"] < timeline["x0"] + 72 * MM]   # the labels' column
    text = joined(column)
    assert "…" not in joined([w["text"] for w in timeline["words"]])
    tasks = [i["label"] for c in full["briefing"].charts if c.kind == "timeline" for i in c.data["items"]]
    assert len(tasks) >= 3
    for label in tasks:
        assert joined(label.split()) in text, label


def test_wrapping_breaks_only_between_words(tmp_path):
    """A long label drawn by the renderer: every line of the SVG holds whole words of it."""
    from xml.etree import ElementTree

    from reportgen.briefing.model import Chart
    from reportgen.render.charts import render_all

    label = ("Phối hợp với Bộ Tư pháp, Bộ Công an số hóa dữ liệu hộ tịch và đồng bộ với Cơ sở dữ liệu quốc gia về "
             "dân cư để làm sạch, phục vụ cắt giảm, đơn giản hóa thủ tục hành chính, hoàn thành trước ngày 31/3/2025 "
             "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html")   # 72 characters, kept whole
    chart = Chart(id="t", number=1, caption="x", kind="timeline",
                  data={"items": [{"deadline": "2025-03-31", "label": label},
                                  {"deadline": "2025-06-30", "label": "Một nhiệm vụ ngắn"}], "today": "2025-03-10"})
    svgs, _ = render_all([chart])
    lines = [t.text or "" for t in ElementTree.fromstring(svgs["t"]).iter("{http://www.w3.org/2000/svg}text")]
    words = set(label.split())
    body = [ln for ln in lines if ln.split() and set(ln.split()) <= words]
    assert " ".join(body).split()[: len(label.split())] == label.split()
    assert len(body) >= 4                                     # wrapped over several lines


def test_every_colour_and_line_style_is_in_a_legend(full):
    import collections

    charts = pdf_charts(full["pdf"])
    targets = next(c for c in charts if "Kết quả mới nhất" in " ".join(w["text"] for w in c["words"]))
    # every fill colour of the bars also fills a legend key, level with the legend's labels
    legend_top = min(w["top"] for w in targets["words"] if w["text"] == "Kết")
    keys = {r["non_stroking_color"] for r in targets["rects"] if abs(r["top"] - legend_top) < 8}
    bars = collections.Counter(r["non_stroking_color"] for r in targets["rects"]
                               if r["bottom"] < legend_top - 12 and r["width"] > 3 and r["height"] > 3
                               and r["non_stroking_color"] != (1.0, 1.0, 1.0))        # not the white ground
    assert bars and set(bars) <= keys, (bars, keys)
    timeline = next(c for c in charts if "Ngày Thông báo" in " ".join(w["text"] for w in c["words"]))
    words = " ".join(w["text"] for w in timeline["words"])
    # a national day already past has the province's own (assignments.yaml overdue_days): nothing drawn
    # overdue, so no "Đã quá hạn" key either
    assert "Đã quá hạn" not in words and "Chưa đến hạn" in words and "Ngày Thông báo 10/3/2025" in words
    # the deadline markers' colours are the legend's keys, no more, no fewer
    legend_top = min(w["top"] for w in timeline["words"] if w["text"] == "Ngày")
    marks = [c for c in timeline["curves"] if c["fill"] and c["width"] < 10 and c["height"] < 10]
    keys = {c["non_stroking_color"] for c in marks if abs(c["top"] - legend_top) < 8}
    points = {c["non_stroking_color"] for c in marks if c["bottom"] < legend_top - 12}
    assert len(points) == 1 and points == keys, (points, keys)       # "chưa đến hạn" only
    # the dashed line of the briefing date crosses no text
    dashed = [o for o in timeline["lines"] + timeline["curves"] if o.get("dash") and o["dash"][0]
              and o["height"] > 20]
    assert dashed
    for line in dashed:
        crossed = [c["text"] for c in timeline["chars"] if c["x0"] < line["x1"] and c["x1"] > line["x0"]
                   and c["top"] < line["bottom"] and c["bottom"] > line["top"]]
        assert not crossed, crossed
    series = next(c for c in charts if "triệu" in c["text"])
    swords = " ".join(w["text"] for w in series["words"])
    assert all(s["label"] in swords for c in full["briefing"].charts if c.kind == "series" for s in c.data["series"])


def test_captions_are_kept_with_their_charts(full, tmp_path):
    """PDF: each caption right under its chart, on its page. DOCX: the picture's paragraph
    keeps with the caption after it; LibreOffice puts both on one page."""
    import docx
    import pdfplumber

    charts = pdf_charts(full["pdf"])
    with pdfplumber.open(full["pdf"]) as pdf:
        for chart in charts:
            page = pdf.pages[chart["page"] - 1]
            lines = [ln for ln in page.filter(lambda o: not in_chart(o)).extract_text_lines()
                     if ln["text"].startswith("Biểu đồ ")]
            below = [ln for ln in lines if 0 <= ln["top"] - chart["bottom"] < 15 * MM]
            assert below, (chart["page"], [ln["text"] for ln in lines])
    d = docx.Document(str(full["docx"]))
    paras = d.paragraphs
    pictures = [i for i, p in enumerate(paras) if p._p.xpath(".//w:drawing")]
    assert len(pictures) == 3
    for i in pictures:
        fmt = paras[i].paragraph_format.keep_with_next
        style = paras[i].style
        while fmt is None and style is not None:
            fmt, style = style.paragraph_format.keep_with_next, style.base_style
        assert fmt is True and paras[i + 1].text.startswith("Biểu đồ ")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by the README's test command"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(full["docx"])], check=True, capture_output=True, timeout=240)
    with pdfplumber.open(next(tmp_path.glob("*.pdf"))) as lo:
        found = 0
        for page in lo.pages:
            for line in page.extract_text_lines():
                if re.match(r"Biểu đồ \d+:", line["text"]):
                    found += 1
                    above = [im for im in page.images if im["bottom"] <= line["top"] + 1]
                    assert above and line["top"] - max(im["bottom"] for im in above) < 15 * MM, line["text"]
        assert found == 3


def test_a_legend_names_only_the_colours_drawn():
    """Every deadline passed (a briefing dated today on the 2025 tasks): no "not yet due" key."""
    from xml.etree import ElementTree

    from reportgen.briefing.model import Chart
    from reportgen.render.charts import render_all

    chart = Chart(id="late", number=1, caption="x", kind="timeline",
                  data={"items": [{"deadline": "2025-03-31", "label": "Nhiệm vụ một"},
                                  {"deadline": "2025-06-30", "label": "Nhiệm vụ hai"}], "today": "2026-12-05"})
    svgs, _ = render_all([chart])
    text = " ".join(t.text or "" for t in ElementTree.fromstring(svgs["late"]).iter("{http://www.w3.org/2000/svg}text"))
    assert "Đã quá hạn" in text and "Ngày Thông báo 05/12/2026" in text and "Chưa đến hạn" not in text


def test_a_chart_too_tall_for_its_page_is_left_out():
    """Labels stay whole and 10 pt, so many long ones make a tall chart: drawn only while it
    fits a page with its caption (the SVG's own height says so); beyond, left out."""
    from xml.etree import ElementTree

    from reportgen.briefing.model import Chart
    from reportgen.render.charts import MAX_HEIGHT_MM, render_all, worth_drawing

    task = ("Phối hợp với Bộ Tư pháp, Bộ Công an số hóa dữ liệu hộ tịch và đồng bộ với Cơ sở dữ liệu quốc gia về "
            "dân cư để làm sạch, phục vụ cắt giảm, đơn giản hóa thủ tục hành chính, hoàn thành trước ngày 31/3/2025")

    def timeline(n: int) -> Chart:
        return Chart(id=f"t{n}", number=1, caption="x", kind="timeline", data={
            "items": [{"deadline": f"2025-{k % 12 + 1:02d}-28", "label": task} for k in range(n)],
            "today": "2025-03-10"})

    fits, too_tall = timeline(6), timeline(16)
    assert worth_drawing(fits) and not worth_drawing(too_tall)
    svgs, _ = render_all([fits, too_tall])
    heights = {k: float(ElementTree.fromstring(v).get("height").removesuffix("pt")) * 25.4 / 72 for k, v in svgs.items()}
    assert 60 < heights["t6"] <= MAX_HEIGHT_MM < heights["t16"], heights
