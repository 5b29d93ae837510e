"""WeasyPrint's C libraries found by the names the dynamic loader knows (ldconfig's cache).

WeasyPrint asks for each of its libraries under several names, Windows' and macOS' first; on
Linux every name not found makes `ctypes.util.find_library` run a compiler and a linker, some
0.2 s of every build that lays pages out. While WeasyPrint's bindings load, a name is looked
up in ldconfig's cache only; on a system where that finds too little, they load again the
thorough way, as WeasyPrint alone would (its advice printed then, not before).
"""
from __future__ import annotations

import importlib.machinery
import sys

MODULE = "weasyprint.text.ffi"


def install() -> None:
    """Load WeasyPrint's bindings this way whenever they are first imported (Linux only)."""
    if sys.platform.startswith("linux") and MODULE not in sys.modules \
            and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


class _Finder:
    """A meta path finder (importlib.abc's, not imported: a rebuild with nothing to do needs
    none of it) for WeasyPrint's bindings alone."""

    def find_spec(self, name, path, target=None):
        if name != MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


class _Loader:
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        import ctypes.util

        quick = getattr(ctypes.util, "_findSoname_ldconfig", None)
        if quick is not None:
            thorough = ctypes.util.find_library
            ctypes.util.find_library = quick
            module.print = _quiet           # (WeasyPrint's advice when a library is missing)
            try:
                self.loader.exec_module(module)
                return
            except OSError:
                pass                        # not in ldconfig's cache: as WeasyPrint would
            finally:
                ctypes.util.find_library = thorough
                module.__dict__.pop("print", None)
        self.loader.exec_module(module)


def _quiet(*args, **kwargs) -> None:
    pass
