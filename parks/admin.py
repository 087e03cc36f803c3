from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Area, County, IndustryCluster, Zone


class StableCodeAdmin(admin.ModelAdmin):
    """A row plan files and the API name by its code: the code is set once, when the row is added. Changed here,
    a plan file's next load would meet its name under an unknown code, and every link and import by code would break."""

    def get_readonly_fields(self, request, obj=None):
        return (
            [*super().get_readonly_fields(request, obj), "code"] if obj else super().get_readonly_fields(request, obj)
        )


@admin.register(County)
class CountyAdmin(StableCodeAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]


@admin.register(Zone)
class ZoneAdmin(StableCodeAdmin):
    list_display = ["name", "code", "level", "county"]
    list_filter = ["level", "county"]
    search_fields = ["name", "code"]
    list_select_related = ["county"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "zone", "order", "is_demo"]
    list_filter = ["zone", "is_demo"]
    search_fields = ["name", "code"]
    list_select_related = ["zone"]


@admin.register(IndustryCluster)
class IndustryClusterAdmin(StableCodeAdmin):
    list_display = ["name", "code", "zone_names"]
    list_filter = ["zones"]
    search_fields = ["name", "code"]
    filter_horizontal = ["zones"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("zones")

    @admin.display(description=_("依托园区"))
    def zone_names(self, obj: IndustryCluster) -> str:
        return str(_("、")).join(zone.name for zone in obj.zones.all())
