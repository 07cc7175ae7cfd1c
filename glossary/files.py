"""Reading a file the user named, safely: only a regular file, never more than a limit.

A path on the command line can be a FIFO (a read blocks forever), a device (`/dev/zero` never
ends) or a file far larger than anything newsalign reads. `read_limited` opens without
blocking, checks the opened file is regular and reads at most `limit` bytes, so every such
input fails at once in one line. It lives in glossary, the bottom layer, for the reason the
errors do: glossary, translate and corpus all read user files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from newsalign.glossary.errors import NewsalignError

MIB = 1024 * 1024


def read_limited(
    path: Path | str,
    limit: int,
    *,
    what: str | None = "file",
    error: type[Exception] = NewsalignError,
    too_big: str | None = None,
) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes; else `error` in one line
    (missing, unreadable, a pipe or device, too large). Messages name `what` and the path,
    or neither when `what` is None (the caller names the file); `too_big` replaces the
    message for a file over the limit."""
    label = f"{what} {path}: " if what else ""
    unreadable = f"cannot read {what} {path}: " if what else ""
    oversized = too_big or f"larger than {limit / MIB:g} MB, the limit"
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not wait for one.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise error(f"{unreadable}{exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{label}not a regular file (a pipe, device or socket), not read")
        if info.st_size > limit:
            raise error(f"{label}{oversized}")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)  # a file may grow between the stat and the read
    except OSError as exc:
        raise error(f"{unreadable}{exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise error(f"{label}{oversized}")
    return data
