from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "mamori.sites"
    label = "overseas_sites"
    verbose_name = _("Overseas sites and equipment")
