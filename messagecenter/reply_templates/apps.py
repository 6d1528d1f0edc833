from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplyTemplatesConfig(AppConfig):
    name = "messagecenter.reply_templates"
    label = "reply_templates"
    verbose_name = _("Reply templates")
