"""A Rich progress bar over the named steps of a DIP command (build-catalog, group, score).

The work functions take an ``on_step(name)`` callback and call it as each step starts; the
CLI passes :func:`step_bar`'s callback, tests pass a list's ``append``. The bar is the shared
:func:`dipdrg.console.progress` (hidden when stderr is not a terminal).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from dipdrg.console import progress

OnStep = Callable[[str], None]


def no_steps(_name: str) -> None:
    """The default callback: report nothing."""


@contextmanager
def step_bar(title: str, total: int) -> Iterator[OnStep]:
    """Yield a callback that shows ``title：step`` and advances one step per call after the first."""
    with progress() as bar:
        task = bar.add_task(title, total=total)
        started = [False]

        def on_step(name: str) -> None:
            bar.update(task, description=f"{title}：{name}", advance=1 if started[0] else 0)
            started[0] = True

        yield on_step
        bar.update(task, completed=total)
