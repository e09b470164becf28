"""Full-text search over codes, titles, tags and the text of effective revisions.

PostgreSQL: ``Document.search_text`` with SearchVector/SearchQuery/SearchRank; a GIN index on the
same expression is created by migration 0002 (PostgreSQL only). SQLite: an FTS5 virtual table
``documents_fts`` (rowid = document id; migration 0003 made the organization an indexed token so the
MATCH itself is per organization) kept in sync by ``index_document`` — which every service that changes
searchable content calls. No signals.

Speed on common words: only the organization's matches are visited and ranked, and at most ``limit`` rows
get a snippet or a Django lookup. PostgreSQL ranks at most ``PG_RANK_CAP`` matches (see _search_postgres)."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection

from qualitas.documents.models import Document, DocumentStatus

FTS_TABLE = "documents_fts"
PG_CONFIG = "english"
# PostgreSQL ranks at most this many matches of one query; beyond it the order among matches of a word
# found nearly everywhere carries no information anyway, and ranking them all costs a second or more.
PG_RANK_CAP = 2000
# The SQLite search, shared with the benchmark (qualitas.documents.bench) so both time the same SQL.
SQLITE_SEARCH_SQL = (
    f"SELECT rowid, bm25({FTS_TABLE}, 0.0, 10.0, 5.0, 1.0) AS score, "
    f"snippet({FTS_TABLE}, 3, '[', ']', '…', 12) FROM {FTS_TABLE} "
    f"WHERE {FTS_TABLE} MATCH %s ORDER BY score LIMIT %s"
)


def org_token(pk: Any) -> str:
    """The indexed token that marks an organization's rows (letters and digits only, one token)."""
    return "org" + re.sub(r"[^0-9A-Za-z]", "", str(pk))


def org_match(pk: Any, expr: str) -> str:
    """Limit an FTS5 expression to one organization; the words match code, title and body only."""
    return f'org:"{org_token(pk)}" AND {{code title body}}: ({expr})'


def searchable_body(document: Document) -> str:
    revision = document.effective_revision if document.status == DocumentStatus.EFFECTIVE else None
    return revision.text if revision is not None else ""


def build_search_text(document: Document) -> str:
    return "\n".join(
        p for p in (document.code, document.title, document.tags, searchable_body(document)) if p
    )


def index_document(document: Document) -> None:
    """Refresh the document's search entry (inside the caller's transaction)."""
    text = build_search_text(document)
    if text != document.search_text:
        document.search_text = text
        # search_text is a derived cache (excluded from the audit trail); saving it alone is not a change.
        Document.objects.filter(pk=document.pk).update(search_text=text)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, org, code, title, body) VALUES (%s, %s, %s, %s, %s)",
                [
                    document.pk,
                    org_token(document.organization_id),
                    document.code,
                    f"{document.title} {document.tags}",
                    searchable_body(document),
                ],
            )


def unindex_document(document: Document) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])


def fts5_query(q: str) -> str:
    """A safe FTS5 MATCH expression: each word a quoted prefix term, all words required."""
    words = re.findall(r"\w+", q, flags=re.UNICODE)[:12]
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def search(organization: Any, q: str, limit: int = 20) -> list[tuple[Document, float, str]]:
    """Documents of ``organization`` matching ``q``, best first: (document, rank, snippet)."""
    q = (q or "").strip()
    if not q:
        return []
    if connection.vendor == "postgresql":
        return _search_postgres(organization, q, limit)
    if connection.vendor == "sqlite":
        return _search_sqlite(organization, q, limit)
    qs = Document.objects.filter(organization=organization, search_text__icontains=q)[
        :limit
    ]  # pragma: no cover
    return [(d, 0.0, "") for d in qs]  # pragma: no cover


def _search_sqlite(organization: Any, q: str, limit: int) -> list[tuple[Document, float, str]]:
    expr = fts5_query(q)
    if not expr:
        return []
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_SEARCH_SQL, [org_match(organization.pk, expr), limit])
        rows = cursor.fetchall()
    docs = Document.objects.filter(organization=organization, pk__in=[r[0] for r in rows]).in_bulk()
    return [(docs[pk], -score, snippet or "") for pk, score, snippet in rows if pk in docs]


def _search_postgres(organization: Any, q: str, limit: int) -> list[tuple[Document, float, str]]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    vector = SearchVector("search_text", config=PG_CONFIG)
    query = SearchQuery(q, config=PG_CONFIG, search_type="websearch")
    matches = (
        Document.objects.filter(organization=organization)
        .extra(
            where=[
                f"to_tsvector('{PG_CONFIG}'::regconfig, COALESCE(documents_document.search_text, '')) "
                "@@ websearch_to_tsquery(%s::regconfig, %s)"
            ],
            params=[PG_CONFIG, q],
        )
        .order_by()
        .values_list("pk", flat=True)[:PG_RANK_CAP]
    )
    # Materialized: the raw WHERE names the table, which a subquery would re-alias.
    candidates = list(matches)
    if not candidates:
        return []
    # Rank only the capped candidate set, then build headlines for the rows shown (ts_headline is costly).
    top = list(
        Document.objects.filter(pk__in=candidates)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "code")
        .values_list("pk", "rank")[:limit]
    )
    docs = (
        Document.objects.filter(pk__in=[pk for pk, _rank in top])
        .annotate(snippet=SearchHeadline("search_text", query, config=PG_CONFIG, start_sel="[", stop_sel="]"))
        .in_bulk()
    )
    return [(docs[pk], float(rank), docs[pk].snippet) for pk, rank in top if pk in docs]


def reindex_organization(organization: Any) -> int:
    """Rebuild the search entries of one organization (run after `qualitas import`)."""
    count = 0
    for document in Document.objects.filter(organization=organization).select_related("effective_revision"):
        index_document(document)
        count += 1
    return count
