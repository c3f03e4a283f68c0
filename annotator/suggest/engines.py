"""The engines behind the suggestion layers, by layer name.

"rules" is the hand-written rule engine; a learned engine (issue 14) registers itself under
"learned" with `register_engine`. A layer named in a project's settings but not registered is
skipped (and reported by the batch command), so settings written by a newer version still work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.suggest.model import SuggestionEngine, settings_digest
from annotator.suggest.registry_index import RegistryIndex
from annotator.suggest.rules import RuleEngine

LAYERS = ("rules", "learned")
DEFAULT_LAYERS = ("rules",)

EngineFactory = Callable[[RegistryIndex | None], SuggestionEngine]
_FACTORIES: dict[str, EngineFactory] = {"rules": lambda registry: RuleEngine(registry)}


def register_engine(layer: str, factory: EngineFactory) -> None:
    """Make `layer` available to projects (the learned engine calls this)."""
    _FACTORIES[layer] = factory


def available_layers() -> tuple[str, ...]:
    return tuple(name for name in LAYERS if name in _FACTORIES) + tuple(
        sorted(name for name in _FACTORIES if name not in LAYERS)
    )


def make_engines(
    layers: tuple[str, ...] | list[str], registry: RegistryIndex | None = None
) -> tuple[list[SuggestionEngine], list[str]]:
    """Engines for `layers` (in order), and the layers that are not available."""
    engines, missing = [], []
    for layer in layers:
        factory = _FACTORIES.get(layer)
        if factory is None:
            missing.append(layer)
        else:
            engines.append(factory(registry))
    return engines, missing


def engine_key(engine: SuggestionEngine, settings: dict[str, Any] | None = None) -> str:
    """What a cached list was made by: name, version and settings. A different key means the
    cache is stale."""
    return f"{engine.name}:{engine.version}:{settings_digest(settings or {})}"
