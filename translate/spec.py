"""Which model serves a locale, as a plain value: loaded here, or by a cluster worker from the same path."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tilmash.translate.ct2_multilingual import MultilingualModel
from tilmash.translate.engine import Engine, RuntimeOptions


@dataclass(frozen=True, slots=True)
class EngineSpec:
    """Everything needed to load one engine: picklable, hashable (a worker keeps one engine per spec).

    `path` must be readable where the engine is loaded: on every worker of a cluster too.
    """

    kind: Literal["argos", "ct2"]
    path: str  # the Argos package directory, or the CTranslate2 model directory
    locale: str
    options: RuntimeOptions
    provenance: str
    model: MultilingualModel | None = field(default=None, compare=False)  # for ct2

    def load(self) -> Engine:
        if self.kind == "argos":
            from argostranslate.package import Package

            from tilmash.translate.argos import ArgosEngine

            return ArgosEngine(Package(Path(self.path)), self.options)
        from tilmash.translate.ct2_multilingual import MultilingualEngine

        assert self.model is not None
        return MultilingualEngine(self.model, self.locale, self.options)


def argos_spec(package: object, locale: str, options: RuntimeOptions) -> EngineSpec:
    from tilmash.translate.argos import argos_provenance

    return EngineSpec("argos", str(package.package_path), locale, options, argos_provenance(package))  # type: ignore[attr-defined]


def ct2_spec(model: MultilingualModel, locale: str, options: RuntimeOptions) -> EngineSpec:
    from tilmash.translate.ct2_multilingual import ct2_provenance

    return EngineSpec("ct2", model.path, locale, options, ct2_provenance(model, locale), model)
