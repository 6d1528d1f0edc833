from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "messagecenter.inbox"
    label = "inbox"
    verbose_name = "Inbox pages"
