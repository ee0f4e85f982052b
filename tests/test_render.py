"""The renderer with the real Chromium: images, many images at once, HTML to A4 PDF, failures."""

from __future__ import annotations

import io
import os
import signal
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image

from einclusie.exports import render

needs_chromium = pytest.mark.skipif(
    not Path(render.browser_path()).is_file(),
    reason=f"no Chromium at {render.browser_path()} (install chromium or set BROWSER_PATH)",
)

HTML = """<!DOCTYPE html>
<html lang="nl"><head><title>Rapport</title>
<style>body { font-family: sans-serif; } h1 { color: #1f4e79; }</style></head>
<body><h1>Kerncijfers 2022</h1>
<p>Hulpvragen in de digipunten: 11.877 (Opgeëistenlaan, Rabot)</p>
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50">
<rect width="120" height="30" fill="#1f4e79"/></svg>
</body></html>"""


def bar(title: str) -> go.Figure:
    return go.Figure(go.Bar(x=["2021", "2022"], y=[10_512, 11_877]), layout_title_text=title)


def test_png_has_the_asked_size_times_the_scale(renderer):
    png = renderer.image(bar("Hulpvragen"), "png", width=1000, height=500, scale=2)
    assert Image.open(io.BytesIO(png)).size == (2000, 1000)


def test_svg_is_xml_with_the_title(renderer):
    svg = renderer.image(bar("Hulpvragen per jaar"), "svg", width=800, height=400)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Hulpvragen per jaar" in svg.decode()


def test_pdf_and_jpeg_and_a_figure_dict(renderer):
    assert renderer.image(bar("PDF"), "pdf", 800, 400).startswith(b"%PDF")
    jpeg = renderer.image(bar("JPEG").to_dict(), "jpeg", 300, 200)
    assert Image.open(io.BytesIO(jpeg)).format == "JPEG"


def test_unknown_format_is_refused_before_rendering(renderer):
    with pytest.raises(ValueError, match="gif"):
        renderer.image(bar("x"), "gif", 300, 200)


def test_images_come_back_in_order_with_progress_in_the_callers_thread(renderer):
    widths = [300, 420, 540, 660, 780, 900]
    jobs = [render.ImageJob(bar(f"Grafiek {w}"), "png", w, 300) for w in widths]
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total, threading.get_ident()))

    images = renderer.images(jobs, progress=progress)
    assert [Image.open(io.BytesIO(png)).size[0] for png in images] == widths
    assert [(done, total) for done, total, _ in calls] == [(i, 6) for i in range(1, 7)]
    assert {thread for _, _, thread in calls} == {threading.get_ident()}
    assert renderer.images([]) == []
    # plain tuples work too
    svg, png = renderer.images([(bar("a"), "svg", 400, 300, 1), (bar("b"), "png", 400, 300, 1)])
    assert svg.startswith(b"<svg") and png.startswith(b"\x89PNG")


def test_two_threads_share_the_renderer(renderer):
    barrier = threading.Barrier(2)
    results: dict[str, list[bytes]] = {}
    errors = []

    def work(name: str, width: int) -> None:
        try:
            barrier.wait()
            results[name] = [
                render.renderer().image(bar(f"Sessie {name}"), "svg", width, 300) for _ in range(4)
            ]
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=a) for a in [("A", 500), ("B", 700)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    for name, width in [("A", 500), ("B", 700)]:
        for svg in results[name]:
            assert f"Sessie {name}" in svg.decode()
            assert ET.fromstring(svg).get("width") == str(width)
    assert render.renderer() is renderer


@needs_chromium
def test_an_image_is_the_same_after_other_images_as_in_a_fresh_browser(monkeypatch):
    # A tab is reused without a reload: nothing of one image may reach the next. Between the
    # first image of a new browser and the same image again: a failed image (the tab is
    # reloaded after it), a reload after RELOAD_EVERY images, and other kinds of chart, as
    # PDF and as PNG.
    monkeypatch.setattr(render, "RELOAD_EVERY", 4)
    own = render.Renderer(tabs=1)
    try:
        first = own.image(bar("Hulpvragen"), "png", 600, 300, 2)
        # A world map needs its topojson from the internet: a Dutch reason, no traceback.
        with pytest.raises(render.RenderUnavailable, match="kan deze grafiek niet tekenen"):
            own.image(go.Figure(go.Scattergeo(lat=[51.05], lon=[3.72])), "png", 500, 300)
        others = [
            go.Figure(go.Heatmap(z=[[1, 2], [3, 4]]), layout_title_text="Warmte"),
            go.Figure(go.Scatter(y=[3, 1, 2]), layout_font_family="serif"),
            go.Figure(go.Pie(values=[1, 2], labels=["a", "b"]), layout_paper_bgcolor="black"),
        ]
        for figure in others:
            own.image(figure, "pdf", 500, 300)
            own.image(figure, "png", 500, 300, 3)
        assert own.image(bar("Hulpvragen"), "png", 600, 300, 2) == first
    finally:
        own.close()


def test_html_prints_to_an_a4_pdf(renderer):
    pypdf = pytest.importorskip("pypdf", reason="pypdf is needed to read the PDF back")
    pdf = renderer.pdf_from_html(HTML)
    assert pdf.startswith(b"%PDF")
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(595, abs=2)
    assert float(page.mediabox.height) == pytest.approx(842, abs=2)
    text = page.extract_text()
    assert "Kerncijfers 2022" in text
    assert "11.877" in text
    assert "Opgeëistenlaan" in text  # read as UTF-8
    # the kaleido tabs are still there, and still work
    assert renderer.image(bar("Na de PDF"), "png", 300, 200).startswith(b"\x89PNG")


def test_a_missing_browser_gives_a_dutch_reason_at_once(monkeypatch, tmp_path):
    missing = str(tmp_path / "chromium")
    before = render._instance
    monkeypatch.setenv("BROWSER_PATH", missing)
    reason = render.unavailable_reason()
    assert reason is not None
    assert reason.startswith("Afbeeldingen (PNG, SVG, PDF) kunnen nu niet gemaakt worden")
    assert "ontbreekt op de server" in reason and missing in reason
    started = time.monotonic()
    with pytest.raises(render.RenderUnavailable, match="ontbreekt"):
        render.renderer()
    with pytest.raises(render.RenderUnavailable, match="ontbreekt"):
        render.Renderer()
    assert time.monotonic() - started < 1
    assert render._instance is before  # the shared renderer is left alone


@pytest.mark.skipif(not os.access("/bin/false", os.X_OK), reason="no /bin/false")
def test_a_browser_that_exits_at_once_does_not_start():
    started = time.monotonic()
    with pytest.raises(render.RenderUnavailable, match="start niet"):
        render.Renderer("/bin/false", start_timeout=20)
    assert time.monotonic() - started < 20


def test_a_browser_that_never_answers_times_out(tmp_path):
    script = tmp_path / "chromium"
    script.write_text("#!/bin/sh\nsleep 120\n")
    script.chmod(0o755)
    started = time.monotonic()
    with pytest.raises(render.RenderUnavailable, match="na 2 seconden nog niet klaar"):
        render.Renderer(str(script), start_timeout=2)
    assert time.monotonic() - started < 15


@needs_chromium
def test_an_image_over_time_fails_in_dutch_and_the_browser_stays():
    own = render.Renderer(tabs=1, image_timeout=0.02)
    try:
        with pytest.raises(render.RenderUnavailable, match="antwoordt niet binnen"):
            own.images([(bar("Te traag"), "png", 1000, 500, 2)] * 3)
        assert own.usable
    finally:
        own.close()
    assert not own.usable


@needs_chromium
def test_a_crashed_browser_fails_in_dutch_instead_of_hanging():
    own = render.Renderer(tabs=1)
    try:
        assert own.image(bar("Voor"), "png", 300, 200).startswith(b"\x89PNG")
        os.killpg(own._kaleido.subprocess.pid, signal.SIGKILL)
        own._kaleido.subprocess.wait(10)
        started = time.monotonic()
        with pytest.raises(render.RenderUnavailable, match="gestopt"):
            own.image(bar("Na"), "png", 300, 200)
        assert time.monotonic() - started < 10
        assert not own.usable  # so renderer() would start a new browser
    finally:
        own.close()


def test_known_problem_never_waits_and_names_a_missing_browser(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nergens/chromium")
    started = time.perf_counter()
    problem = render.known_problem()
    assert time.perf_counter() - started < 0.5
    assert problem is not None and "ontbreekt op de server (/nergens/chromium)" in problem


def test_asking_whether_images_can_be_made_starts_no_browser():
    # A page asks on every chart; a browser starting then takes the cores from the page.
    render.shutdown()
    assert render.known_problem() is None  # Debian's Chromium is there
    assert render._instance is None
