"""Import a script of scripts/ as a module, for the scripts that reuse another one
(the benchmark runs the generator and the day splitter) and for their tests."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType


@functools.cache
def load_script(path: Path) -> ModuleType:
    """The module of `path`, executed once per process. It is registered in sys.modules
    before it runs: dataclasses look their module up while the script is executed."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
