"""The seller's response-time performance page."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from messagecenter.accounts.decorators import reads_memberships
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.clock.performance import (
    WINDOWS,
    BusinessPerformance,
    DayPoint,
    performance_report,
)
from messagecenter.clock.performance_chart import Chart, response_time_chart, share_chart
from messagecenter.core.fragments import rendered_rows

BUSINESS_TEMPLATE = "includes/performance_business.html"


class PerformanceSection:
    """One business's part of the page. The charts are drawn only when the section is
    rendered, not when it is shown as kept (core/fragments.py)."""

    def __init__(self, report: BusinessPerformance) -> None:
        self.report = report

    @property
    def version(self) -> tuple[Any, ...]:
        """Everything the section shows: its key in the fragment cache."""
        report = self.report
        return (
            report.business.pk,
            report.business.name,
            report.windows,
            [(member.name, member.windows) for member in report.members],
            [(point.day, point.measure) for point in report.days],
            settings.REPLY_WITHIN_HOURS,
            settings.REPLY_TARGET_PERCENT,
        )

    @cached_property
    def response_chart(self) -> Chart:
        return response_time_chart(self.report.days, f"response-time-{self.report.business.pk}")

    @cached_property
    def share_chart(self) -> Chart:
        return share_chart(self.report.days, f"share-{self.report.business.pk}")

    @cached_property
    def day_rows(self) -> list[tuple[DayPoint, str, str]]:
        return self.report.day_rows


@login_required
@reads_memberships
@require_GET
def seller_performance(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Answers within 24 hours against the target, per business and per team member."""
    # The businesses as the navigation read them, before the view (inbox/middleware.py);
    # their names come with the figures.
    business_ids = business_ids_for_member(request.user)
    if not business_ids:
        raise Http404("No such page.")
    reports = performance_report(business_ids, timezone.now())
    sections = [PerformanceSection(report) for report in reports]
    shown = {
        "windows": WINDOWS,
        "reply_within_hours": settings.REPLY_WITHIN_HOURS,
        "target_percent": settings.REPLY_TARGET_PERCENT,
    }
    # A business's figures change when a buyer writes or is answered, or a clock runs
    # out; between those, each section is the same HTML, kept under its figures.
    html = rendered_rows(
        BUSINESS_TEMPLATE,
        [
            (section.version, {**shown, "report": section.report, "section": section})
            for section in sections
        ],
    )
    return render(request, "threads/performance.html", {**shown, "sections": html})
