"""Command line: parse arguments, check inputs and the store, load tools once, call the pipeline, print.

Exit status: 0 when every input was stored, 1 when some failed (each named on
one line), 2 when the command could not run (bad option, setting or store).
Tracebacks are shown only with --debug.
"""

from __future__ import annotations

import logging
import os
import sys
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Iterator

import typer
import typer.core
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from recoupe.errors import ConfigError, RecoupeError

# Typer prints a Python type tag (<list[str]>, <bool>) beside every parameter;
# the metavars below say what a value is, flags need nothing.
typer.core._TyperParameter.display_type = lambda self, ctx: None  # type: ignore[method-assign]

app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="Recoupe: cross-check the news."
)
# Soft wrap: a long path in a message stays on one line (copyable, greppable).
console = Console(stderr=True, soft_wrap=True, highlight=False)

DEFAULT_DB = "recoupe.sqlite"
EXIT_FAILED_INPUTS = 1
EXIT_CANNOT_RUN = 2
# Libraries that log per page what Recoupe already reports (trafilatura: "discarding data: None").
QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer")


@dataclass(slots=True)
class _Options:
    """Global options, set by the callback; main() reads `debug` to decide on tracebacks."""

    debug: bool = False
    config: Path | None = None


OPTIONS = _Options()

DbOption = Annotated[
    str, typer.Option(
        "--db", envvar="RECOUPE_DB", metavar="STORE",
        help="Store: a SQLite file (sqlite:///path or a path) or postgresql://user:password@host:port/database.",
    )
]
PathsArgument = Annotated[list[str], typer.Argument(metavar="PATH...", help="Files, folders (recursive) or URLs.")]
IncludeOption = Annotated[
    list[str] | None,
    typer.Option("--include", metavar="GLOB", help="Read only files of input folders matching this glob (repeatable)."),
]
ExcludeOption = Annotated[
    list[str] | None, typer.Option("--exclude", metavar="GLOB", help="Leave out files matching this glob (repeatable).")
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, metavar="N", help="Analysis processes (a local Dask cluster); 1 runs in this process. Default: one per core."),
]
SchedulerOption = Annotated[
    str | None, typer.Option("--scheduler", metavar="ADDRESS", help="Address of an existing Dask scheduler (tcp://host:8786) to analyse on.")
]
FollowLinksOption = Annotated[
    bool, typer.Option("--follow-links", help="Follow symlinks that point outside the input folders.")
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"recoupe {version('recoupe')}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Log details and show tracebacks.")] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", envvar="RECOUPE_CONFIG", metavar="FILE", help="Settings file (default: ./recoupe.toml)."),
    ] = None,
) -> None:
    """Recoupe: cross-check the news."""
    OPTIONS.debug = debug
    OPTIONS.config = config
    _configure_logging(debug)


WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Analysis processes (a local Dask cluster); 1 runs in this process. Default: one per core."),
]
SchedulerOption = Annotated[
    str | None, typer.Option("--scheduler", help="Address of an existing Dask scheduler (tcp://host:8786) to analyse on.")
]


@app.command()
def run(
    paths: PathsArgument,
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder for the HTML report and exports.")] = Path("out"),
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    follow_links: FollowLinksOption = False,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Ingest, clean, analyse, group into events, compare claims, store; then write the report and exports."""
    _run_pipeline(paths, db, out, include, exclude, follow_links, workers, scheduler)


@app.command()
def ingest(
    paths: PathsArgument,
    db: DbOption = DEFAULT_DB,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    follow_links: FollowLinksOption = False,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Same as run, without writing the report: fill the store."""
    _run_pipeline(paths, db, None, include, exclude, follow_links, workers, scheduler)


def _run_pipeline(
    paths: list[str], db: str, out: Path | None, include: list[str] | None, exclude: list[str] | None, follow_links: bool,
    workers: int | None, scheduler: str | None,
) -> None:
    with _handled():
        settings = _settings()
        ingest_settings = replace(
            settings.ingest,
            include=tuple(include) if include else settings.ingest.include,
            exclude=settings.ingest.exclude + tuple(exclude or ()),
            follow_links=follow_links or settings.ingest.follow_links,
        )
        settings = replace(settings, ingest=ingest_settings)
        _check_inputs(paths)
        if out is not None and out.exists() and not out.is_dir():
            raise ConfigError(f"--out {_printable(str(out))}: exists and is not a folder")
        from recoupe.api import load_tools, write_outputs
        from recoupe.execute import open_executor
        from recoupe.pipeline import run as run_pipeline

        with ExitStack() as stack:
            store = stack.enter_context(closing(_open_store(db, create=True)))
            with console.status("Loading language models…"):
                tools = load_tools(settings)
            with console.status("Starting analysis workers…"):
                executor = stack.enter_context(open_executor(tools, settings, workers, scheduler))
            with _RichProgress() as bar:
                report = run_pipeline(
                    paths, tools=tools, store=store, settings=settings, progress=bar, executor=executor,
                    on_wait=lambda line: console.print(line),
                )
            _print_report(report)
            if out is not None:
                try:
                    written = write_outputs(store.load(), out)
                except OSError as error:
                    raise ConfigError(f"cannot write the report into {_printable(str(out))}: {error.strerror or error}") from None
                for path in written:
                    console.print(f"wrote {_printable(str(path))}")
    if report.failures:
        raise typer.Exit(EXIT_FAILED_INPUTS)


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    format: Annotated[str, typer.Option("--format", metavar="FORMAT", help="json, csv (ACLED-like) or geojson.")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", metavar="FILE", help="File to write; standard output by default.")
    ] = None,
) -> None:
    """Export the store as JSON (documented schema), ACLED-like CSV or GeoJSON."""
    with _handled():
        from recoupe.api import EXPORT_FORMATS, export_text

        if format not in EXPORT_FORMATS:
            raise ConfigError(f"--format must be one of {', '.join(EXPORT_FORMATS)}, got {format!r}")
        with closing(_open_store(db, create=False)) as store:
            text = export_text(store.load(), format)
        if output is None:
            sys.stdout.write(text)
        else:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as error:
                raise ConfigError(f"cannot write {_printable(str(output))}: {error.strerror or error}") from None
            console.print(f"wrote {_printable(str(output))}")


@app.command("eval")
def evaluate(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="CORPUS...", help="Corpus folders with gold.json (seeds) or labels.json (dev, dev2)."),
    ],
) -> None:
    """Run the pipeline on gold corpora in memory and print the scores.

    One corpus: every stage's scores. Several labelled corpora: the cross-corpus
    table, each corpus scored with the event model fitted on the others, from
    the text alone, with crawl URL and outlet, and in random arrival orders."""
    with _handled():
        settings = _settings()
        tools = _corpus_tools(paths, settings)
        if len(paths) == 1:
            from recoupe.evaluate.run import evaluate_corpus

            lines = evaluate_corpus(paths[0], tools=tools, settings=settings).lines()
        else:
            from recoupe.evaluate.protocol import evaluate_across

            lines = evaluate_across(paths, tools=tools, settings=settings).lines()
    for line in lines:
        typer.echo(line)


fit_app = typer.Typer(no_args_is_help=True, help="Refit the models shipped in recoupe/models from labelled corpora.")
app.add_typer(fit_app, name="fit")


@fit_app.command("events")
def fit_events(
    paths: Annotated[list[Path], typer.Argument(help="Labelled corpus folders (labels.json beside articles/).")],
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the model files; recoupe/models by default.")] = None,
) -> None:
    """Fit the same-event pair model on all the corpora (what `recoupe run` uses) and on each alone (for `recoupe eval`)."""
    with _handled():
        settings = _settings()
        tools = _corpus_tools(paths, settings)
        from recoupe.evaluate.fit import fit_all

        for path, model in fit_all(paths, tools=tools, settings=settings, out=out):
            console.print(
                f"wrote {_printable(str(path))}: {model.pairs} pairs, fitted on {', '.join(model.fitted_on)}, "
                f"threshold {model.threshold}"
            )


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(metavar="ADDRESS", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token", envvar="RECOUPE_TOKEN", metavar="TOKEN", show_envvar=True,
            help="Require this bearer token; needed beyond localhost. Prefer the variable: a flag shows in ps.",
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", metavar="NAME", help="Also accept requests for this Host name (repeatable)."),
    ] = None,
) -> None:
    """Web UI and JSON API over the store."""
    with _handled():
        from recoupe.web.app import allowed_hosts, create_app, is_loopback

        if not is_loopback(host) and not token:
            raise ConfigError(
                f"--host {host} exposes the store beyond this machine: set a token (RECOUPE_TOKEN=... or --token)"
            )
        store = _open_store(db, create=False)
        hosts = allowed_hosts(host, port, allow_host or ())
        import uvicorn

        console.print(f"serving {_printable(db)} on http://{host}:{port}/" + (" (token required)" if token else ""))
        try:
            uvicorn.run(
                create_app(store, token=token, allowed_hosts=hosts), host=host, port=port, access_log=False,
                log_level="warning",
            )
        finally:
            store.close()


def _corpus_tools(paths: list[Path], settings):
    """Labelled corpus folders checked before the models load (a typo costs no wait), then the tools."""
    for path in paths:
        if not path.is_dir():
            raise ConfigError(f"{_printable(str(path))}: no such corpus folder")
    from recoupe.api import load_tools

    with console.status("Loading language models…"):
        return load_tools(settings)


def _settings():
    from recoupe.config import load_settings

    return load_settings(OPTIONS.config)


def _check_inputs(paths: list[str]) -> None:
    """Every named file or folder exists: a typo stops the run before the models load."""
    missing = [p for p in paths if "://" not in p and not os.path.lexists(p)]
    if missing:
        raise ConfigError(f"{_printable(missing[0])}: no such file or folder" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))


def _open_store(db: str, *, create: bool):
    """Open the store, refusing to create one by accident: a missing folder, or a missing store to read."""
    from recoupe.api import open_store

    if "://" not in db or db.startswith("sqlite:///"):
        path = Path(db[len("sqlite:///") :] if db.startswith("sqlite:///") else db).expanduser()
        if path.is_dir():
            raise ConfigError(f"--db {_printable(db)}: is a folder, not a store file")
        if not create and not path.exists():
            raise ConfigError(f"{_printable(db)}: no such store")
        if create and not path.parent.is_dir():
            raise ConfigError(f"--db {_printable(db)}: folder {_printable(str(path.parent))} does not exist")
    return open_store(db)


@contextmanager
def _handled() -> Iterator[None]:
    """A RecoupeError or an unexpected error is one line on stderr and exit status 2 (a traceback with --debug)."""
    try:
        yield
    except typer.Exit:
        raise
    except RecoupeError as error:
        if OPTIONS.debug:
            raise
        _fail(str(error))
    except KeyboardInterrupt:
        console.print("interrupted: what was stored stays stored; run again to finish")
        raise typer.Exit(130) from None
    except Exception as error:  # noqa: BLE001 - the last line of defence: no traceback without --debug
        if OPTIONS.debug:
            raise
        _fail(f"unexpected {type(error).__name__}: {_printable(str(error))} (--debug shows the traceback)")


class _RichProgress:
    """Adapts the pipeline's (stage, done, total) callback to rich progress bars."""

    def __enter__(self) -> _RichProgress:
        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, disable=not console.is_terminal,  # bars are for people: none in logs
        )
        self._bar.__enter__()
        self._tasks: dict[str, int] = {}
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=total)
        elif total is not None:
            self._bar.update(self._tasks[stage], total=total)
        self._bar.advance(self._tasks[stage], done)


def _print_report(report) -> None:
    for skipped in report.left_out:
        console.print(f"[yellow]skipped[/yellow] {_escape(skipped.source)}: {_escape(skipped.reason)}")
    for failure in report.failures:
        console.print(f"[red]error[/red] {_escape(failure.source)}: {_escape(failure.reason)}")
    left_out = f", {_count(len(report.left_out), 'file')} left out" if report.left_out else ""
    console.print(
        f"new: {_count(report.stored, 'document')} stored ({report.skipped} already stored, "
        f"{len(report.failures)} failed{left_out}), {_count(report.copies, 'copy link')}"
    )
    console.print(
        f"in the store: {_count(report.documents, 'document')}, {_count(report.events, 'event')}, "
        f"{_count(report.claims, 'claim')}, {_count(report.contradictions, 'contradiction')}"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _printable(text: str) -> str:
    """Control characters shown as escapes: a file name with a newline cannot forge a second line."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(_printable(text))


def _fail(message: str) -> None:
    console.print(f"[red]error[/red] {_escape(message)}")
    raise typer.Exit(EXIT_CANNOT_RUN)


def _configure_logging(debug: bool) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", force=True)
    logging.getLogger("recoupe").setLevel(logging.DEBUG if debug else logging.WARNING)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.CRITICAL)


def main() -> None:
    try:
        app()
    except Exception as error:  # noqa: BLE001 - errors outside a command (Typer itself)
        if OPTIONS.debug:
            raise
        console.print(f"[red]error[/red] unexpected {type(error).__name__}: {_escape(str(error))} (--debug shows the traceback)")
        sys.exit(EXIT_CANNOT_RUN)


if __name__ == "__main__":
    main()
