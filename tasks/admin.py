from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Department, Programme, Responsibility, Task


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

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("responsibilities__department")

    @admin.display(description=_("牵头单位"))
    def lead_unit(self, obj: Task) -> str:
        leads = [r.display_name for r in obj.responsibilities.all() if r.role == Responsibility.Role.LEAD]
        return "、".join(leads)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "other_names", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["task", "position", "display_name", "role"]
    list_filter = ["role", "task__programme", "department"]
    search_fields = ["department__name", "task__title"]
    list_select_related = ["task", "department"]
