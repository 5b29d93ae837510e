"""The PowerPoint writer: plan an episode's slides, then render them with python-pptx.

`Decks` (writer.py) is what the build pipeline runs; `write_deck` makes one deck. The names
below are imported on first use, so that the pipeline can name the writer without loading
python-pptx in a process that builds no deck.
"""
from importlib import import_module

_EXPORTS = {"DeckResult": ".deck", "write_deck": ".deck", "Options": ".options",
            "plan_deck": ".plan", "Decks": ".writer"}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = list(_EXPORTS)
