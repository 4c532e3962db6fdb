from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salescope.core.models import RefModel


class Contact(RefModel):
    name = models.CharField(_("name"), max_length=300)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    company = models.CharField(_("company"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True, db_index=True)
    campaign = models.CharField(_("campaign"), max_length=300, blank=True)
    utm = models.JSONField(_("UTM tags"), default=dict, blank=True)
    ga_client_id = models.CharField(_("GA client id"), max_length=100, blank=True)
    ym_client_id = models.CharField(_("Metrica client id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactPhone(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone (E.164)"), max_length=20, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "number"], name="contactphone_unique"),
            models.CheckConstraint(condition=models.Q(number__startswith="+"), name="contactphone_e164"),
        ]

    def __str__(self) -> str:
        return self.number


class ContactEmail(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    address = models.CharField(_("e-mail"), max_length=254, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "address"], name="contactemail_unique"),
        ]

    def __str__(self) -> str:
        return self.address
