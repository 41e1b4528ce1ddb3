"""Scheduled work is declared in code: each app's tasks.py lists `SCHEDULES`, and `manage.py
setup_schedules` makes django-q2's Schedule table match them (never edited by hand in the admin)."""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    func: str
    schedule_type: str  # a django_q.models.Schedule type: "I" (minutes), "H", "D", ...
    minutes: int | None = None


def declared_schedules() -> list[ScheduleSpec]:
    specs: list[ScheduleSpec] = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "tasks"):
            specs.extend(getattr(import_module(f"{config.name}.tasks"), "SCHEDULES", []))
    return specs


def sync_schedules() -> tuple[list[str], list[str]]:
    """Create or update every declared schedule; delete ours that are no longer declared.
    Returns (kept, removed) names. Safe to run any number of times."""
    from django_q.models import Schedule

    specs = declared_schedules()
    for spec in specs:
        Schedule.objects.update_or_create(
            name=spec.name,
            defaults={"func": spec.func, "schedule_type": spec.schedule_type, "minutes": spec.minutes, "repeats": -1},
        )
    declared = {spec.name for spec in specs}
    stale = Schedule.objects.filter(name__startswith="djbiz:").exclude(name__in=declared)
    removed = list(stale.values_list("name", flat=True))
    stale.delete()
    return sorted(declared), removed
