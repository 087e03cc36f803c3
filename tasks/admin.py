from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lifecycle import plan_status_set, status_on
from .models import Department, Plan, Programme, Responsibility, Task


def _status_action(status: str, description: str):
    """An admin action moving the chosen plans to `status` through `plan_status_set`, each refusal said."""

    def move(modeladmin, request, queryset):
        for plan in queryset.order_by("first_year", "code"):
            try:
                plan_status_set(plan=plan, status=status, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                modeladmin.message_user(request, text, messages.ERROR)
            else:
                words = {"title": plan.title, "status": Plan.Status(status).label}
                modeladmin.message_user(request, _("《%(title)s》已变更为“%(status)s”。") % words)

    move.__name__ = f"make_{status}"
    return admin.action(description=description)(move)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    """Plans come from plan files (manage.py plan_load); the office moves their status here, one step at a time."""

    list_display = ["title", "code", "document_number", "first_year", "last_year", "status_today"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in Plan._meta.fields]
    actions = [
        _status_action(Plan.Status.IN_FORCE, _("生效（草案 → 执行中）")),
        _status_action(Plan.Status.CLOSING, _("转入收尾（执行中 → 收尾中）")),
        _status_action(Plan.Status.CLOSED, _("结束（收尾中 → 已结束）")),
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("状态"), ordering="status")
    def status_today(self, plan: Plan) -> str:
        """The status the pages and the API give today (`lifecycle.status_on`): a plan still marked in force after its
        last year reads 收尾中 here too, not 执行中."""
        return Plan.Status(status_on(plan, timezone.localdate())).label


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ["department"]
    ordering = ["position"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "programme", "lead_unit"]
    list_filter = ["programme"]
    search_fields = ["title", "text", "responsibility_text"]
    inlines = [ResponsibilityInline]
    list_select_related = ["programme"]

    def get_readonly_fields(self, request, obj=None):
        # A task stays in the plan it was loaded into; its programme is checked against that plan (Task.clean).
        return ["plan"] if obj else []

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("responsibilities__department")

    @admin.display(description=_("牵头单位"))
    def lead_unit(self, obj: Task) -> str:
        leads = [r.display_name for r in obj.responsibilities.all() if r.role == Responsibility.Role.LEAD]
        return str(_("、")).join(leads)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "other_names", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]

    def get_readonly_fields(self, request, obj=None):
        # Plan files name a unit by its slug (and the API and the pages' URLs too): it is set once, when added.
        return ["slug"] if obj else []


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["task", "position", "display_name", "role"]
    list_filter = ["role", "task__programme", "department"]
    search_fields = ["department__name", "task__title"]
    list_select_related = ["task", "department"]
