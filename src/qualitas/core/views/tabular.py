"""The one import page: upload → preview with every row's errors → confirm (all rows or none)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from qualitas.core.errors import error_list
from qualitas.core.forms import ImportFileForm
from qualitas.core.tabular.imports import ImportSpec, RowErrors
from qualitas.core.tabular.reading import MAX_FILE_BYTES
from qualitas.core.views.base import OrganizationRequiredMixin, safe_next


class ImportView(OrganizationRequiredMixin, View):
    """Serve one register's ``spec`` (a ``core.tabular.imports.ImportSpec``).

    Declare ``spec`` and ``success_url_name`` (the register's list). ``preview = False`` imports on
    upload when every row is correct (no confirmation step). The file read for the preview is kept
    in the session until it is confirmed, and checked again when it is."""

    spec: ClassVar[ImportSpec]
    success_url_name: ClassVar[str]
    preview: ClassVar[bool] = True
    template_name: ClassVar[str] = "core/import.html"
    max_file_bytes: ClassVar[int] = MAX_FILE_BYTES

    @property
    def session_key(self) -> str:
        return f"import:{self.spec.key}"

    def context(self, **extra: Any) -> dict[str, Any]:
        spec = self.spec
        return {
            "title": spec.title or _("Import %(noun)s") % {"noun": spec.noun},
            "spec": spec,
            "columns": spec.columns,
            "back_url": self.success_url(),
            "form": ImportFileForm(),
            **extra,
        }

    def success_url(self) -> str:
        return safe_next(self.request, reverse(self.success_url_name))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_allowed(self.spec.permission, self.spec.model)
        return render(request, self.template_name, self.context())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_allowed(self.spec.permission, self.spec.model)
        if request.POST.get("confirm"):
            stored = request.session.get(self.session_key)
            if not stored:
                messages.error(request, _("The preview expired; upload the file again."))
                return HttpResponseRedirect(request.path)
            return self.run(stored["table"])
        form = ImportFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form=form), status=400)
        upload = form.cleaned_data["file"]
        try:
            if upload.size > self.max_file_bytes:
                raise ValidationError(
                    {"file": _("The file is larger than %(mb)d MB.") % {"mb": self.max_file_bytes >> 20}}
                )
            table = self.spec.read(upload.name, upload.read())
        except ValidationError as exc:
            return render(
                request, self.template_name, self.context(form=form, errors=error_list(exc)), status=400
            )
        rows = self.spec.validate(self.organization, table)
        bad = sum(1 for r in rows if r.errors)
        if not bad and not self.preview:
            return self.run(table)
        if not bad:
            request.session[self.session_key] = {"table": table}
        else:
            request.session.pop(self.session_key, None)
        context = self.context(form=form, rows=rows, bad=bad, ready=not bad)
        return render(request, self.template_name, context, status=400 if bad else 200)

    def run(self, table: list[dict[str, str]]) -> HttpResponse:
        try:
            created = self.spec.run(organization=self.organization, actor=self.request.user, table=table)
        except RowErrors as exc:
            bad = sum(1 for r in exc.rows if r.errors)
            context = self.context(rows=exc.rows, bad=bad, title=_("Import failed"))
            return render(self.request, self.template_name, context, status=400)
        except ValidationError as exc:
            context = self.context(errors=error_list(exc), title=_("Import failed"))
            return render(self.request, self.template_name, context, status=400)
        self.request.session.pop(self.session_key, None)
        messages.success(
            self.request,
            _("Imported %(n)d %(noun)s.") % {"n": len(created), "noun": self.spec.noun},
        )
        return HttpResponseRedirect(self.success_url())
