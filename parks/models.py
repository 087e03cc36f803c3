from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    """One of the 10 counties and county-level cities (县市) of 楚雄州."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("县市")
        verbose_name_plural = _("县市")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """A development zone (开发区)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        PREFECTURE = "prefecture", _("州级产业集聚区")

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    short_name = models.CharField(_("简称"), max_length=20, blank=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    county = models.ForeignKey(County, verbose_name=_("属地县市"), on_delete=models.PROTECT, related_name="zones")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("开发区")
        verbose_name_plural = _("开发区")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("zone-detail", args=[self.code])


class Area(models.Model):
    """An area (片区) within a zone. Where areas report figures, a level (output, revenue) of the zone is the
    sum of its areas' for a period in which the zone has no figure of its own (indicators/progress/rollup.py)."""

    zone = models.ForeignKey(Zone, verbose_name=_("所属开发区"), on_delete=models.PROTECT, related_name="areas")
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("片区")
        verbose_name_plural = _("片区")
        ordering = ["zone__order", "order"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="area_unique_name_in_zone")]

    def __str__(self) -> str:
        return f"{self.zone.name} · {self.name}"


class IndustryCluster(models.Model):
    """An industry cluster of task 9, resting on one or more zones."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    description = models.TextField(_("说明"), blank=True)
    zones = models.ManyToManyField(Zone, verbose_name=_("依托园区"), related_name="clusters")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("产业集群")
        verbose_name_plural = _("产业集群")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name
