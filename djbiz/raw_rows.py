"""Model instances from plain SQL, with less machinery than Model.objects.raw(): for the few hot reads where
Django's per-query work is most of the cost (events/hot_reads.py). Columns are matched to fields by name once per
statement shape, and each value goes through the converters the ORM would apply (SQLite stores UUIDs as text,
datetimes as strings), so an instance is the same as the ORM would make."""

from functools import cache

from django.db import connection, models


def first_instance(model: type[models.Model], sql: str, params: list, *, extra: int = 0):
    """The first row of `sql` as an instance of `model`, or None. The statement selects the model's columns
    (`SELECT table.*`) and then `extra` more columns; with extra, returns (instance, [extra values]) or (None, [])."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        names = tuple(column[0] for column in cursor.description) if row is not None else ()
    if row is None:
        return (None, []) if extra else None
    plan = _plan(connection.vendor, model, names[: len(names) - extra])
    values = [None] * len(plan)
    for position, (index, converters, expression) in enumerate(plan):
        value = row[index]
        for converter in converters:
            value = converter(value, expression, connection)
        values[position] = value
    instance = model.from_db(connection.alias, None, values)
    return (instance, list(row[len(names) - extra :])) if extra else instance


@cache
def _plan(vendor: str, model: type[models.Model], names: tuple[str, ...]) -> list[tuple]:
    """For each concrete field, in the model's order: its column's index in the row, its converters, and the
    column expression they take. Raises if the statement does not select every field (a deferred field would be
    loaded by one more query per access: better to fail in the tests)."""
    plan = []
    for field in model._meta.concrete_fields:
        if field.column not in names:
            raise ValueError(f"{model.__name__} statement does not select {field.column}")
        expression = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        plan.append((names.index(field.column), tuple(converters), expression))
    return plan
