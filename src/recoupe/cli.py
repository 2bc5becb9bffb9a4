"""Command line: parse arguments, load tools once, call the pipeline, print."""

from __future__ import annotations

import logging
import sys
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from recoupe.errors import RecoupeError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Recoupe: cross-check the news.")
# Soft wrap: a long path in a message stays on one line (copyable, greppable).
console = Console(stderr=True, soft_wrap=True)

DEFAULT_DB = "recoupe.sqlite"
DbOption = Annotated[
    str, typer.Option("--db", help="Store: a SQLite file (sqlite:///path or a path) or postgresql://user:password@host:port/database.")
]


WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Analysis processes (a local Dask cluster); 1 runs in this process. Default: one per core."),
]
SchedulerOption = Annotated[
    str | None, typer.Option("--scheduler", help="Address of an existing Dask scheduler (tcp://host:8786) to analyse on.")
]


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursive) or URLs.")],
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path, typer.Option("--out", help="Directory for the HTML report and exports.")] = Path("out"),
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Ingest, clean, analyse, group into events, compare claims, store; then write the report and exports."""
    _run_pipeline(paths, db, out, workers, scheduler)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursive) or URLs.")],
    db: DbOption = DEFAULT_DB,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Same as run, without writing the report: fill the store."""
    _run_pipeline(paths, db, None, workers, scheduler)


def _run_pipeline(paths: list[str], db: str, out: Path | None, workers: int | None, scheduler: str | None) -> None:
    from recoupe.api import load_tools, open_store, write_outputs
    from recoupe.execute import open_executor
    from recoupe.pipeline import run as run_pipeline
    from recoupe.settings import Settings

    settings = Settings()
    with console.status("Loading language models…"):
        tools = load_tools(settings)
    with ExitStack() as stack:
        store = stack.enter_context(closing(open_store(db)))
        with console.status("Starting analysis workers…"):
            executor = stack.enter_context(open_executor(tools, settings, workers, scheduler))
        with _progress() as bar:
            report = run_pipeline(paths, tools=tools, store=store, settings=settings, progress=bar, executor=executor)
        if out is not None:
            report.outputs.extend(str(p) for p in write_outputs(store.load(), out))
    _print_report(report)


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    format: Annotated[str, typer.Option("--format", help="json, csv (ACLED-like) or geojson.")] = "json",
    output: Annotated[Path | None, typer.Option("--output", help="File to write; standard output by default.")] = None,
) -> None:
    """Export the store as JSON (documented schema), ACLED-like CSV or GeoJSON."""
    from recoupe.api import EXPORT_FORMATS, export_text, open_store

    if format not in EXPORT_FORMATS:
        _fail(f"--format must be one of {', '.join(EXPORT_FORMATS)}, got {format!r}")
    if not Path(db).exists() and "://" not in db:
        _fail(f"{db}: no such store")
    with closing(open_store(db)) as store:
        text = export_text(store.load(), format)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}")


@app.command("eval")
def evaluate(path: Annotated[Path, typer.Argument(help="A corpus folder with gold.json (seeds) or labels.json (dev).")]) -> None:
    """Run the pipeline on a gold corpus in memory and print the scores."""
    from recoupe.api import load_tools
    from recoupe.evaluate.run import evaluate_corpus
    from recoupe.settings import Settings

    settings = Settings()
    with console.status("Loading language models…"):
        tools = load_tools(settings)
    scores = evaluate_corpus(path, tools=tools, settings=settings)
    for line in scores.lines():
        typer.echo(line)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    token: Annotated[str | None, typer.Option("--token", help="Require this bearer token (use it when exposed).")] = None,
) -> None:
    """Web UI and JSON API over the store."""
    import uvicorn

    from recoupe.api import open_store
    from recoupe.web.app import create_app

    store = open_store(db)
    uvicorn.run(create_app(store, token=token), host=host, port=port)


def _progress() -> _RichProgress:
    return _RichProgress()


class _RichProgress:
    """Adapts the pipeline's (stage, done) callback to rich progress bars."""

    def __enter__(self) -> _RichProgress:
        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
        )
        self._bar.__enter__()
        self._tasks: dict[str, int] = {}
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)

    def __call__(self, stage: str, done: int) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=None)
        self._bar.advance(self._tasks[stage], done)


def _print_report(report) -> None:
    for failure in report.failures:
        console.print(f"[red]error[/red] {failure.source}: {failure.reason}")
    console.print(
        f"stored {report.stored} new documents ({report.skipped} already stored, {len(report.failures)} failed); "
        f"{report.copies} copies, {report.events} events, {report.contradictions} contradictions"
    )
    for output in report.outputs:
        console.print(f"wrote {output}")


def _fail(message: str) -> None:
    console.print(f"[red]error[/red] {message}")
    raise typer.Exit(2)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        app()
    except RecoupeError as error:
        _fail(str(error))


if __name__ == "__main__":
    main()
