from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from holdspace.processes import access
from holdspace.tests.toy.models import Toy


@require_GET
@access.per_object_access
def toy_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    toy = access.get_specific_for_user(request, record_id, Toy)
    return render(request, "toy/detail.html", {"record": toy, "process": toy.process})
