"""The evidence pack for the certification auditor: a ZIP with index.html and index.pdf mapping every
applicable clause to its evidence, the scope statement and statement of applicability, and the
evidence files themselves (requirement attachments, attachments of linked records, and the files
registered evidence sources offer through ``pack_items``)."""

from __future__ import annotations

import datetime as dt
import re
import time
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


# --- writing, one step at a time ---------------------------------------------------------------------
#
# A pack is a list of steps: 1 index.html (collects the evidence and fixes the plan), 2 index.pdf,
# then one step per evidence file, and last README.txt. The command runs them all in one go; the
# button's PackJob runs a bounded chunk per progress poll, appending to the same ZIP in storage. A
# step whose entry is already in the ZIP is skipped, so a chunk interrupted half way can be re-run.

FIXED_STEPS = 3  # index.html, index.pdf, README.txt
MISSING_NOTE = "The stored file could not be read when the pack was built."


def total_steps(plan: dict[str, Any]) -> int:
    return len(plan["files"]) + FIXED_STEPS


def step_label(plan: dict[str, Any], step: int) -> str:
    """The entry written by step ``step`` (0-based)."""
    if step == 0:
        return "index.html"
    if step == 1:
        return "index.pdf"
    if step - 2 < len(plan["files"]):
        return plan["files"][step - 2]["path"]
    return "README.txt"


def begin(organization: Any, zf: zipfile.ZipFile) -> dict[str, Any]:
    """Step 1: collect the evidence, write index.html and return the plan of the remaining steps."""
    context = collect(organization)
    if "index.html" not in zf.namelist():
        zf.writestr("index.html", index_html(context))
    files = []
    for path, f in context["files"]:
        if isinstance(f, Path):
            files.append({"path": path, "source": str(f)})
        else:
            files.append({"path": path, "attachment": f.pk})
    return {"clauses": len(context["clauses"]), "files": files, "missing": 0}


def _write_file(zf: zipfile.ZipFile, entry: dict[str, Any], attachment: Attachment | None) -> bool:
    """Pack one evidence file; False (and a note in its place) when it cannot be read."""
    path = entry["path"]
    try:
        if "source" in entry:
            zf.write(entry["source"], path)
            return True
        if attachment is None:
            raise ValueError("attachment gone")
        with attachment.file.open("rb") as fh:
            zf.writestr(path, fh.read())
        return True
    except (OSError, ValueError):
        zf.writestr(path + ".MISSING.txt", MISSING_NOTE)
        return False


def advance(
    organization: Any,
    zf: zipfile.ZipFile,
    plan: dict[str, Any],
    done: int,
    *,
    max_steps: int | None = None,
    seconds: float | None = None,
    progress: Progress | None = None,
) -> int:
    """Run the steps after the first ``done`` ones, at most ``max_steps`` of them and stopping once
    ``seconds`` have passed (always at least one step); returns the new number of steps done.
    ``plan["missing"]`` counts the files that could not be read."""
    from weasyprint import HTML

    total = total_steps(plan)
    stop = total if max_steps is None else min(total, done + max(1, max_steps))
    started = time.monotonic()
    present = set(zf.namelist())
    # The attachments of this chunk, in one query.
    wanted = [
        plan["files"][i - 2]["attachment"]
        for i in range(max(done, 2), min(stop, 2 + len(plan["files"])))
        if "attachment" in plan["files"][i - 2]
    ]
    attachments = {a.pk: a for a in Attachment.objects.filter(organization=organization, pk__in=wanted)}
    while done < stop:
        label = step_label(plan, done)
        if done == 1:
            if label not in present:
                zf.writestr(label, HTML(string=zf.read("index.html").decode()).write_pdf())
        elif done == total - 1:
            if label not in present:
                zf.writestr(
                    label,
                    f"Evidence pack of {organization} generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} "
                    "UTC by Qualitas. Open index.html (or index.pdf).\n",
                )
        else:
            entry = plan["files"][done - 2]
            fresh = label not in present and label + ".MISSING.txt" not in present
            if fresh and not _write_file(zf, entry, attachments.get(entry.get("attachment", 0))):
                plan["missing"] = plan.get("missing", 0) + 1
        done += 1
        if progress:
            progress(label, done, total)
        if seconds is not None and time.monotonic() - started >= seconds:
            break
    return done


def build(
    organization: Any, out: IO[bytes] | str | Path, *, progress: Progress | None = None
) -> dict[str, int]:
    """Write the whole pack to ``out`` (the command); returns counts (clauses, files, missing files)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        plan = begin(organization, zf)
        if progress:
            progress("index.html", 1, total_steps(plan))
        advance(organization, zf, plan, 1, progress=progress)
    return counts(plan)


def counts(plan: dict[str, Any]) -> dict[str, int]:
    missing = plan.get("missing", 0)
    return {"clauses": plan["clauses"], "files": len(plan["files"]) - missing, "missing": missing}
