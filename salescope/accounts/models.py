from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from salescope.core.models import RefModel


class Team(RefModel):
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MANAGER = "manager", _("manager")
    HEAD = "head", _("head of sales")
    ADMIN = "admin", _("administrator")


class User(AbstractUser):
    """A member of the department. `username` is the login; `ref` the bundle id."""

    ref = models.CharField("external id", max_length=200, unique=True)
    name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MANAGER)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    phone_ext = models.CharField(_("phone extension"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
        ]

    def __str__(self) -> str:
        return self.name or self.username
