from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import access
from .roles import Role


class User(AbstractUser):
    """A portal user. Acts for one department or one zone, according to its role."""

    department = models.ForeignKey(
        "tasks.Department",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    zone = models.ForeignKey(
        "parks.Zone",
        verbose_name=_("所属园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    county = models.ForeignKey(
        "parks.County",
        verbose_name=_("所属县市"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, blank=True)
    # The language of the user's notices and their e-mail: the one they chose on their account page (`views.account`)
    # or last chose with the pages' language switch (`views.language_choose`); blank: the portal's own (LANGUAGE_CODE).
    language = models.CharField(
        _("通知语言"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("站内通知和通知邮件所用的语言：用户在“我的账户”中选定或最近一次在页面上切换的语言；为空则用中文。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name(self.first_name, self.last_name, self.username)

    @property
    def notice_language(self) -> str:
        """The language the user's notices are written in."""
        return self.language or settings.LANGUAGE_CODE

    @staticmethod
    def display_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
        """How a user is named on pages: the full name (as ``get_full_name``), else the username; also for rows
        read as plain values, without a model."""
        return f"{first_name or ''} {last_name or ''}".strip() or username or ""

    @property
    def is_office(self) -> bool:
        return access.is_office(self)


class Notification(models.Model):
    """An in-portal message (deadline reminders, returned reports, new flags)."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    key = models.CharField(_("去重键"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # Email copy (chuxiong_portal/mail.py): sent after the commit by its own job; a failure stays visible here.
    mailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    mail_error = models.CharField(_("邮件发送失败原因"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="notification_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PendingJob(models.Model):
    """The outbox: a job a write asked for, stored in the write's own transaction (chuxiong_portal/queue.py).

    The broker only delivers it; the row is deleted once the job has run. A row older than a minute was not
    delivered (broker down, worker lost, job failed) and the beat sweep runs it, so no recompute is lost.
    """

    job = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("参数"), default=list, blank=True)
    kwargs = models.JSONField(_("关键字参数"), default=dict, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(_("补跑次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    # When a process began to run it (`queue.run_pending`): no other runs it meanwhile, until the lease ends.
    started_at = models.DateTimeField(_("开始执行时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待执行任务")
        verbose_name_plural = _("待执行任务")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.job} #{self.pk}"
