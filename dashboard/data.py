"""Cached access to the query layer, keyed by the loaded version: a new load shows at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from einclusie.figures import queries, status, values
from einclusie.figures.db import current_version

T = TypeVar("T")

# Only these functions may be called through the cache (looked up by module and name).
_MODULES = {"values": values, "queries": queries, "status": status}


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(version: str, module: str, name: str, args: tuple, kwargs: tuple) -> Any:
    return getattr(_MODULES[module], name)(*args, **dict(kwargs))


def version() -> str:
    """The folder of the last complete load; part of every cache key."""
    return str(current_version())


def get(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Call a query function through Streamlit's cache (results are small frames)."""
    module = function.__module__.rsplit(".", 1)[-1]
    if _MODULES.get(module) is None or getattr(_MODULES[module], function.__name__) is not function:
        raise ValueError(f"{function.__module__}.{function.__name__} is not a query function")
    return _cached(version(), module, function.__name__, args, tuple(sorted(kwargs.items())))
