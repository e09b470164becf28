"""A worker: django-tasks' database worker plus the scheduler's tick, in threads of one process.

``qualitas worker`` runs one per process on a server (any number, on any number of machines: the
database hands each task to one worker, and each scheduled run is claimed once). ``qualitas serve``
and ``qualitas demo`` start one inside the server process on the embedded database."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import close_old_connections
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

TICK_SECONDS = 30.0


class Worker:
    def __init__(self, *, scheduler: bool = True, interval: float = 1.0, worker_id: str = "") -> None:
        from django_tasks_db.management.commands.db_worker import Worker as TaskWorker

        self.tasks = TaskWorker(
            queue_names=["default"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        self.scheduler = scheduler
        self.stopped = threading.Event()
        self.threads: list[threading.Thread] = []

    def _tick_loop(self) -> None:
        from qualitas.core.background.scheduler import tick

        while not self.stopped.is_set():
            try:
                close_old_connections()
                tick()
            except Exception:  # the scheduler keeps going; the failure is logged
                logger.exception("scheduler tick failed")
            finally:
                close_old_connections()
            self.stopped.wait(TICK_SECONDS)

    def _task_loop(self) -> None:
        try:
            self.tasks.run()
        finally:
            close_old_connections()

    def start(self) -> Worker:
        targets: list[Any] = [self._task_loop] + ([self._tick_loop] if self.scheduler else [])
        for target in targets:
            thread = threading.Thread(target=target, name=f"qualitas-{target.__name__}", daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.tasks.running = False
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout)

    def run_forever(self) -> None:
        self.start()
        try:
            while any(t.is_alive() for t in self.threads):
                for thread in self.threads:
                    thread.join(1.0)
        except KeyboardInterrupt:
            logger.warning("stopping the worker (the task running now finishes first)")
            self.stop(timeout=60.0)


def start_embedded() -> Worker:
    """The in-process worker and scheduler of ``qualitas serve``/``demo``."""
    return Worker(scheduler=True).start()
