"""A model's row with the rows its foreign keys point at, read by a statement written once.

``select_related`` builds and compiles its query on every call: for a page's access check
(a conversation with its buyer, seller, order and product) that took longer than the
database spent on the query. A JoinedRow names the same columns and joins once per
process; the caller adds its own extra columns and conditions, and gets back the instance
with its related instances cached on it, as select_related leaves them, and the extras.
Values go through the fields' database converters, so the statement reads the same on
PostgreSQL and SQLite.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Field, ForeignKey, Model
from django.db.models.base import DEFERRED

Converter = Callable[[Any, Any, Any], Any]

# The alias of the main table in the statement: callers' conditions and extra columns
# name its columns through it ("t.id").
MAIN = "t"


def converters_of(field: Field[Any, Any], alias: str | None = None) -> tuple[Any, list[Converter]]:
    """The field's column (under ``alias``, its table by default) and what the ORM's
    compiler runs on its values as read from the connection in use, in that order; each
    converter is called with (value, column, connection)."""
    column = field.get_col(alias or field.model._meta.db_table)
    return column, [
        *connection.ops.get_db_converters(column),
        *column.get_db_converters(connection),
    ]


def converted(field: Field[Any, Any], value: Any) -> Any:
    """A value read for ``field`` by a statement of one's own, as the ORM would give it."""
    column, converters = converters_of(field)
    for convert in converters:
        value = convert(value, column, connection)
    return value


@dataclass(frozen=True)
class _Part:
    """One model's columns in the row: the main model or a related one."""

    model: type[Model]
    alias: str
    relation: ForeignKey[Any, Any] | None  # the foreign key of the main model, for related
    fields: tuple[Field[Any, Any], ...]  # in the model's order, as from_db takes them

    @cached_property
    def attnames(self) -> list[str]:
        return [f.attname for f in self.fields]

    @cached_property
    def slots(self) -> list[int] | None:
        """Where each field read goes among the model's concrete fields, when some are
        left unread (deferred); None when all are read."""
        every = [f.attname for f in self.model._meta.concrete_fields]
        if len(self.fields) == len(every):
            return None
        return [every.index(name) for name in self.attnames]

    def instance(self, alias: str, own: list[Any]) -> Model:
        """The model instance from its fields' values, as the ORM makes it (from_db)."""
        if self.slots is None:
            return self.model.from_db(alias, self.attnames, own)
        # Placed here, from_db gets a value for every field and has nothing to work out:
        # given only the fields read, it looks each of the model's fields up in their
        # names, which for a page of 50 deferred messages cost more than making them.
        values: list[Any] = [DEFERRED] * len(self.model._meta.concrete_fields)
        for slot, value in zip(self.slots, own, strict=True):
            values[slot] = value
        return self.model.from_db(alias, self.attnames, values)


@dataclass(frozen=True)
class JoinedRow:
    model: type[Model]
    related: tuple[str, ...] = ()  # foreign keys of the model, as select_related names them
    # The model's own columns to read (attribute names; all when empty): the others are
    # deferred, read when touched, as with only().
    only: tuple[str, ...] = ()
    # The main table's alias: another than MAIN for a model whose columns follow another
    # JoinedRow's in one statement (a left-joined row, read with instance() from the
    # other's extra columns).
    alias: str = MAIN

    @cached_property
    def _parts(self) -> list[_Part]:
        own = tuple(
            f
            for f in self.model._meta.concrete_fields
            if not self.only or f.attname in self.only or f.primary_key
        )
        parts = [_Part(self.model, self.alias, None, own)]
        for index, name in enumerate(self.related):
            relation = self.model._meta.get_field(name)
            assert isinstance(relation, ForeignKey)
            related = relation.related_model
            fields = tuple(related._meta.concrete_fields)
            parts.append(_Part(related, f"r{index}", relation, fields))
        return parts

    @cached_property
    def columns(self) -> str:
        """The model's columns and every column of each related model, in that order."""
        return ", ".join(f"{p.alias}.{f.column}" for p in self._parts for f in p.fields)

    @cached_property
    def tables(self) -> str:
        """The FROM clause: the model under its alias, each related model joined (a left
        join where the foreign key may be empty)."""
        joins = [f"{self.model._meta.db_table} {self.alias}"]
        for part in self._parts[1:]:
            assert part.relation is not None
            kind = "LEFT JOIN" if part.relation.null else "JOIN"
            target = part.relation.target_field.column
            joins.append(
                f"{kind} {part.model._meta.db_table} {part.alias}"
                f" ON {part.alias}.{target} = {self.alias}.{part.relation.column}"
            )
        return " ".join(joins)

    @cached_property
    def width(self) -> int:
        """How many columns ``columns`` names: the caller's extra ones follow."""
        return sum(len(p.fields) for p in self._parts)

    def _converters(self) -> list[tuple[int, Any, list[Converter]]]:
        """The columns that have converters on the connection in use, with their column
        expression and the converters (few on PostgreSQL; SQLite keeps datetimes as text
        and booleans as integers)."""
        kept: dict[str, list[tuple[int, Any, list[Converter]]]] = self.__dict__.setdefault(
            "_by_vendor", {}
        )
        if connection.vendor not in kept:
            every = [
                (index, *converters_of(field, part.alias))
                for index, (part, field) in enumerate(
                    (part, field) for part in self._parts for field in part.fields
                )
            ]
            kept[connection.vendor] = [entry for entry in every if entry[2]]
        return kept[connection.vendor]

    def instance(self, row: Sequence[Any]) -> tuple[Model, Sequence[Any]]:
        """The model instance, its related ones cached on it, and the row's extra columns
        (those the caller selected after ``columns``)."""
        [made] = self.instances([row])
        return made

    def instances(self, rows: Sequence[Sequence[Any]]) -> list[tuple[Model, Sequence[Any]]]:
        """instance() of each row (the connection looked up once for them all)."""
        converters, alias = self._converters(), connection.alias
        made: list[tuple[Model, Sequence[Any]]] = []
        for row in rows:
            values = list(row)
            for index, column, column_converters in converters:
                for convert in column_converters:
                    values[index] = convert(values[index], column, connection)
            start = 0
            built: list[Model | None] = []
            for part in self._parts:
                own = values[start : start + len(part.fields)]
                start += len(part.fields)
                if part.relation is not None and own[0] is None and part.relation.null:
                    built.append(None)  # the left join found nothing: no such related row
                    continue
                built.append(part.instance(alias, own))
            main = built[0]
            assert main is not None
            for part, related in zip(self._parts[1:], built[1:], strict=True):
                assert part.relation is not None
                part.relation.set_cached_value(main, related)
            made.append((main, values[self.width :]))
        return made
