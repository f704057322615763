"""Progress for long settlement and weights commands (DESIGN.md §7 "progress bars on long work").

The computations take a ``tick`` callback and call it once per step they finish, naming it; the
command line turns the ticks into the shared Rich bar (``dipdrg.console.progress``). Each
computation publishes how many ticks it makes, so the bar knows its length.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

Tick = Callable[[str], None]


def no_tick(_step: str) -> None:
    """The callback of a computation run without a progress bar."""


@contextmanager
def progress_steps(description: str, total: int) -> Iterator[Tick]:
    """A progress bar of ``total`` steps; yields the ``tick`` to call after each step."""
    from dipdrg.console import progress

    with progress() as bar:
        task = bar.add_task(description, total=total)

        def tick(step: str) -> None:
            bar.update(task, advance=1, description=f"{description}：{step}")

        yield tick
