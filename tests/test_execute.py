"""Executors: results in input order, tools loaded once per worker, no batch lost with a worker."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import cloudpickle
import pytest
from typer.testing import CliRunner

from recoupe.cli import app
from recoupe.execute import SerialExecutor, default_workers, open_executor
from recoupe.settings import Settings

# Dask workers are other processes: they get this module's functions by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@dataclass(frozen=True)
class FakeTools:
    pid: int


def _load_fake_tools(log: Path, settings: Settings) -> FakeTools:
    with log.open("a", encoding="utf-8") as out:
        out.write(f"{os.getpid()}\n")
    return FakeTools(os.getpid())


def _square(tools: FakeTools, item: int) -> tuple[int, int, int]:
    return item * item, tools.pid, os.getpid()


def _die_once(marker: Path, tools: FakeTools, item: int) -> tuple[int, int, int]:
    if item == 3:
        try:
            marker.touch(exist_ok=False)
        except FileExistsError:
            pass
        else:
            os._exit(1)  # the worker process dies mid-task, as on an out-of-memory kill
    return _square(tools, item)


def test_execute_serial_runs_in_order_with_its_tools():
    tools = FakeTools(os.getpid())
    assert list(SerialExecutor(tools).map(_square, range(4))) == [(i * i, os.getpid(), os.getpid()) for i in range(4)]


def test_execute_one_worker_runs_in_this_process():
    with open_executor(FakeTools(1), Settings(), workers=1) as executor:
        assert isinstance(executor, SerialExecutor)
    assert default_workers() >= 1


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from recoupe.execute.cluster import dask_executor

    log = tmp_path_factory.mktemp("loads") / "loads.txt"
    with dask_executor(Settings(), workers=2, load=functools.partial(_load_fake_tools, log)) as executor:
        yield executor, log


def test_execute_dask_yields_in_input_order_from_worker_processes(cluster):
    executor, _ = cluster
    results = list(executor.map(_square, range(20)))
    assert [r[0] for r in results] == [i * i for i in range(20)]
    assert all(pid != os.getpid() for _, _, pid in results)


def test_execute_dask_workers_load_their_tools_once(cluster):
    executor, log = cluster
    results = list(executor.map(_square, range(20)))
    loads = log.read_text(encoding="utf-8").split()
    assert len(loads) == len(set(loads))  # never twice in one worker
    assert all(tools_pid == worker_pid for _, tools_pid, worker_pid in results)  # each worker uses its own
    assert {str(worker_pid) for _, _, worker_pid in results} <= set(loads)


def test_execute_dask_redoes_the_batch_of_a_worker_that_died(cluster, tmp_path):
    executor, log = cluster
    marker = tmp_path / "died"
    results = list(executor.map(functools.partial(_die_once, marker), range(8)))
    assert marker.exists()
    assert [r[0] for r in results] == [i * i for i in range(8)]
    assert all(tools_pid == worker_pid for _, tools_pid, worker_pid in results)


def test_execute_local_cluster_keeps_dask_info_lines_out_of_the_terminal(caplog, tmp_path):
    from recoupe.execute.cluster import dask_executor

    caplog.set_level(logging.INFO)  # the root lets INFO through: only Dask's own level can hold its lines back
    caplog.set_level(logging.INFO, logger="recoupe")  # not DEBUG, as an earlier `--debug` CLI test left it
    with dask_executor(Settings(), workers=1, load=functools.partial(_load_fake_tools, tmp_path / "loads.txt")) as executor:
        assert [r[0] for r in executor.map(_square, range(3))] == [0, 1, 4]
    # INFO lines only: a DEBUG line of the in-process scheduler ("Client ... releases keys") once passed here in a
    # whole-suite run although `distributed` was at WARNING, and could not be reproduced alone.
    chatter = [r.getMessage() for r in caplog.records if r.name.startswith("distributed") and r.levelno == logging.INFO]
    assert chatter == []


RUNNER = CliRunner()


@pytest.mark.model
def test_execute_two_workers_and_postgresql_export_what_one_process_and_sqlite_do(seeds_dir, dev_dir, postgres_url, tmp_path):
    sources = [str(seeds_dir / "articles"), str(dev_dir / "articles")]
    exports = {}
    for name, db, workers in [
        ("serial-sqlite", str(tmp_path / "serial.sqlite"), "1"),
        ("dask-sqlite", str(tmp_path / "dask.sqlite"), "2"),
        ("dask-postgresql", postgres_url, "2"),
    ]:
        result = RUNNER.invoke(app, ["ingest", *sources, "--db", db, "--workers", workers])
        assert result.exit_code == 0, result.output
        exported = RUNNER.invoke(app, ["export", "--db", db, "--format", "json"])
        assert exported.exit_code == 0, exported.output
        exports[name] = json.loads(exported.stdout)
    assert len(exports["serial-sqlite"]["documents"]) == 60
    assert exports["dask-sqlite"] == exports["serial-sqlite"]
    assert exports["dask-postgresql"] == exports["serial-sqlite"]


ARTICLE = """Crue : Sommières évacue ses quais
 date 2024-10-15

Le Vidourle est sorti de son lit mardi à Sommières, dans le Gard. La préfecture a annoncé l'évacuation de 120 habitants.
« L'eau monte encore », a déclaré le maire, Pierre Fabre.
"""


@pytest.mark.model
def test_execute_cli_analyses_on_an_existing_scheduler(tmp_path):
    from distributed import LocalCluster

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "crue.txt").write_text(ARTICLE, encoding="utf-8")
    exports = []
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        for name, option in [("serial", ["--workers", "1"]), ("cluster", ["--scheduler", cluster.scheduler_address])]:
            db = str(tmp_path / f"{name}.sqlite")
            result = RUNNER.invoke(app, ["ingest", str(tmp_path / "articles"), "--db", db, *option])
            assert result.exit_code == 0, result.output
            exports.append(json.loads(RUNNER.invoke(app, ["export", "--db", db]).stdout))
        assert cluster.scheduler.status.name == "running"  # the CLI leaves a cluster it did not start
    assert exports[0] == exports[1]
    assert exports[0]["claims"]
