"""The seller's response-time performance page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.selectors import businesses_for_member
from messagecenter.clock.performance import WINDOWS, performance_report
from messagecenter.clock.performance_chart import response_time_chart, share_chart


@login_required
@require_GET
def seller_performance(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Answers within 24 hours against the target, per business and per team member."""
    businesses = list(businesses_for_member(request.user))
    if not businesses:
        raise Http404("No such page.")
    reports = performance_report(businesses, timezone.now())
    return render(
        request,
        "threads/performance.html",
        {
            "sections": [
                {
                    "report": report,
                    "response_chart": response_time_chart(
                        report.days, f"response-time-{report.business.pk}"
                    ),
                    "share_chart": share_chart(report.days, f"share-{report.business.pk}"),
                    "day_rows": report.day_rows,
                }
                for report in reports
            ],
            "windows": WINDOWS,
            "reply_within_hours": settings.REPLY_WITHIN_HOURS,
            "target_percent": settings.REPLY_TARGET_PERCENT,
        },
    )
