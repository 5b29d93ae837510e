"""The build pipeline: decks, handouts and any other output for a whole lesson, incrementally,
in parallel and atomically, over writers that share one small interface (writer.py)."""
from .outputs import DEFAULT_OUT, OutputError
from .report import BuildReport, Interrupted, Listener
from .runner import BuildOptions, build

__all__ = ["BuildOptions", "BuildReport", "DEFAULT_OUT", "Interrupted", "Listener", "OutputError",
           "build"]
