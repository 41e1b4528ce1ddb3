"""One JSON log line per django-q2 task, and the traceback of a task that failed."""

import logging

from django_q.signals import post_execute, pre_execute

from djbiz.logging import log_context

logger = logging.getLogger("djbiz.task")


def _task_started(sender, func, task, **kwargs):
    """Runs in the worker process: every line the task logs carries its id."""
    log_context.set({"task_id": task.get("id"), "task_name": task.get("name")})


def _task_finished(sender, task, **kwargs):
    # post_execute fires in q2's monitor process, not the worker, so the ids are passed explicitly.
    fields = {
        "task_id": task.get("id"),
        "task_name": task.get("name"),
        "func": str(task.get("func")),
        "task_args": repr(task.get("args"))[:500],
        "success": task.get("success"),
    }
    if task.get("success"):
        logger.info("task", extra=fields)
    else:
        # q2 stores the formatted exception as the task result.
        logger.error("task failed", extra={**fields, "error": str(task.get("result"))[:5000]})
    log_context.set(None)  # in q2's sync mode worker and monitor share this process


def connect() -> None:
    pre_execute.connect(_task_started, dispatch_uid="djbiz.task_started")
    post_execute.connect(_task_finished, dispatch_uid="djbiz.task_finished")
