from qualitas.actions import services
from qualitas.actions.api.serializers import ActionSerializer
from qualitas.actions.filters import ActionFilterSet
from qualitas.actions.models import Action
from qualitas.core.api.viewsets import TenantModelViewSet, TransitionMixin


class ActionViewSet(TransitionMixin, TenantModelViewSet):
    """Actions (tasks): owner, due date, priority, status, and the record they are about."""

    model = Action
    queryset = Action.objects.none()
    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet
    select_related = ("owner", "subject_type")
    ordering_fields = ["due_date", "reference", "priority", "status", "created_at"]
    create_service = staticmethod(services.create_action)
    update_service = staticmethod(services.update_action)
    transition_service = staticmethod(services.transition_action)
