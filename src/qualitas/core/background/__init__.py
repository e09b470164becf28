"""Background work: the scheduler of ``registry.schedules``, the notification centre that delivers
``registry.due_sources`` and notices of ``registry.notice_kinds``, mail with absolute links, and the
in-process worker of the embedded installation (docs/adr/0014-task-queue.md)."""
