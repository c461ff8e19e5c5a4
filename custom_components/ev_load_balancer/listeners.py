"""A small list of callbacks, for sources that push updates."""

from __future__ import annotations

from collections.abc import Callable

type Listener = Callable[[], None]


class Listeners:
    """Callbacks to run when something changed; add returns the remover."""

    def __init__(self) -> None:
        self._callbacks: list[Listener] = []

    def add(self, callback: Listener) -> Callable[[], None]:
        self._callbacks.append(callback)

        def remove() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return remove

    def notify(self) -> None:
        for callback in list(self._callbacks):
            callback()
