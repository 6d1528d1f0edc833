"""The app's URLs plus the benchmark's bare view (ROOT_URLCONF while benchmarking)."""

from django.urls import path

from bench.scale.pages import BASELINE_PATH, baseline_view
from messagecenter.urls import handler400
from messagecenter.urls import urlpatterns as app_urlpatterns

__all__ = ["handler400", "urlpatterns"]

urlpatterns = [path(BASELINE_PATH.strip("/") + "/", baseline_view), *app_urlpatterns]
