"""The Python API: what the CLI and the web app call, usable as it is from code.

    import recoupe
    settings = recoupe.Settings()
    tools = recoupe.load_tools(settings)
    with contextlib.closing(recoupe.open_store("news.sqlite")) as store:
        report = recoupe.run(["articles/"], tools=tools, store=store, settings=settings)
        recoupe.write_outputs(store.load(), Path("out"))
"""

from __future__ import annotations

import json
from pathlib import Path

from recoupe.model import Corpus
from recoupe.pipeline import Tools
from recoupe.settings import Settings, validate
from recoupe.store import open_store

EXPORT_FORMATS = ("json", "csv", "geojson")


def load_tools(settings: Settings, languages: tuple[str, ...] | None = None) -> Tools:
    """Load every model and resource once: language data, spaCy pipelines, gazetteer, language detector.

    `languages`: every folder of `lang/` by default (a blank-pipeline language costs
    a tokenizer); the detector tells only these apart."""
    from recoupe.clean import build_language_detector
    from recoupe.lang import load_language, supported_languages
    from recoupe.nlp import load_pipelines
    from recoupe.nlp.analyse import Toolkit
    from recoupe.nlp.places import Gazetteer

    validate(settings)
    # The default language first: merged data (places, agencies) takes its entries first.
    codes = languages or sorted(supported_languages(), key=lambda code: code != settings.language)
    resources = {code: load_language(code) for code in codes}
    toolkit = Toolkit(
        languages=resources,
        pipelines=load_pipelines(resources),
        gazetteer=Gazetteer.load(*resources.values()),  # every language's country names and areas
        default_language=settings.language,
    )
    return Tools(toolkit=toolkit, detector=build_language_detector(tuple(resources)))


def export_text(corpus: Corpus, format: str) -> str:
    """The corpus in one export format, as text."""
    from recoupe.export.acled_csv import export_acled_csv
    from recoupe.export.geojson import export_geojson
    from recoupe.export.json import export_json

    if format == "json":
        return json.dumps(export_json(corpus), ensure_ascii=False, indent=2)
    if format == "csv":
        return export_acled_csv(corpus)
    if format == "geojson":
        return json.dumps(export_geojson(corpus), ensure_ascii=False, indent=2)
    from recoupe.errors import ConfigError

    raise ConfigError(f"export format must be one of {list(EXPORT_FORMATS)}, got {format!r}")


def write_outputs(corpus: Corpus, out_dir: Path) -> list[Path]:
    """The HTML report and every export, written into `out_dir`."""
    from recoupe.report.html import write_report

    out_dir.mkdir(parents=True, exist_ok=True)
    written = [write_report(corpus, out_dir)]
    for format, name in (("json", "recoupe.json"), ("csv", "events.csv"), ("geojson", "places.geojson")):
        path = out_dir / name
        path.write_text(export_text(corpus, format), encoding="utf-8")
        written.append(path)
    return written


__all__ = ["EXPORT_FORMATS", "export_text", "load_tools", "open_store", "write_outputs"]
