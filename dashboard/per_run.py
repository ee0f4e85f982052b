"""Work done once per script run, however often a run asks (who is looking, for example)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

T = TypeVar("T")


def once_per_run(function: Callable[[], T]) -> Callable[[], T]:
    """`function()` worked out at its first call in a run and reused for the rest of it.

    A run is told apart by its ScriptRunContext's `cursors`: Streamlit (1.67, pinned) gives
    every run (and every fragment's run) a new dict there when it starts (`ctx.reset`). The
    memo holds that dict itself, so its id is never reused for a later run. Outside a run
    (tests, the command line) nothing is kept. An exception is not kept either.
    """
    local = threading.local()  # one script thread per session: no session sees another's

    @functools.wraps(function)
    def once() -> T:
        ctx = get_script_run_ctx(suppress_warning=True)
        if ctx is None:
            return function()
        memo = getattr(local, "memo", None)
        if memo is not None and memo[0] is ctx.cursors:
            return memo[1]
        value = function()
        local.memo = (ctx.cursors, value)
        return value

    return once
