"""`python -m slidegen` and the `slidegen` command: the CLI, then a quick exit."""
from __future__ import annotations

import atexit
import contextlib
import os
import sys

from .cli import main


def run() -> None:
    """Run the CLI, then end the process without tearing the interpreter down object by object
    (a seventh of a rebuild with nothing to do, 25 ms; 40 ms after a cold build). What is
    registered to run at exit still runs (the handout's font folders are removed), and the
    output streams are flushed first. An error that escapes the CLI ends the usual way."""
    try:
        main()                  # (click ends with sys.exit, whatever the command did)
        code: object = 0
    except SystemExit as e:
        code = e.code
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")      # as Python reports sys.exit("message")
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):      # (a closed pipe: nothing more to say)
            stream.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    run()
