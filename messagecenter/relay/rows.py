"""Model instances from the rows of a statement the relay writes once per process.

Every email asks the same few questions (whose masked address, which conversation). Built
by the ORM, each question cost more Python than the database spent answering it: the
query compiled again for every email, the joined models read through the ORM's generic
row machinery. The relay writes those statements once and reads each model's columns
from their rows with ``ModelColumns``: all of the model's concrete columns, converted the
way the ORM converts them (SQLite's text datetimes and integer booleans, for one), so an
instance is the same as one ``Model.objects.get`` would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

from messagecenter.core.joined_row import Converter, converters_of


class ModelColumns:
    """One model's columns in a hand-written SELECT, under a table alias."""

    def __init__(self, model: type[Model], alias: str) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [field.attname for field in self.fields]
        self.select = ", ".join(f'{alias}."{field.column}"' for field in self.fields)
        self._converters: dict[str, list[tuple[int, list[Converter], Any]]] = {}
        self._alias = alias
        self._pk = self.fields.index(model._meta.pk)

    def __len__(self) -> int:
        return len(self.fields)

    def _converters_for(self, db: Any) -> list[tuple[int, list[Converter], Any]]:
        """What the ORM's compiler would run on each value, worked out once per backend."""
        found = self._converters.get(db.vendor)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                column, converters = converters_of(field, self._alias)
                if converters:
                    found.append((index, converters, column))
            self._converters[db.vendor] = found
        return found

    def read(self, row: Sequence[Any], start: int) -> Any:
        """The instance from ``row[start:start + len(self)]``; None for a LEFT JOIN's empty
        side (a primary key is never NULL)."""
        values = list(row[start : start + len(self.fields)])
        if values[self._pk] is None:
            return None
        for index, converters, column in self._converters_for(connection):
            value = values[index]
            for convert in converters:
                value = convert(value, column, connection)
            values[index] = value
        return self.model.from_db(connection.alias, self.names, values)


def cache_related(instance: Model, name: str, related: Model | None) -> None:
    """Give ``instance`` its foreign key ``name`` as read in the same row, as
    ``select_related`` does."""
    instance._meta.get_field(name).set_cached_value(instance, related)  # type: ignore[union-attr]
