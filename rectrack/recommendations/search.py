"""Full-text search over recommendation texts, on SQLite FTS5 or PostgreSQL.

One interface for the selectors: `apply_search(queryset, parsed)` filters a
queryset by a parsed query (see rectrack.lib.search_query), and
`ranked_page(...)` and `ranked_ids(...)` return ids best match first. Each database
keeps its own index:

- SQLite: an FTS5 table with external content (the recommendation table),
  kept in step by triggers, tokenised with the Porter stemmer.
- PostgreSQL: a narrow side table (recommendation id, tsvector) with a GIN
  index, kept in step by triggers. Counting and ranking many matches then
  reads small rows rather than the recommendations themselves.

Neither index is declared on the model, so `ensure_search_schema` creates it:
from a migration, and again after every migrate, because SQLite rebuilds a
table (dropping its triggers) whenever a migration alters it.
"""

from django.db import connection as default_connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from rectrack.lib.search_query import And, Not, Or, ParsedQuery, Phrase, Word

TABLE = "recommendations_recommendation"
FTS_TABLE = "recommendations_recommendation_fts"
PG_TABLE = "recommendations_recommendation_search"
# English stemming after accent folding, like SQLite's "porter unicode61
# remove_diacritics 2" tokenizer, so both databases find the same texts.
PG_CONFIG = "rectrack"

_SQLITE_TRIGGERS = {
    "recommendation_fts_insert": f"""
        CREATE TRIGGER IF NOT EXISTS recommendation_fts_insert AFTER INSERT ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text);
        END""",
    "recommendation_fts_delete": f"""
        CREATE TRIGGER IF NOT EXISTS recommendation_fts_delete AFTER DELETE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
    "recommendation_fts_update": f"""
        CREATE TRIGGER IF NOT EXISTS recommendation_fts_update AFTER UPDATE OF text ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text);
        END""",
}


def ensure_search_schema(connection=default_connection) -> None:
    """Create the full-text index if it is missing. Idempotent."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                f"text, content='{TABLE}', content_rowid='id', "
                "tokenize='porter unicode61 remove_diacritics 2')"
            )
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            present = {row[0] for row in cursor.fetchall()}
            missing = [name for name in _SQLITE_TRIGGERS if name not in present]
            for name in missing:
                cursor.execute(_SQLITE_TRIGGERS[name])
            if missing:
                # Rows written while the triggers were gone are not indexed.
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [PG_CONFIG])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = english)")
                cursor.execute(
                    f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} "
                    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
                )
            _ensure_postgresql_table(cursor)


def _pg_vector(text_column: str) -> str:
    """The one way a text becomes a tsvector, for the trigger and the backfill alike."""
    return f"to_tsvector('{PG_CONFIG}'::regconfig, coalesce({text_column}, ''))"


def _ensure_postgresql_table(cursor) -> None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (recommendation_id bigint PRIMARY KEY, document tsvector NOT NULL)"
    )
    cursor.execute(f"CREATE INDEX IF NOT EXISTS recommendation_search_document_idx ON {PG_TABLE} USING gin (document)")
    # No foreign key: Django's test flush truncates tables without CASCADE.
    # Triggers keep the table in step instead, truncation included.
    cursor.execute(
        f"""CREATE OR REPLACE FUNCTION recommendation_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE {PG_TABLE};
            ELSIF TG_OP = 'DELETE' THEN
                DELETE FROM {PG_TABLE} WHERE recommendation_id = OLD.id;
            ELSE
                INSERT INTO {PG_TABLE} (recommendation_id, document) VALUES (NEW.id, {_pg_vector("NEW.text")})
                ON CONFLICT (recommendation_id) DO UPDATE SET document = EXCLUDED.document;
            END IF;
            RETURN NULL;
        END $$"""
    )
    cursor.execute(f"DROP TRIGGER IF EXISTS recommendation_search_rows ON {TABLE}")
    cursor.execute(
        f"CREATE TRIGGER recommendation_search_rows AFTER INSERT OR DELETE OR UPDATE OF text ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION recommendation_search_sync()"
    )
    cursor.execute(f"DROP TRIGGER IF EXISTS recommendation_search_truncate ON {TABLE}")
    cursor.execute(
        f"CREATE TRIGGER recommendation_search_truncate AFTER TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION recommendation_search_sync()"
    )
    cursor.execute(
        f"INSERT INTO {PG_TABLE} (recommendation_id, document) "
        f"SELECT r.id, {_pg_vector('r.text')} FROM {TABLE} r "
        f"WHERE NOT EXISTS (SELECT 1 FROM {PG_TABLE} s WHERE s.recommendation_id = r.id)"
    )
    # The earlier design kept a generated column on the recommendations.
    cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector")


# Compiling the query tree -------------------------------------------------


def _fts5(node) -> str:
    """FTS5 MATCH syntax. Every token is quoted, so none is read as syntax."""
    if isinstance(node, Word):
        return f'"{node.text}"' + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"' + ("*" if node.prefix else "")
    if isinstance(node, Or):
        return "(" + " OR ".join(_fts5(c) for c in node.children) + ")"
    if isinstance(node, And):
        positives = [_fts5(c) for c in node.children if not isinstance(c, Not)]
        negatives = [_fts5(c.child) for c in node.children if isinstance(c, Not)]
        expression = "(" + " AND ".join(positives) + ")"
        for negative in negatives:
            expression = f"({expression} NOT {negative})"
        return expression
    raise TypeError(node)


def _tsquery(node) -> tuple[str, list[str]]:
    """A PostgreSQL tsquery expression built from functions over parameters."""
    if isinstance(node, Word):
        if node.prefix:
            return f"to_tsquery('{PG_CONFIG}', %s)", [f"{node.text}:*"]
        return f"plainto_tsquery('{PG_CONFIG}', %s)", [node.text]
    if isinstance(node, Phrase):
        if node.prefix:  # words are letters and digits only, so safe as tsquery lexemes
            return f"to_tsquery('{PG_CONFIG}', %s)", [" <-> ".join(node.words) + ":*"]
        return f"phraseto_tsquery('{PG_CONFIG}', %s)", [" ".join(node.words)]
    if isinstance(node, Not):
        sql, params = _tsquery(node.child)
        return f"(!! {sql})", params
    operator = " || " if isinstance(node, Or) else " && "
    parts = [_tsquery(child) for child in node.children]
    return "(" + operator.join(sql for sql, _ in parts) + ")", [p for _, params in parts for p in params]


def _matching_ids_sql(node, vendor: str) -> tuple[str, list[str]]:
    if vendor == "sqlite":
        return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [_fts5(node)]
    sql, params = _tsquery(node)
    return f"SELECT recommendation_id FROM {PG_TABLE} WHERE document @@ {sql}", params


def _matched(parsed: ParsedQuery):
    """The tree to match, with the exclusions folded in ("a NOT b"), or None.

    Full-text engines evaluate an exclusion beside a positive term inside the
    index; only a search made of exclusions alone needs a NOT IN subquery.
    """
    if parsed.include is None:
        return None
    if parsed.exclude is None:
        return parsed.include
    return And((parsed.include, Not(parsed.exclude)))


def apply_search(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """Filter recommendations by a parsed search; an empty search filters nothing."""
    vendor = default_connection.vendor
    node = _matched(parsed)
    if node is None:
        if parsed.exclude is not None:
            sql, params = _matching_ids_sql(parsed.exclude, vendor)
            queryset = queryset.exclude(pk__in=RawSQL(sql, params))
        return queryset
    sql, params = _matching_ids_sql(node, vendor)
    return queryset.filter(pk__in=RawSQL(sql, params))


def _matches(candidates: QuerySet, node, select: str) -> tuple[str, list]:
    """SQL over the full-text matches of `node` that the candidates' filters allow.

    Driven by the index table (f); the other filters are checked per match
    through the primary key (EXISTS). On SQLite, a "rowid IN (candidates)"
    constraint would make FTS5 look up each candidate on its own; on
    PostgreSQL, counting from the narrow index table avoids reading the
    recommendations themselves. `select` may use {id} and {score} (lower is a
    better match).
    """
    if default_connection.vendor == "sqlite":
        id_column, score_sql, score_params = "f.rowid", "f.rank", []
        sql = f"FROM {FTS_TABLE} f WHERE f.{FTS_TABLE} MATCH %s"
        params: list = [_fts5(node)]
    else:
        id_column = "f.recommendation_id"
        query_sql, query_params = _tsquery(node)
        score_sql, score_params = f"-ts_rank_cd(f.document, {query_sql}, 1)", list(query_params)
        sql = f"FROM {PG_TABLE} f WHERE f.document @@ {query_sql}"
        params = list(query_params)
    if "{score}" in select:
        params = score_params + params
    sql = f"SELECT {select.format(id=id_column, score=score_sql)} {sql}"
    if candidates.query.has_filters():
        per_match = candidates.order_by().filter(pk=RawSQL(id_column, ())).values("id")
        inner_sql, inner_params = per_match.query.sql_with_params()
        sql += f" AND EXISTS ({inner_sql})"
        params += list(inner_params)
    return sql, params


def count_matches(candidates: QuerySet, parsed: ParsedQuery) -> int:
    """How many of the candidates the search finds."""
    node = _matched(parsed)
    if node is None:
        return apply_search(candidates, parsed).count()
    sql, params = _matches(candidates, node, "count(*)")
    with default_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def ranked_page(candidates: QuerySet, parsed: ParsedQuery, offset: int, limit: int) -> list[int]:
    """One page of ids, best match first: for a search with no other filter.

    The database keeps only the page's best matches while ranking, which is
    cheaper than returning every id when nothing else narrows the search.
    """
    sql, params = _matches(candidates, _matched(parsed), "{id} AS id, {score} AS score")
    with default_connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY score, id DESC LIMIT %s OFFSET %s", [*params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def ranked_ids(candidates: QuerySet, parsed: ParsedQuery, limit: int) -> list[int] | None:
    """Every id the search finds among the candidates, best match first; None past `limit`.

    `candidates` are the recommendations the other filters allow, before the
    search is applied; the search needs something to match. One query gives
    both the count and the order, so the filters are checked once per match.
    Ties fall back to the most recently added.
    """
    sql, params = _matches(candidates, _matched(parsed), "{id} AS id, {score} AS score")
    with default_connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM ({sql} LIMIT %s) ranked ORDER BY score, id DESC", [*params, limit + 1])
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= limit else None
