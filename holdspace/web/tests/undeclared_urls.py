"""The project's URLs plus a view that declares no policy, for the S17 tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def naked(request: HttpRequest) -> HttpResponse:
    return HttpResponse("served without a policy")


urlpatterns = [path("naked/", naked, name="naked"), path("", include("holdspace.urls"))]
