"""The projector's writer: a process of its own that decodes fetched messages and writes the read models.

The projector fetches from JetStream and the writer applies what it fetched, each on
its own core. One process is not enough: with the writing in a thread
(``asyncio.to_thread``), fetching, decoding and writing share one GIL and the projector
ran at 0.33-0.38x the raw fetch rate (``tests/bench/bus.py``, 5 rounds), below its
target of 0.5x; with this process, 0.60-0.74x. The writer is a ``ProcessPoolExecutor``
of one worker: calls run one at a time, in the order they were submitted, so the
projector submits the next batch before the one ahead of it is written.

In the worker, ``ReadModelWriter`` keeps where each read model must be when the next
batch comes. A batch finds every read model still there or further on (the web catches the
read models up to its own command, ``infra.catch_up``: what it wrote is skipped), or nothing
is written (``PositionMoved``: ``mrezha rebuild`` reset one). After any failure the writer refuses
every call but ``start``, since the batches submitted behind a failed one would
otherwise be written with a hole before them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from contract.envelope import decode_event
from infra.children import die_with_parent
from infra.sql import database_at
from projections.base import PositionMoved, Projection, apply_batch, ensure_tables, positions
from projections.catalog import all_projections
from projections.sql import Database

Wire = tuple[int, str, str, str, bytes]  # what decoding needs of a message: id, type, actor, actor's centre, body


class ReadModelWriter:
    """Writes the read models in the worker process; testable without the process around it."""

    def __init__(self, db: Database, projections: tuple[Projection, ...]) -> None:
        self.db = db
        self.projections = projections
        self.done: dict[str, int] | None = None  # where each read model must be; None until started
        self.written_since_checkpoint = False

    def start(self) -> dict[str, int]:
        """Make the tables (when their definitions changed, afresh); where each read model is."""
        for projection in self.projections:
            ensure_tables(self.db, projection)
        self.done = self._positions()
        return self.done

    def write(self, messages: list[Wire]) -> dict[str, int]:
        """Decode the messages and apply them to every read model; the new positions. What every read model
        already holds (the web projected its own commands) is neither decoded nor written again."""
        done = self._started()
        self.done = None  # until this batch is written, nothing behind it may be
        now = self._positions()
        last = messages[-1][0] if messages else 0
        behind = [p for p in self.projections if now[p.name] < last or now[p.name] < done[p.name]]
        if behind:
            lowest = min(min(now[p.name], done[p.name]) for p in behind)
            batch = [decode_event(*message) for message in messages if message[0] > lowest]
            now |= {p.name: apply_batch(self.db, p, batch, expected=done[p.name]) for p in behind}
            self.written_since_checkpoint = True
        self.done = now
        return now

    def idle(self) -> dict[str, int]:
        """The stream is quiet: ``PositionMoved`` when a read model was reset (a read model further on was
        caught up by the web); otherwise the log written in a catch-up goes back into the file."""
        done = self._started()
        now = self._positions()
        moved = [name for name in now if now[name] < done.get(name, 0)]
        if moved:
            self.done = None
            raise PositionMoved(f"{moved[0]} is at {now[moved[0]]}, not at {done.get(moved[0])}")
        self.done = now
        if self.written_since_checkpoint:
            self.db.checkpoint()
            self.written_since_checkpoint = False
        return now

    def _started(self) -> dict[str, int]:
        if self.done is None:
            raise NotStarted("the writer is waiting to start again after a failed batch")
        return self.done

    def _positions(self) -> dict[str, int]:
        return positions(self.db, [p.name for p in self.projections])


class NotStarted(Exception):
    """A call came before ``start``, or after a failure and before the next ``start``."""


class WriterProcess:
    """The writer as the projector holds it: a pool of one process, made anew when it died."""

    def __init__(self, database_url: str, projections: tuple[str, ...]) -> None:
        self.database_url = database_url
        self.projections = projections
        self.pool: ProcessPoolExecutor | None = None

    async def start(self) -> dict[str, int]:
        """Start the process unless it runs; where each read model is."""
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),  # a fresh interpreter, as ``python -m`` gives
                initializer=_open_writer,
                initargs=(self.database_url, self.projections, os.getpid()),
            )
        return await self._call(_start)

    def write(self, messages: list[Wire]) -> asyncio.Future[dict[str, int]]:
        """Submit a batch; the future holds the positions once it is written."""
        return asyncio.get_running_loop().run_in_executor(self._running(), _write, messages)

    async def idle(self) -> dict[str, int]:
        return await self._call(_idle)

    async def stop(self) -> None:
        """Let the process finish what it holds, and end it; the next ``start`` makes another."""
        pool, self.pool = self.pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    async def _call(self, function: Callable[[], dict[str, int]]) -> dict[str, int]:
        return await asyncio.get_running_loop().run_in_executor(self._running(), function)

    def _running(self) -> ProcessPoolExecutor:
        if self.pool is None:
            raise NotStarted("the writer is not running")
        return self.pool


# What runs in the writer process. Its composition root is the pool's initializer: it opens
# the database and builds the one ReadModelWriter that the calls after it use. (Neither
# connects yet: a database that does not answer fails a call, not the process.)
_writer: ReadModelWriter | None = None


def _open_writer(database_url: str, names: tuple[str, ...], projector: int) -> None:
    global _writer
    die_with_parent()
    if os.getppid() != projector:  # the projector died before the line above took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the projector, which stops this process
    # A catch-up writes megabytes a batch; the log is copied back when the stream is idle
    # (or past 100,000 pages), not every few batches in the middle of it.
    db = database_at(database_url, checkpoint_pages=100_000)
    _writer = ReadModelWriter(db, tuple(p for p in all_projections() if p.name in names))


def _this_process_writer() -> ReadModelWriter:
    if _writer is None:
        raise NotStarted("the writer process has no writer")
    return _writer


def _start() -> dict[str, int]:
    return _this_process_writer().start()


def _write(messages: list[Wire]) -> dict[str, int]:
    return _this_process_writer().write(messages)


def _idle() -> dict[str, int]:
    return _this_process_writer().idle()

