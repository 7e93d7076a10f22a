"""The survivor's own view: her demands as they stand, what waits for her
answer, and her choices (DESIGN §1; S16, S44).

Every page starts from the party linked to her account and reads only what
is addressed to her; templates receive the allow-listed views of
:mod:`holdspace.survivor.reading`, never a model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from holdspace.circle import services as circle
from holdspace.circle.models import Informing
from holdspace.commitments import services as commitments
from holdspace.lib.http import posted
from holdspace.processes import access, party_reading
from holdspace.processes.models import Party
from holdspace.processes.services import Refused
from holdspace.survivor import reading, services
from holdspace.survivor.forms import (
    APPROVE,
    HERSELF,
    SUPPORT_GROUP,
    AnswerForm,
    PauseForm,
    WhoAnswersForm,
)


def _party(request: HttpRequest) -> Party:
    return access.get_party_for_user(request, Party.Role.HARMED)


def _context(party: Party, **extra: Any) -> dict[str, Any]:
    return {"terms": party.process.terms, "choices": reading.choices(party), **extra}


@require_GET
@access.party_view
def home(request: HttpRequest) -> HttpResponse:
    party = _party(request)
    return render(
        request,
        "survivor/home.html",
        _context(
            party,
            summary=reading.status_summary(party),
            waiting=reading.waiting(party),
            shared=party_reading.shared_with(party),
        ),
    )


@require_GET
@access.party_view
def demands(request: HttpRequest) -> HttpResponse:
    party = _party(request)
    return render(request, "survivor/demands.html", _context(party, demands=reading.demands(party)))


def _answered(request: HttpRequest, approve: bool) -> HttpResponse:
    messages.success(
        request,
        _("Thank you. You approved it.")
        if approve
        else _("Thank you. You declined it; the group that asked will read your reason."),
    )
    return redirect("hs-survivor")


@require_http_methods(["GET", "POST"])
@access.party_view
def approval(request: HttpRequest, proposal_id: UUID) -> HttpResponse:
    """A change to one of her demands: what is proposed and why; yes, or no
    with a reason."""
    party = _party(request)
    proposal = reading.get_proposal(party, proposal_id)
    if proposal is None:
        raise access.deny(request, "proposal_not_for_party", proposal_id)
    access.open_keys([proposal.demand])
    form = AnswerForm(posted(request))
    answered = _answer(request, form, lambda **answer: commitments.decide(proposal, **answer))
    if answered is not None:
        return answered
    return render(
        request,
        "survivor/approval.html",
        _context(party, proposal=reading.proposal_view(proposal), form=form),
    )


def _answer(
    request: HttpRequest, form: AnswerForm, decide: Callable[..., object]
) -> HttpResponse | None:
    """Her answer, given through the same service as her support group's;
    None while there is none yet (or it was refused: the form says why)."""
    if request.method != "POST" or not form.is_valid():
        return None
    approve = form.cleaned_data["decision"] == APPROVE
    try:
        decide(by=access.request_user(request), approve=approve, reason=form.cleaned_data["reason"])
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return None
    return _answered(request, approve)


@require_http_methods(["GET", "POST"])
@access.party_view
def informing(request: HttpRequest, record_id: UUID) -> HttpResponse:
    """Telling someone around him, which needs her side's approval: who (by
    their relation to him), when and with what; yes, or no with a reason."""
    party = _party(request)
    found = access.get_record_for_party(request, party, record_id, Informing)
    form = AnswerForm(posted(request))
    answered = _answer(request, form, lambda **answer: circle.decide_approval(found, **answer))
    if answered is not None:
        return answered
    view = reading.informing_view(found, reading.latest_approval(found))
    return render(request, "survivor/informing.html", _context(party, informing=view, form=form))


@require_http_methods(["GET", "POST"])
@access.party_view
def choices(request: HttpRequest) -> HttpResponse:
    """Who gives the approvals, and a pause. Three small forms, told apart by
    the button that sent them."""
    party = _party(request)
    user = access.request_user(request)
    current = HERSELF if party.decides_herself else SUPPORT_GROUP
    part = request.POST.get("part", "who") if request.method == "POST" else ""
    who = WhoAnswersForm(posted(request) if part == "who" else None, initial={"who": current})
    pause = PauseForm(posted(request) if part == "pause" else None, auto_id="pause-%s")
    try:
        if part == "who" and who.is_valid():
            herself = who.cleaned_data["who"] == HERSELF
            services.choose(party, by=user, herself=herself)
            messages.success(
                request,
                _("Saved. What is addressed to you waits for your answer.")
                if herself
                else _("Saved. Your support group gives the approvals for you."),
            )
            return redirect("hs-survivor-choices")
        if part == "pause" and pause.is_valid():
            services.pause(party, by=user, until=pause.cleaned_data["until"])
            messages.success(request, _("Saved. Your support group knows you asked for a pause."))
            return redirect("hs-survivor")
        if part == "end_pause":
            services.end_pause(party, by=user)
            messages.success(request, _("Your pause has ended."))
            return redirect("hs-survivor")
    except Refused as refusal:
        if part == "end_pause":
            messages.info(request, str(refusal.message))
            return redirect("hs-survivor-choices")
        (pause if part == "pause" else who).add_error(None, refusal.message)
    return render(request, "survivor/choices.html", _context(party, who=who, pause=pause))
