"""The build: decks and handouts for a whole lesson, incrementally and in parallel."""
from .outputs import DEFAULT_OUT, OutputError
from .runner import BuildOptions, BuildReport, build

__all__ = ["BuildOptions", "BuildReport", "DEFAULT_OUT", "OutputError", "build"]
