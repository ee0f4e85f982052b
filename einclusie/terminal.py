"""Progress bars on a terminal, for the load and for the figure commands."""

from __future__ import annotations

from types import TracebackType
from typing import TextIO


class FileProgress:
    """A one-line bar on a terminal; nothing when output goes to a file or pipe."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._live = stream.isatty()

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self._live or not total:
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        line = f"\r[{bar}] {done}/{total} {name}"
        self._stream.write(line[:110].ljust(110))
        self._stream.flush()

    def __enter__(self) -> FileProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._live:
            self._stream.write("\r" + " " * 110 + "\r")
            self._stream.flush()


class StepProgress(FileProgress):
    """The same bar for work measured as a fraction, with a text: `progress(0.4, "...")`."""

    def __call__(self, fraction: float, text: str) -> None:  # type: ignore[override]
        if not self._live:
            return
        filled = round(30 * fraction)
        line = f"\r[{'#' * filled}{'-' * (30 - filled)}] {100 * fraction:3.0f}% {text}"
        self._stream.write(line[:110].ljust(110))
        self._stream.flush()

    def clear(self) -> None:
        self.__exit__(None, None, None)
