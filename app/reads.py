"""Read-only page queries without the ORM layer.

A page that only displays columns gains nothing from ORM entities or from the Session's execute
path: for a small SELECT of columns, `Session.execute` (ORM compile state, result adaptation) costs
about twice the round trip itself, and building the statement anew costs as much again
(docs/BENCHMARKS.md, "Load": 0.44 ms built and run through the session, 0.11 ms prebuilt and run on
the connection). So the main pages' reads are built once per process (`statement`, values passed
as bind parameters) and run with `rows` on the session's own connection: same transaction, so a
request still sees what it wrote, but no autoflush; flush first if the request has pending objects.
"""
import functools

from app.extensions import db


def statement(build):
    """Decorator: `build()` returns a SELECT with `db.bindparam`s; it runs once per process."""
    return functools.cache(build)


def rows(stmt, **params):
    """The Rows of a column SELECT, run on the session's connection."""
    return db.session.connection().execute(stmt, params).all()


def first(stmt, **params):
    """The first Row, or None."""
    return db.session.connection().execute(stmt, params).first()


def union(columns, branches, order_by):
    """One UNION ALL of several kinds of row, so a page reads several short lists in one round trip.

    columns: {name: SQL type}, the shared row shape (after a first column, `kind`);
    branches: {kind: (values, finish)}: `values` maps some of the names to expressions, the others are
    NULLs cast to their type (so both databases agree on the UNION's types and SQLAlchemy converts
    the results, e.g. SQLite's dates); `finish(select)` adds the branch's joins and WHERE;
    order_by: names, "-name" for descending (every column is labelled: SQLite orders a UNION by labels);
    none: the caller sorts the few rows itself, which spares PostgreSQL planning a sort over the UNION.
    """
    unknown = {name for values, _finish in branches.values() for name in values} - set(columns)
    if unknown:
        raise ValueError(f"columns not in the union: {sorted(unknown)}")
    selects = []
    for kind, (values, finish) in branches.items():
        cols = [db.literal_column(f"'{kind}'").label("kind")]  # a constant from the code, not input
        cols += [(values[name] if name in values else db.cast(db.null(), type_)).label(name)
                 for name, type_ in columns.items()]
        selects.append(finish(db.select(*cols)))
    u = db.union_all(*selects)
    c = u.selected_columns
    return u.order_by(*(c[name[1:]].desc() if name.startswith("-") else c[name] for name in order_by))


def by_kind(rows, kinds):
    """{kind: [rows]} (every kind in `kinds`, maybe empty) from a union's rows, in their order."""
    found = {kind: [] for kind in kinds}
    for row in rows:
        found[row.kind].append(row)
    return found
