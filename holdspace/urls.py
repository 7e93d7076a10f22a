"""All URLs. Every view declares an access policy (see holdspace.web.policy)."""

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("holdspace.web.urls")),
    path("", include("holdspace.accounts.urls")),
    path("", include("holdspace.processes.urls")),
    path("", include("holdspace.commitments.urls")),
    path("", include("holdspace.contact.urls")),
    path("", include("holdspace.circle.urls")),
    path("", include("holdspace.decisions.urls")),
    path("", include("holdspace.portal.urls")),
    path("", include("holdspace.survivor.urls")),
    path("", include("holdspace.reports.urls")),
    path("", include("holdspace.conclusion.urls")),
    path("", include("holdspace.closure.urls")),
    path("", include("holdspace.watch.urls")),
]
if settings.TESTING:
    urlpatterns.append(path("", include("holdspace.tests.toy.urls")))

handler400 = "holdspace.web.views.bad_request"
handler403 = "holdspace.web.views.permission_denied"
handler404 = "holdspace.web.views.page_not_found"
handler500 = "holdspace.web.views.server_error"
