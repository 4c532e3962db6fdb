"""A rich progress bar on stderr, shown only when stderr is a terminal (keeps logs and tests clean)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

ProgressCallback = Callable[[str, int, int], None]


@contextmanager
def progress_bar(title: str) -> Iterator[ProgressCallback | None]:
    if not sys.stderr.isatty():
        yield None
        return
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[step]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(title, total=1, step="")

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, 1), step=step)

        yield update
