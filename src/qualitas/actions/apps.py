from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "qualitas.actions"
    label = "actions"
    verbose_name = "Actions"

    def ready(self) -> None:
        from qualitas.actions import dashboard
        from qualitas.core.registry import DashboardTile, NavEntry, registry

        registry.add_nav(NavEntry("Improve", "Actions", "actions:action_list", order=90))
        from qualitas.actions import demo
        from qualitas.actions.search import search_actions
        from qualitas.core.registry import SearchSource

        registry.dashboard_tiles.append(
            DashboardTile("my_tasks", "My tasks", dashboard.my_tasks_tile, order=0)
        )
        registry.demo_loaders.append((10, "actions", demo.load))
        registry.search_sources.append(SearchSource("actions", "Actions", search_actions))
        from qualitas.actions import services
        from qualitas.actions.models import Action
        from qualitas.actions.workflow import ACTION_WORKFLOW

        registry.add_workflow(Action, ACTION_WORKFLOW, services.transition_action)
