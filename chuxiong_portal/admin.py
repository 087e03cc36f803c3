from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import AdminLoginForm
from .models import Notification, PendingJob, User
from .services import user_role_group_sync

admin.site.site_header = _("楚雄州开发区提质增效三年行动调度平台")
admin.site.site_title = _("调度平台管理")
admin.site.index_title = _("数据与用户管理")
admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "department", "zone", "is_active"]
    list_filter = ["role", "department", "zone", "is_active", "is_staff"]
    list_select_related = ["department", "zone"]
    portal_fields = ("role", "department", "zone", "county")
    fieldsets = BaseUserAdmin.fieldsets + ((_("调度平台"), {"fields": (*portal_fields, "language")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("调度平台"), {"fields": portal_fields}),)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_role_group_sync(form.instance)  # the groups the form saved, then the role's


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at", "mailed_at", "mail_error"]
    list_filter = ["read_at", "mailed_at"]
    search_fields = ["title", "body", "user__username"]
    list_select_related = ["user"]


@admin.register(PendingJob)
class PendingJobAdmin(admin.ModelAdmin):
    """The outbox (chuxiong_portal/queue.py): jobs not run yet, with the sweep's attempts and last error."""

    list_display = ["job", "created_at", "started_at", "attempts", "last_error"]
    list_filter = ["job"]
    readonly_fields = ["job", "args", "kwargs", "created_at", "started_at", "attempts", "last_error"]
