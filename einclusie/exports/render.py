"""Plotly figures to images, and HTML to an A4 PDF, with one shared Chromium (kaleido 1.5).

kaleido's own sync helpers (`start_sync_server`, `calc_fig_sync`) share one queue between all
callers and hang when the browser does not start, so this module runs its own `kaleido.Kaleido`
on an asyncio loop in a background thread. Callers in any thread (Streamlit sessions) submit
coroutines to that loop and wait with a timeout, so nothing here can hang. One browser serves
the whole process: `renderer()` starts it on first use, `shutdown()` (also run at exit) closes it.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures as cf
import contextlib
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kaleido
from choreographer.errors import (
    BrowserClosedError,
    BrowserFailedError,
    ChannelClosedError,
    DevtoolsProtocolError,
)
from kaleido.errors import JavascriptError, KaleidoError

from einclusie import settings

TABS = 2  # kaleido tabs: images rendered at the same time (this machine has 2 cores)
START_TIMEOUT = 30.0  # seconds for the browser to start
IMAGE_TIMEOUT = 60.0  # seconds for one image (or one PDF) once a tab is free
RELOAD_EVERY = 50  # images a tab draws before it is reloaded (kaleido reloads after each one)
SLACK = 30.0  # extra seconds before a caller gives up on the browser altogether
RETRY_AFTER = 60.0  # seconds before a failed start is tried again
FORMATS = ("png", "svg", "pdf", "jpeg")
# Chrome DevTools Page.printToPDF: A4 unless the HTML sets its own @page size.
PRINT_A4 = {
    "paperWidth": 8.27,
    "paperHeight": 11.69,
    "printBackground": True,
    "preferCSSPageSize": True,
}
_STOPPED = (BrowserClosedError, BrowserFailedError, ChannelClosedError, cf.CancelledError)


class RenderUnavailable(Exception):
    """Images cannot be made now; str() is a Dutch sentence for a programme manager."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            "Afbeeldingen (PNG, SVG, PDF) kunnen nu niet gemaakt worden: "
            f"de browser die ze tekent (Chromium) {reason}."
        )


@dataclass(frozen=True)
class ImageJob:
    """One image to render: a Plotly figure (or its dict) in a format at a size in pixels."""

    figure: Any
    fmt: str = "png"
    width: int = 700
    height: int = 500
    scale: float = 1


def browser_path() -> str:
    """The Chromium executable: env BROWSER_PATH, else Debian's /usr/bin/chromium."""
    return settings.settings().browser_path


class _Kaleido(kaleido.Kaleido):
    """kaleido 1.5 reloads a tab after every image, which re-reads plotly.js (4 MB) and takes
    three quarters of each image's time. Plotly.toImage draws in a div of its own and removes
    it, so a tab is only reloaded after an error (it may hold a stuck drawing) and, against
    slow leaks in a long-running server, after every RELOAD_EVERY images. The images are the
    same byte for byte (tests/test_render.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._drawn: dict[int, int] = {}  # images since the last reload, per tab

    async def _return_kaleido_tab(self, tab: Any) -> None:
        # Called in the `finally` of kaleido's render task: an exception in flight means
        # the image failed.
        drawn = self._drawn.get(id(tab), 0) + 1
        if sys.exc_info()[1] is not None or drawn >= RELOAD_EVERY:
            self._drawn[id(tab)] = 0
            await super()._return_kaleido_tab(tab)
        else:
            self._drawn[id(tab)] = drawn
            await self.tabs_ready.put(tab)


def _missing(path: str) -> str | None:
    if Path(path).is_file() and os.access(path, os.X_OK):
        return None
    return f"ontbreekt op de server ({path})"


def _short(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "hij is niet klaar binnen de wachttijd"
    if isinstance(error, BrowserFailedError):
        return "het programma stopt meteen na het starten"
    text = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {text}"[:160]


class Renderer:
    """One Chromium with `tabs` kaleido tabs, driven from its own thread; safe to share."""

    def __init__(
        self,
        path: str | None = None,
        *,
        tabs: int = TABS,
        start_timeout: float = START_TIMEOUT,
        image_timeout: float = IMAGE_TIMEOUT,
    ) -> None:
        """Start the browser; raise RenderUnavailable if it is missing or does not start."""
        self.path = path or browser_path()
        self.tabs = tabs
        self.image_timeout = image_timeout
        if reason := _missing(self.path):
            raise RenderUnavailable(reason)
        self._kaleido: _Kaleido | None = None
        self._broken = False
        self._pending = 0  # images submitted and not yet collected, for the give-up time
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="einclusie-render", daemon=True
        )
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._open(), self._loop)
        try:
            future.result(start_timeout)
        except BaseException as error:
            self._broken = True
            future.cancel()
            self._kill()  # no polite Browser.close: a browser that did not start may not answer
            self.close()
            if isinstance(error, TimeoutError):
                raise RenderUnavailable(
                    f"start niet: hij is na {start_timeout:.0f} seconden nog niet klaar"
                ) from error
            raise RenderUnavailable(f"start niet: {_short(error)}") from error

    async def _open(self) -> None:
        self._kaleido = _Kaleido(
            n=self.tabs, timeout=self.image_timeout, mathjax=False, path=self.path
        )
        try:
            await self._kaleido.open()
        except BaseException:
            if not self._broken:
                raise  # else the start was given up already: nobody reads this error

    @property
    def usable(self) -> bool:
        """False once the browser or its thread has stopped, or stopped answering."""
        return not self._broken and self._alive()

    def _alive(self) -> bool:
        process = getattr(self._kaleido, "subprocess", None)
        return self._thread.is_alive() and process is not None and process.poll() is None

    def image(
        self, figure: Any, fmt: str = "png", width: int = 700, height: int = 500, scale: float = 1
    ) -> bytes:
        """Render one figure (go.Figure or dict) as png, svg, pdf or jpeg bytes."""
        return self.images([ImageJob(figure, fmt, width, height, scale)])[0]

    def images(
        self,
        jobs: Sequence[ImageJob | tuple],
        progress: Callable[[int, int], None] | None = None,
    ) -> list[bytes]:
        """Render many figures over the tabs at once; results in input order.

        `progress(done, total)` is called in the caller's thread after each finished image.
        """
        batch = [job if isinstance(job, ImageJob) else ImageJob(*job) for job in jobs]
        specs = [(_figure_dict(job.figure), _opts(job)) for job in batch]
        if not specs:
            return []
        with self._lock:
            self._pending += len(specs)
            rounds = math.ceil(self._pending / self.tabs)
        try:
            futures = {
                self._submit(self._calc(figure, opts)): index
                for index, (figure, opts) in enumerate(specs)
            }
            results: list[bytes] = [b""] * len(specs)
            # Failed or late images are not cancelled: cancelling kaleido mid-render can lose
            # its tab. Each image has kaleido's own timeout; this one is for a stuck browser.
            completed = cf.as_completed(futures, timeout=self.image_timeout * rounds + SLACK)
            for done, future in enumerate(completed, 1):
                results[futures[future]] = self._result(future)
                if progress is not None:
                    progress(done, len(specs))
            return results
        except TimeoutError as error:  # from as_completed: the browser stopped answering
            self._broken = True
            raise self._late() from error
        finally:
            with self._lock:
                self._pending -= len(specs)

    async def _calc(self, figure: dict, opts: dict) -> bytes:
        assert self._kaleido is not None
        return await self._kaleido.calc_fig(figure, opts)

    def pdf_from_html(self, html: str) -> bytes:
        """Print a self-contained HTML document to PDF (A4 unless its CSS sets a page size)."""
        with tempfile.TemporaryDirectory(prefix="einclusie-pdf-") as folder:
            page = Path(folder) / "document.html"
            page.write_text(html, encoding="utf-8-sig")  # the BOM makes Chromium read UTF-8
            future = self._submit(self._print(page.as_uri()))
            try:
                return self._result(future, self.image_timeout + SLACK)
            except TimeoutError as error:
                future.cancel()  # its own tab: closing it cannot disturb kaleido's tabs
                raise self._late() from error

    async def _print(self, url: str) -> bytes:
        # A separate tab of the same browser; kaleido only pools the tabs it made at open().
        assert self._kaleido is not None
        tab = await self._kaleido.create_tab("", window=True)
        try:
            _check(await tab.send_command("Page.navigate", params={"url": url}))
            await asyncio.wait_for(_loaded(tab), self.image_timeout)
            response = _check(await tab.send_command("Page.printToPDF", params=PRINT_A4))
            return base64.b64decode(response["result"]["data"])
        finally:
            await tab.close()

    def _submit(self, coroutine: Coroutine[Any, Any, bytes]) -> cf.Future[bytes]:
        if self._loop.is_closed():
            coroutine.close()
            raise RenderUnavailable("is gestopt")
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def _result(self, future: cf.Future[bytes], timeout: float | None = None) -> bytes:
        try:
            return future.result(timeout)
        except TimeoutError as error:
            if not future.done():
                raise  # the caller's own give-up time: the caller decides
            raise self._late() from error  # kaleido's timeout for this one image
        except (KaleidoError, JavascriptError) as error:  # this figure, not the browser
            raise RenderUnavailable(f"kan deze grafiek niet tekenen ({_short(error)})") from error
        except _STOPPED as error:
            if self._alive():  # choreographer reports a timed-out write as a closed channel
                raise self._late() from error
            self._broken = True
            raise RenderUnavailable("is onverwacht gestopt") from error

    def _late(self) -> RenderUnavailable:
        return RenderUnavailable(f"antwoordt niet binnen {self.image_timeout:.0f} seconden")

    def close(self) -> None:
        """Close the browser and stop the thread; pending calls raise RenderUnavailable."""
        self._broken = True
        if self._loop.is_closed():
            return
        if self._thread.is_alive():
            with contextlib.suppress(BaseException):
                asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
        self._kill()
        if not self._thread.is_alive():
            self._loop.close()

    def _kill(self) -> None:
        process = getattr(self._kaleido, "subprocess", None)
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)  # choreographer starts its own session
                process.wait(5)  # reaped, so kaleido's close() sees it gone

    async def _stop(self) -> None:
        if self._kaleido is not None:
            with contextlib.suppress(Exception):
                await self._kaleido.close()
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.cancel()


def _figure_dict(figure: Any) -> dict:
    # Copy in the caller's thread, so a figure changed afterwards cannot change the image.
    return figure.to_dict() if hasattr(figure, "to_dict") else figure


def _opts(job: ImageJob) -> dict:
    if job.fmt not in FORMATS:
        raise ValueError(f"format {job.fmt!r} is not one of {FORMATS}")
    return {"format": job.fmt, "width": job.width, "height": job.height, "scale": job.scale}


def _check(response: dict) -> dict:
    if "error" in response:
        raise DevtoolsProtocolError(response)
    return response


async def _loaded(tab: Any) -> None:
    """Wait until the tab shows the navigated file and it has loaded."""
    expression = 'document.readyState === "complete" && location.protocol === "file:"'
    while True:
        response = _check(await tab.send_command("Runtime.evaluate", {"expression": expression}))
        if response["result"]["result"].get("value") is True:
            return
        await asyncio.sleep(0.05)


_lock = threading.Lock()
_instance: Renderer | None = None
_failure: tuple[float, str] | None = None  # (time.monotonic(), reason) of the last failed start


def renderer() -> Renderer:
    """The process-wide Renderer, started on first use; raises RenderUnavailable."""
    global _instance, _failure
    if reason := _missing(browser_path()):
        raise RenderUnavailable(reason)
    with _lock:
        if _instance is not None:
            if _instance.usable:
                return _instance
            _instance.close()
            _instance = None
        if _failure is not None and time.monotonic() - _failure[0] < RETRY_AFTER:
            raise RenderUnavailable(_failure[1])
        try:
            _instance = Renderer()
            atexit.register(shutdown)  # once per start; shutdown of a closed one is a no-op
        except RenderUnavailable as error:
            _failure = (time.monotonic(), error.reason)
            raise
        _failure = None
        return _instance


def unavailable_reason() -> str | None:
    """None when images can be made, else the Dutch reason why not (starts the browser)."""
    try:
        renderer()
    except RenderUnavailable as error:
        return str(error)
    return None


def known_problem() -> str | None:
    """Why images cannot be made, as far as known without waiting: the browser is missing,
    or its last start failed (within RETRY_AFTER); None otherwise. Starts nothing: the
    browser starts on the first image asked for (renderer()), not while a page is drawn. A
    start in the background took both cores from the first page (2,5 s of its 7,5 s here)."""
    if reason := _missing(browser_path()):
        return str(RenderUnavailable(reason))
    failure = _failure
    if failure is not None and time.monotonic() - failure[0] < RETRY_AFTER:
        return str(RenderUnavailable(failure[1]))
    return None


def shutdown() -> None:
    """Close the process-wide browser, if any; the next renderer() starts a new one."""
    global _instance
    with _lock:
        instance, _instance = _instance, None
    if instance is not None:
        instance.close()
