"""The evidence pack for the certification auditor: a ZIP with index.html and index.pdf mapping every
applicable clause to its evidence, the scope statement and statement of applicability, and the
evidence files themselves (requirement attachments, attachments of linked records, and the files
registered evidence sources offer through ``pack_items``)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from qualitas.core.models import Attachment
from qualitas.core.registry import registry
from qualitas.standards import queries, readiness, soa
from qualitas.standards.models import EvidenceLink, Requirement

Progress = Callable[[str, int, int], None]  # (step label, done, total)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")[:120] or "file"


def collect(organization: Any) -> dict[str, Any]:
    """Everything the index shows, with a fixed number of queries (not one per clause)."""
    figures = readiness.compute(organization)
    statement = soa.statement(organization)
    req_ct = ContentType.objects.get_for_model(Requirement)
    reqs = {r.clause_id: r for r in queries.requirements(organization)}
    links = list(
        EvidenceLink.objects.filter(organization=organization).select_related(
            "content_type", "requirement__clause"
        )
    )
    by_req_links: dict[int, list[EvidenceLink]] = defaultdict(list)
    for link in links:
        by_req_links[link.requirement_id].append(link)
    # Attachments on requirements and on every linked record, in one query.
    cond = Q(content_type=req_ct, object_id__in=[r.pk for r in reqs.values()])
    targets_by_ct: dict[int, set[int]] = defaultdict(set)
    for link in links:
        targets_by_ct[link.content_type_id].add(link.object_id)
    for ct_id, ids in targets_by_ct.items():
        cond |= Q(content_type_id=ct_id, object_id__in=ids)
    attachments = list(Attachment.objects.filter(organization=organization).filter(cond))
    att_by_target: dict[tuple[int, int], list[Attachment]] = defaultdict(list)
    for a in attachments:
        att_by_target[(a.content_type_id, a.object_id)].append(a)

    files: list[tuple[str, Any]] = []  # (path in zip, Attachment or filesystem path)
    clauses = []
    for clause in queries.applicable_clauses(organization):
        r = reqs.get(clause.pk)
        entry: dict[str, Any] = {
            "clause": clause,
            "requirement": r,
            "links": [],
            "files": [],
            "automatic": readiness.automatic_for(clause.number, figures["automatic"]),
        }
        if r is not None:
            for a in att_by_target.get((req_ct.pk, r.pk), []):
                path = f"files/{clause.number}/{a.pk}-{_safe(a.original_name)}"
                files.append((path, a))
                entry["files"].append((a.original_name, path))
            for link in by_req_links.get(r.pk, []):
                link_files = []
                for a in att_by_target.get((link.content_type_id, link.object_id), []):
                    path = f"files/{clause.number}/{a.pk}-{_safe(a.original_name)}"
                    files.append((path, a))
                    link_files.append((a.original_name, path))
                entry["links"].append(
                    {
                        "label": link.target_label,
                        "kind": link.content_type.name,
                        "note": link.note,
                        "files": link_files,
                    }
                )
        clauses.append(entry)
    source_items = []
    for key, source in sorted(registry.evidence_sources.items()):
        if source.pack_items is None:
            continue
        try:
            items = list(source.pack_items(organization))
        except Exception:
            items = []
        rows = []
        for i, (title, url, file_path) in enumerate(items):
            in_zip = ""
            if file_path and Path(file_path).is_file():
                in_zip = f"sources/{_safe(key)}/{i + 1}-{_safe(Path(file_path).name)}"
                files.append((in_zip, Path(file_path)))
            rows.append({"title": title, "url": url, "path": in_zip})
        source_items.append({"key": key, "label": source.label, "clauses": source.clauses, "items": rows})
    # The same file linked to two clauses is packed twice under two folders: the auditor reads per clause.
    seen: set[str] = set()
    unique_files = []
    for path, f in files:
        if path not in seen:
            seen.add(path)
            unique_files.append((path, f))
    return {
        "organization": organization,
        "figures": figures,
        "soa": statement,
        "clauses": clauses,
        "source_items": source_items,
        "files": unique_files,
        "generated_at": timezone.now(),
    }


def index_html(context: dict[str, Any]) -> str:
    return render_to_string("standards/pack_index.html", context)


def soa_pdf(organization: Any) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "standards/soa_print.html",
        {"organization": organization, **soa.statement(organization), "generated_at": timezone.now()},
    )
    return HTML(string=html).write_pdf()


def build(
    organization: Any, out: IO[bytes] | str | Path, *, progress: Progress | None = None
) -> dict[str, int]:
    """Write the pack to ``out``; returns counts (clauses, files, missing files)."""
    from weasyprint import HTML

    context = collect(organization)
    total = len(context["files"]) + 2
    html = index_html(context)
    missing = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("index.html", html)
        if progress:
            progress("index.html", 1, total)
        zf.writestr("index.pdf", HTML(string=html).write_pdf())
        if progress:
            progress("index.pdf", 2, total)
        for i, (path, f) in enumerate(context["files"], start=3):
            try:
                if isinstance(f, Path):
                    zf.write(f, path)
                else:
                    with f.file.open("rb") as fh:
                        zf.writestr(path, fh.read())
            except (OSError, ValueError):
                missing += 1
                zf.writestr(
                    path + ".MISSING.txt", "The stored file could not be read when the pack was built."
                )
            if progress:
                progress(path, i, total)
        zf.writestr(
            "README.txt",
            f"Evidence pack of {organization} generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} "
            "UTC by Qualitas. Open index.html (or index.pdf).\n",
        )
    return {"clauses": len(context["clauses"]), "files": len(context["files"]) - missing, "missing": missing}
