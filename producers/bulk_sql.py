"""Bulk writes as plain parametrised SQL, for the registry import.

Django's bulk_create and bulk_update spend most of an import's time building SQL in Python,
object by object (bulk_update writes a CASE expression per object and field): these
statements take a tenth of it. Values are text, numbers or None; every other column takes
its model default. Works on PostgreSQL (psycopg2's execute_values and execute_batch, a page
of rows per round trip) and on SQLite.
"""

import datetime

from django.db import connection

BATCH_SIZE = 1000


# Text handed to PostgreSQL per read of a COPY stream: small enough to keep memory flat, large
# enough that the server works on one piece while Python writes the next.
COPY_CHUNK = 256 * 1024


def insert_new(model, rows, *, now, history=None):
    """INSERT rows (an iterable of dicts of attribute values); returns the new primary keys, in order.

    history: {"file_name", "by"} to write each new record's "+" history row too (insert_history):
    on PostgreSQL copied from the same values in a second COPY, without reading the rows back."""
    columns = [column for column in model._meta.concrete_fields if not column.primary_key]
    defaults = {}
    for column in columns:
        value = now if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False) else (
            column.get_default())
        defaults[column.attname] = column.get_db_prep_save(value, connection)
    values = [tuple(row.get(column.attname, defaults[column.attname]) for column in columns) for row in rows]
    if connection.vendor == "postgresql" and values:
        # COPY with keys taken from the table's sequence beforehand: several times faster than
        # INSERT ... RETURNING, which psycopg2 must also render row by row.
        ids = _next_ids(model, len(values))
        names = [model._meta.pk.name] + [column.name for column in columns]
        _copy(model, names, ((pk, *row) for pk, row in zip(ids, values)))
        if history is not None:
            _copy_history(model, names, ((pk, *row) for pk, row in zip(ids, values)), now=now, **history)
        return ids
    ids = insert_values(model, [column.name for column in columns], values, returning=True)
    if history is not None:
        insert_history(model, ids, "+", now=now, **history)
    return ids


def _next_ids(model, count):
    """`count` keys from the table's sequence, in order. They come back as the first and the last
    when they are consecutive (as when nobody else takes keys at the same moment), the keys
    themselves only when not: one row either way, instead of a row per key."""
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("WITH keys AS (SELECT nextval(pg_get_serial_sequence(%s, %s)) AS id "
                       "FROM generate_series(1, %s)) "
                       "SELECT min(id), max(id), CASE WHEN max(id) - min(id) + 1 = count(*) THEN NULL "
                       "ELSE array_agg(id ORDER BY id) END FROM keys",
                       [meta.db_table, meta.pk.column, count])
        first, last, keys = cursor.fetchone()
    return keys if keys is not None else list(range(first, last + 1))


def _copy_text(value):
    """A value in COPY's text format: NULL written as backslash-N, and the four characters that
    would break a row escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


def _copy(model, field_names, rows):
    """COPY rows (tuples in field_names' order) into the model's table, in one statement fed as
    a stream: the rows are turned into text a piece at a time while the server takes in the
    piece before (two processes, two cores), never all at once."""
    meta = model._meta
    quote = connection.ops.quote_name
    sql = (f"COPY {quote(meta.db_table)} ({', '.join(quote(meta.get_field(name).column) for name in field_names)}) "
           f"FROM STDIN")
    with connection.cursor() as cursor, connection.wrap_database_errors:  # psycopg2's errors as Django's
        cursor.cursor.copy_expert(sql, _CopyStream(rows), size=COPY_CHUNK)


class _CopyStream:
    """A file-like object whose read() gives the next rows in COPY's text format."""

    def __init__(self, rows):
        self.rows = iter(rows)

    def read(self, size=COPY_CHUNK):
        text, lines, length = _copy_text, [], 0
        for row in self.rows:
            line = "\t".join([text(value) for value in row])
            lines.append(line)
            length += len(line) + 1
            if length >= size:
                break
        return "\n".join(lines) + "\n" if lines else ""

    readline = read


def insert_values(model, field_names, rows, *, returning=False):
    if not rows:
        return []
    if connection.vendor == "postgresql" and not returning:
        _copy(model, field_names, rows)
        return []
    meta = model._meta
    quote = connection.ops.quote_name
    head = (f"INSERT INTO {quote(meta.db_table)} "
            f"({', '.join(quote(meta.get_field(name).column) for name in field_names)}) VALUES ")
    # Rows come back in the order they went in, as Django's own bulk_create relies on
    # (PostgreSQL, SQLite 3.35 and later).
    tail = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            with connection.wrap_database_errors:  # psycopg2's errors as Django's (IntegrityError, …)
                result = execute_values(cursor.cursor, f"{head}%s{tail}", rows, page_size=BATCH_SIZE,
                                        fetch=returning)
            return [row[0] for row in result] if returning else []
        ids = []
        per_statement = min(BATCH_SIZE, (connection.features.max_query_params or 10 ** 6) // len(field_names))
        row_sql = f"({', '.join(['%s'] * len(field_names))})"
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(head + ", ".join([row_sql] * len(chunk)) + tail, [value for row in chunk for value in row])
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
        return ids


def update_rows(model, objects, field_names):
    """Save `field_names` of each object: one parametrised UPDATE, executed for every row.

    Django's bulk_update builds a CASE expression for every object and field in Python, which
    takes seconds for a few thousand rows; the database needs milliseconds for these.
    """
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(meta.db_table)} SET {', '.join(f'{quote(field.column)} = %s' for field in fields)} "
           f"WHERE {quote(meta.pk.column)} = %s")
    params = [[field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields] + [obj.pk]
              for obj in sorted(objects, key=lambda obj: obj.pk)]
    _execute_many(sql, params)


def _execute_many(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_batch

            # One round trip per page of rows; psycopg2's executemany makes one per row.
            with connection.wrap_database_errors:
                execute_batch(cursor.cursor, sql, params, page_size=BATCH_SIZE)
        else:
            cursor.executemany(sql, params)


# django-simple-history's own columns on a historical table; every other column copies the record.
HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
IMPORT_REASON_PREFIX = "import:"
HISTORY_PAGE = 50_000


def _history_columns(model, now, file_name, by, history_type):
    """The historical model's fields copied from the record, and the values of its own
    (history_date, history_change_reason, history_type, history_user) for an import's rows."""
    historical = model.history.model
    copied = [field for field in historical._meta.concrete_fields if field.name not in HISTORY_COLUMNS]
    stamp = historical._meta.get_field("history_date").get_db_prep_save(now, connection)
    reason = f"{IMPORT_REASON_PREFIX}{file_name}"[:100]
    return historical, copied, (stamp, reason, history_type, by.pk if by is not None else None)


HISTORY_OWN = ("history_date", "history_change_reason", "history_type", "history_user")


def _copy_history(model, field_names, rows, *, now, file_name="", by=None):
    """The "+" history rows of records just copied in (rows as given to _copy, in field_names' order)."""
    historical, copied, own = _history_columns(model, now, file_name, by, "+")
    positions = [field_names.index(field.name) for field in copied]
    _copy(historical, [field.name for field in copied] + list(HISTORY_OWN),
          ((*(row[position] for position in positions), *own) for row in rows))


def insert_history(model, pks, history_type, *, now, file_name="", by=None):
    """One history row per record the import wrote ("+" created, "~" changed), as simple-history's
    signals would have made: the plain SQL above sends none. The copy is made in the database
    (INSERT ... SELECT, a page of primary keys per statement), so no value passes through Python.
    The user is `by`, as the caller names it (nobody for the command-line import): never read
    from simple-history's request context, which a background task does not have."""
    if not pks:
        return
    historical, copied, (stamp, reason, history_type, user_id) = _history_columns(model, now, file_name, by,
                                                                                  history_type)
    quote = connection.ops.quote_name
    columns = [field.column for field in copied] + [historical._meta.get_field(name).column for name in HISTORY_OWN]
    sources = [quote(model._meta.get_field(field.name).column) for field in copied]
    pks = sorted(pks)
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    head = (f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
            f"SELECT {', '.join(f'{table}.{source}' for source in sources)}, %s, %s, %s, %s FROM {table} ")
    # PostgreSQL takes the keys as one array parameter, joined (not "= ANY", which it checks
    # row by row): a few statements for 300,000 rows.
    page_size = HISTORY_PAGE if connection.vendor == "postgresql" else BATCH_SIZE
    with connection.cursor() as cursor:
        for start in range(0, len(pks), page_size):
            page = pks[start:start + page_size]
            if connection.vendor == "postgresql":
                cursor.execute(head + f"JOIN unnest(%s::bigint[]) AS keys(id) ON {table}.{pk} = keys.id",
                               [stamp, reason, history_type, user_id, page])
            else:
                cursor.execute(head + f"WHERE {pk} IN ({', '.join(['%s'] * len(page))})",
                               [stamp, reason, history_type, user_id, *page])
