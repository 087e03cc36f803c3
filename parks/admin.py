from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Area, County, IndustryCluster, Zone


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
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
class IndustryClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "zone_names"]
    list_filter = ["zones"]
    search_fields = ["name", "code"]
    filter_horizontal = ["zones"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("zones")

    @admin.display(description=_("依托园区"))
    def zone_names(self, obj: IndustryCluster) -> str:
        return str(_("、")).join(zone.name for zone in obj.zones.all())
