"""Pages of the standards area: scope, statement of applicability, requirements, readiness, evidence
pack, legacy mapping and status import/export. Thin: parse, call one service, render."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from qualitas.core import cache, charts
from qualitas.core.exceptions import NotAllowed
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    OrganizationRequiredMixin,
    SingletonEditView,
    TenantObjectMixin,
    record_context,
    safe_next,
    say_error,
)
from qualitas.standards import pack, queries, readiness, services, soa, statusfile
from qualitas.standards.choices import (
    GAP_LABELS_ORDER,
    GROUP_TITLES,
    LEGACY_1994,
    PackJobStatus,
    ScopeProfile,
)
from qualitas.standards.filters import RequirementFilterSet
from qualitas.standards.forms import (
    ApplicabilityForm,
    EvidenceLinkForm,
    LegacyProcedureForm,
    RequirementForm,
    ScopeForm,
    StatusImportForm,
)
from qualitas.standards.models import (
    EvidenceLink,
    LegacyProcedure,
    PackJob,
    ReadinessSnapshot,
    Requirement,
    ScopeStatement,
)
from qualitas.standards.readiness import GAP_LABELS


def _clause_or_404(number: str, code: str = "iso9001-2015") -> Any:
    clause = queries.clauses(code).filter(number=number).select_related("standard").first()
    if clause is None:
        raise Http404("No such clause.")
    return clause


# --- scope -----------------------------------------------------------------------------------------


class ScopeView(OrganizationRequiredMixin, View):
    """Plan › Scope: what the quality system covers and which profile the organization chose."""

    def get(self, request: HttpRequest) -> HttpResponse:
        scope = ScopeStatement.objects.visible_to(request.user, self.organization).first()
        statement = soa.statement(self.organization)
        context = {
            "scope": scope,
            "excluded": statement["excluded"],
            "warnings": statement["warnings"],
            "can_change": can(request.user, self.organization, "change", ScopeStatement),
            "profiles": ScopeProfile,
            **(record_context(request, scope) if scope else {}),
            "object": scope,
        }
        return render(request, "standards/scope.html", context)


class ScopeEditView(SingletonEditView):
    """The scope statement: created on the first save; a changed profile is applied to the
    requirements (its warnings are shown after the save)."""

    model = ScopeStatement
    form_class = ScopeForm
    title = _("Scope of the quality management system")
    message = _("Scope saved.")
    success_url_name = "standards:scope"

    def check_allowed(self, action: str, target: Any) -> None:
        first = queries.scope_of(self.organization) is None
        super().check_allowed("add" if first and action == "change" else action, target)

    def save(self, instance: ScopeStatement, form: Any) -> Any:
        scope, self.warnings = services.save_scope(
            self.organization,
            actor=self.request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data.get("version"),
            reason=form.cleaned_data.get("reason", ""),
            design_justification=form.cleaned_data.get("design_justification", ""),
        )
        return scope

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.warnings: list[str] = []
        response = super().post(request, *args, **kwargs)
        for w in self.warnings:
            messages.warning(request, w)
        return response


# --- statement of applicability --------------------------------------------------------------------


class SoaView(OrganizationRequiredMixin, View):
    """Check › Statement of applicability: every clause, applicable or not, and why."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, self.organization, "view", Requirement):
            raise Http404
        context = {
            **soa.statement(self.organization),
            "can_decide": can(request.user, self.organization, "applicability", Requirement),
            "form": ApplicabilityForm(),
        }
        return render(request, "standards/soa.html", context)


class SoaPdfView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        pdf = pack.soa_pdf(self.organization)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="statement-of-applicability-{self.organization.slug}.pdf"'
        )
        return response


class ApplicabilityView(ObjectActionView):
    """Declare a clause (or a heading's subclauses) applicable or not, with a justification."""

    model = Requirement
    form_class = ApplicabilityForm
    permission = "applicability"
    template_name = "standards/applicability_form.html"

    def get_object(self) -> Any:
        return _clause_or_404(self.kwargs["number"])

    def permission_target(self, obj: Any) -> Any:
        return Requirement

    def get_initial(self, obj: Any) -> dict[str, Any]:
        return {"applicable": "0"}

    def perform(self, obj: Any, data: dict[str, Any]) -> Any:
        return services.set_applicability(
            self.organization,
            obj.number,
            actor=self.request.user,
            applicable=data["applicable"],
            justification=data["justification"],
            reason=data.get("reason", ""),
        )

    def get_message(self, obj: Any, result: Any) -> str:
        return _("Applicability of %(number)s saved.") % {"number": obj.number}

    def record_url(self, obj: Any) -> str:
        return reverse("standards:soa") + f"#c-{obj.number}"

    def success_url(self, obj: Any, result: Any) -> str:
        return safe_next(self.request, self.record_url(obj))

    def done(self, obj: Any, result: list[str]) -> HttpResponse:
        for w in result:
            messages.warning(self.request, w)
        return super().done(obj, result)


# --- requirements ----------------------------------------------------------------------------------


class RequirementListView(ObjectListView):
    model = Requirement
    select_related = ("clause", "owner")
    filterset_class = RequirementFilterSet
    template_name = "standards/requirement_list.html"
    columns = [
        ("Clause", "clause__number", "clause__sort_key"),
        ("Title", "clause__title", ""),
        ("Applicable", "applicable", "applicable"),
        ("Status", "status", "status"),
        ("Owner", "owner", "owner__username"),
        ("Target", "target_date", "target_date"),
    ]
    default_ordering = "clause__sort_key"
    title = "Requirements"


def _requirement_context(
    request: HttpRequest, organization: Any, clause: Any, requirement: Any
) -> dict[str, Any]:
    # Register-wide counts: kept while the organization's data is unchanged (core/cache.py).
    auto = cache.for_organization(
        organization, "automatic-evidence", lambda: readiness.automatic_evidence(organization)
    )
    automatic = readiness.automatic_for(clause.number, auto)
    links = (
        list(
            EvidenceLink.objects.filter(organization=organization, requirement=requirement)
            .select_related("content_type")
            .prefetch_related("target")  # one query per kind of record, not one per link
        )
        if requirement and requirement.pk
        else []
    )
    children = list(queries.clauses().filter(parent=clause)) if not clause.is_auditable else []
    legacy = (
        [e for e in queries.legacy_elements() if clause.number in (e.maps_to or [])]
        if clause.is_auditable
        else []
    )
    return {
        "clause": clause,
        "requirement": requirement,
        "automatic": automatic,
        "links": links,
        "children": children,
        "legacy_elements": legacy,
        "link_form": EvidenceLinkForm(organization=organization),
        "can_link": can(request.user, organization, "add", EvidenceLink),
        "can_track": can(request.user, organization, "add", Requirement),
        "can_decide": can(request.user, organization, "applicability", Requirement),
    }


class ClauseView(OrganizationRequiredMixin, View):
    """One clause: what it asks (our words), the organization's status, owner and evidence."""

    def get(self, request: HttpRequest, number: str) -> HttpResponse:
        clause = _clause_or_404(number)
        requirement = (
            Requirement.objects.visible_to(request.user, self.organization).filter(clause=clause).first()
        )
        if requirement is not None:
            return redirect(requirement.get_absolute_url())
        context = _requirement_context(request, self.organization, clause, None)
        return render(request, "standards/requirement_detail.html", context)

    def post(self, request: HttpRequest, number: str) -> HttpResponse:
        """Start tracking the clause: create the requirement (not started) and open its edit form."""
        clause = _clause_or_404(number)
        try:
            requirement = services.requirement_for(self.organization, clause, actor=request.user)
        except ValidationError as exc:
            say_error(request, exc)
            return redirect("standards:clause", number=number)
        return redirect("standards:requirement_edit", pk=requirement.pk)


class RequirementView(ObjectView):
    model = Requirement
    select_related = ("clause", "clause__standard", "owner")
    template_name = "standards/requirement_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_requirement_context(self.request, self.organization, self.object.clause, self.object))
        context["flag_no_evidence"] = (
            self.object.status in ("implemented", "verified")
            and not context["links"]
            and not context["attachments"]
            and not any((s.get("count") or 0) > 0 for s in context["automatic"])
        )
        return context


class RequirementEditView(ObjectEditView):
    model = Requirement
    form_class = RequirementForm
    update_service = staticmethod(services.update_requirement)

    def get_instance(self) -> Any:
        if "pk" not in self.kwargs:
            raise Http404
        return super().get_instance()


class EvidenceLinkAddView(ObjectActionView):
    """Link a record of the organization (kind and number) as evidence of the requirement."""

    model = Requirement
    form_class = EvidenceLinkForm
    inline = True
    permission = "add"
    service = staticmethod(services.link_evidence)

    def permission_target(self, obj: Requirement) -> Any:
        return EvidenceLink

    def service_kwargs(self, obj: Requirement, data: dict[str, Any]) -> dict[str, Any]:
        try:
            model = apps.get_model(data["record_type"])
        except (LookupError, ValueError):
            raise Http404 from None
        target = model.objects.visible_to(self.request.user, self.organization).filter(pk=data["record_id"])
        if not target.exists():
            raise ValidationError(
                _("There is no %(kind)s number %(number)s in this organization.")
                % {"kind": model._meta.verbose_name, "number": data["record_id"]}
            )
        return {"target": target.get(), "note": data.get("note", "")}

    def get_message(self, obj: Requirement, result: EvidenceLink) -> str:
        return _("Linked %(record)s as evidence.") % {"record": result.target or result.target_label}


class EvidenceLinkDeleteView(ObjectActionView):
    model = EvidenceLink
    select_related = ("requirement",)
    permission = "delete"
    service = staticmethod(services.unlink_evidence)
    message = _("Evidence link removed.")

    def service_kwargs(self, obj: EvidenceLink, data: dict[str, Any]) -> dict[str, Any]:
        return {"reason": self.request.POST.get("reason", "")}


# --- readiness -------------------------------------------------------------------------------------


def readiness_context(organization: Any) -> dict[str, Any]:
    # Cached while the organization's data is unchanged (core/cache.py): readiness reads every clause.
    figures = cache.for_organization(organization, "readiness", lambda: readiness.compute(organization))
    services.record_snapshot(organization, figures)
    snaps = list(ReadinessSnapshot.objects.filter(organization=organization).order_by("-date")[:90])[::-1]
    hm = figures["heatmap"]
    heatmap = charts.heatmap(
        hm["rows"],
        hm["cols"],
        hm["cells"],
        labels=hm["labels"],
        links=hm["links"],
        title="Readiness per section",
        desc="Share of applicable requirements implemented, per ISO 9001 section; grey: not applicable.",
    )
    trend = None
    if len(snaps) >= 2:
        trend = charts.line_chart(
            [s.date.strftime("%m-%d") for s in snaps],
            [charts.Series("Overall readiness", [s.overall * 100 for s in snaps])],
            title="Readiness over time",
            desc="Overall readiness in percent, one point a day.",
            y_min=0,
            y_max=100,
            unit="%",
        )
    gaps_by_kind: dict[str, list[Any]] = {k: [] for k in GAP_LABELS}
    for g in figures["gaps"]:
        gaps_by_kind[g.kind].append(g)
    return {
        **figures,
        "heatmap_svg": heatmap,
        "trend_svg": trend,
        "snapshots": snaps,
        "gap_groups": [(k, GAP_LABELS[k], gaps_by_kind[k]) for k in GAP_LABELS_ORDER if gaps_by_kind[k]],
        "group_titles": GROUP_TITLES,
    }


class ReadinessView(OrganizationRequiredMixin, View):
    """Check › Readiness: for the quality manager preparing certification."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, self.organization, "view", Requirement):
            raise Http404
        context = readiness_context(self.organization)
        context["scope"] = queries.scope_of(self.organization)
        return render(request, "standards/readiness.html", context)


# --- evidence pack ---------------------------------------------------------------------------------


class EvidencePackView(OrganizationRequiredMixin, View):
    """GET: what the pack will hold and the recent packs. POST: queue a pack and show its progress."""

    def get(self, request: HttpRequest) -> HttpResponse:
        figures = readiness.compute(self.organization)
        return render(
            request,
            "standards/evidence_pack.html",
            {
                "applicable": figures["applicable"],
                "gap_count": figures["gap_count"],
                "overall": figures["overall"],
                "can_build": can(request.user, self.organization, "add", PackJob),
                "jobs": PackJob.objects.visible_to(request.user, self.organization).select_related(
                    "created_by"
                )[:5],
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            job = services.start_pack_job(self.organization, actor=request.user)
        except NotAllowed:
            raise Http404 from None
        return redirect(job.get_absolute_url())


class PackJobView(TenantObjectMixin, View):
    """The progress page of one pack: a bar that polls until the ZIP is ready to download."""

    model = PackJob
    select_related = ("created_by",)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "standards/packjob.html", {"job": self.get_object()})


class PackJobProgressView(TenantObjectMixin, View):
    """One poll: run the next bounded chunk of the pack and answer the progress bar fragment."""

    model = PackJob

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_object()
        if not job.finished and can(request.user, self.organization, "change", job):
            job = services.advance_pack_job(job, actor=request.user)
        return render(request, "standards/partials/_pack_progress.html", {"job": job})


class PackJobDownloadView(TenantObjectMixin, View):
    """The finished ZIP; another organization's pack (or one not finished) answers 404."""

    model = PackJob

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_object()
        if job.status != PackJobStatus.DONE or not job.file:
            raise Http404("The pack is not ready.")
        try:
            fh = job.file.open("rb")
        except OSError:
            raise Http404("The pack file is gone; build it again.") from None
        name = f"evidence-pack-{self.organization.slug}-{timezone.localtime(job.created_at):%Y%m%d-%H%M}.zip"
        return FileResponse(fh, as_attachment=True, filename=name, content_type="application/zip")


# --- status import and export ----------------------------------------------------------------------


class StatusExportView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        return statusfile.export_response(self.organization, fmt)


class StatusImportView(OrganizationRequiredMixin, View):
    def _check(self) -> None:
        if not can(self.request.user, self.organization, "change", Requirement):
            raise NotAllowed("Your role does not allow you to import statuses.")

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check()
        return render(request, "standards/status_import.html", {"form": StatusImportForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check()
        form = StatusImportForm(request.POST, request.FILES)
        errors: list[tuple[int, str]] = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                table = statusfile.read_table(upload.name, upload.read())
            except ValueError as exc:
                errors = [(1, str(exc))]
            else:
                parsed = statusfile.parse(self.organization, table)
                errors = parsed.errors
                if not errors:
                    try:
                        changed = services.import_statuses(self.organization, parsed.rows, actor=request.user)
                    except ValidationError as exc:
                        errors = [(0, m) for m in exc.messages]
                    else:
                        messages.success(
                            request, f"Imported {len(parsed.rows)} rows; {changed} requirements changed."
                        )
                        return redirect("standards:requirement_list")
        return render(request, "standards/status_import.html", {"form": form, "errors": errors}, status=400)


# --- legacy mapping --------------------------------------------------------------------------------


class CrosswalkView(OrganizationRequiredMixin, View):
    """Where each 1994 element lands in ISO 9001:2015, with the organization's old procedures."""

    def get(self, request: HttpRequest) -> HttpResponse:
        elements = list(queries.legacy_elements())
        target = {c.number: c for c in queries.clauses()}
        procedures: dict[int, list[Any]] = {}
        for p in LegacyProcedure.objects.visible_to(request.user, self.organization).order_by("reference"):
            procedures.setdefault(p.element_id, []).append(p)
        rows = [
            {
                "element": e,
                "targets": [target[n] for n in e.maps_to if n in target],
                "procedures": procedures.get(e.pk, []),
            }
            for e in elements
        ]
        return render(
            request,
            "standards/crosswalk.html",
            {
                "rows": rows,
                "legacy": queries.standard(LEGACY_1994),
                "can_add": can(request.user, self.organization, "add", LegacyProcedure),
            },
        )


class LegacyProcedureListView(ObjectListView):
    model = LegacyProcedure
    select_related = ("element",)
    columns = [
        ("Reference", "reference", "reference"),
        ("Title", "title", "title"),
        ("1994 element", "element", "element__sort_key"),
    ]
    default_ordering = "reference"
    add_url_name = "standards:legacyprocedure_add"
    title = "Legacy procedures (1994 structure)"


class LegacyProcedureView(ObjectView):
    model = LegacyProcedure
    select_related = ("element", "element__standard")
    template_name = "standards/legacyprocedure_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["targets"] = queries.crosswalk(self.object.element)
        return context


class LegacyProcedureEditView(ObjectEditView):
    model = LegacyProcedure
    form_class = LegacyProcedureForm
    create_service = staticmethod(services.create_legacy_procedure)
    update_service = staticmethod(services.update_legacy_procedure)


class LegacyProcedureDeleteView(ObjectDeleteView):
    model = LegacyProcedure
    delete_service = staticmethod(services.delete_legacy_procedure)
    success_url_name = "standards:legacyprocedure_list"


# --- catalog ---------------------------------------------------------------------------------------


class CatalogView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest, code: str = "iso9001-2015") -> HttpResponse:
        standard = queries.standard(code)
        if standard is None:
            raise Http404("No such standard.")
        from qualitas.standards.models import Standard

        return render(
            request,
            "standards/catalog.html",
            {
                "standard": standard,
                "clauses": list(queries.clauses(code)),
                "standards": list(Standard.objects.order_by("code")),
            },
        )


def redirect_home(request: HttpRequest) -> HttpResponseRedirect:
    return redirect("standards:readiness")
