"""Giving memory back to the operating system after a reload of the whole tree.

A reload (new settings, a changed environment) builds the new model while
the old one still answers requests, so for a while two models of the tree
live side by side (two Linux models: about 250 MB more). When the old one
is dropped, Python frees its objects, but the C allocator keeps most of the
freed pages: the hour-long soak of issue 13 saw the server's resident memory
step up by 20 to 230 MB at each reload and never come down, while the count
of live objects stayed flat (`bench/soak_server.py --census-at`). After a
reload, the server collects garbage once and asks glibc to return the free
pages at the top and inside its heaps (`malloc_trim`); elsewhere (another C
library) only the collection is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
from typing import Final

__all__ = ["release_freed_memory"]

_LOG: Final = logging.getLogger(__name__)


def release_freed_memory() -> bool:
    """Collect garbage, then return freed heap pages to the system; True if the C library could."""
    gc.collect()
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    released = bool(trim(0))
    _LOG.debug("malloc_trim released memory: %s", released)
    return True
