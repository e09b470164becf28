"""The small forms and buttons of the corrective-action loop on a nonconformity's page (root cause,
5 whys, Ishikawa, disposition, actions, lesson) and on an improvement idea's page: each posts to one
service through core's ``ObjectActionView`` and returns to its section of the page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from qualitas.core.views import ObjectActionView, safe_next
from qualitas.improvement import services
from qualitas.improvement.forms import (
    CauseForm,
    DispositionForm,
    NCActionForm,
    PublishLessonForm,
    RootCauseForm,
    WhyForm,
)
from qualitas.improvement.models import ImprovementOpportunity, IshikawaCause, Lesson, Nonconformity, WhyStep


class NCStepView(ObjectActionView):
    """A step on the nonconformity's page; a refusal re-renders the form with what was typed."""

    model = Nonconformity


class RootCauseView(NCStepView):
    form_class = RootCauseForm
    service = staticmethod(services.set_root_cause)
    title = _("Root cause")
    anchor = "#analysis"


class WhyAddView(NCStepView):
    form_class = WhyForm
    service = staticmethod(services.add_why)
    title = _("Add a why")
    anchor = "#why"


class CauseAddView(NCStepView):
    form_class = CauseForm
    service = staticmethod(services.add_cause)
    title = _("Add a possible cause")
    anchor = "#ishikawa"


class DispositionView(NCStepView):
    form_class = DispositionForm
    service = staticmethod(services.set_disposition)
    title = _("Disposition of the nonconforming output")
    anchor = "#disposition"


class AuthoriseDispositionView(NCStepView):
    service = staticmethod(services.authorise_disposition)
    permission = "authorise"
    anchor = "#disposition"


class ActionAddView(ObjectActionView):
    """Plan an action about the record: the form's fields are the action's data."""

    form_class = NCActionForm
    title = _("Plan an action")
    anchor = "#actions"

    def service_kwargs(self, obj: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"data": data}


class NCActionAddView(ActionAddView):
    model = Nonconformity
    service = staticmethod(services.add_nc_action)


class OpportunityActionAddView(ActionAddView):
    model = ImprovementOpportunity
    service = staticmethod(services.add_opportunity_action)


class PublishLessonView(NCStepView):
    form_class = PublishLessonForm
    permission = "add"
    title = _("Publish a lesson")
    anchor = "#lessons"

    def permission_target(self, obj: Nonconformity) -> Any:
        return Lesson

    def perform(self, obj: Nonconformity, data: dict[str, Any]) -> Any:
        return services.publish_lesson(
            organization=self.organization, actor=self.request.user, data=data, nonconformity=obj
        )


class AnalysisItemView(ObjectActionView):
    """A button on one line of the analysis (a why, a cause): the nonconformity decides who may."""

    def permission_target(self, obj: Any) -> Any:
        return obj.nonconformity

    def record_url(self, obj: Any) -> str:
        return str(obj.nonconformity.get_absolute_url()) + self.anchor

    def success_url(self, obj: Any, result: Any) -> str:
        return safe_next(self.request, self.record_url(obj))


class WhyDeleteView(AnalysisItemView):
    model = WhyStep
    service = staticmethod(services.delete_why)
    anchor = "#why"


class CauseButtonView(AnalysisItemView):
    model = IshikawaCause
    anchor = "#ishikawa"


class CauseRootView(CauseButtonView):
    service = staticmethod(services.mark_root_cause)


class CauseDeleteView(CauseButtonView):
    service = staticmethod(services.delete_cause)
