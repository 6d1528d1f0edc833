"""The ASGI application (uvicorn, see README.md): the Django pages over HTTP and the live
updates' websockets (messagecenter/live), both behind the session login.

Websockets are only taken from pages of our own hosts (AllowedHostsOriginValidator: a
page elsewhere cannot use a visitor's session cookie), and the session's user is read by
AuthMiddlewareStack; the consumer refuses anyone else.
"""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")
django_application = get_asgi_application()  # sets Django up before the imports below

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from messagecenter.live.routing import websocket_urlpatterns  # noqa: E402

# In development (`make run`) the server also serves the static files, as runserver did;
# in production WhiteNoise does (settings.py).
http_application = (
    ASGIStaticFilesHandler(django_application)
    if settings.DEBUG and not settings.IS_PRODUCTION
    else django_application
)

application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
