from django.urls import path

from holdspace.commitments.views import agreements, demands, letters, overview, rota

urlpatterns = [
    path("p/<uuid:process_id>/commitments/", overview.overview, name="hs-commitments"),
    # The letter
    path("g/<uuid:group_id>/letter/new/", letters.letter_new, name="hs-letter-new"),
    path("l/<uuid:record_id>/", letters.letter_detail, name="hs-letter"),
    path("l/<uuid:record_id>/edit/", letters.letter_edit, name="hs-letter-edit"),
    path("l/<uuid:record_id>/copies/new/", letters.copy_new, name="hs-letter-copy"),
    # Demands, steps, evidence
    path("g/<uuid:group_id>/demands/new/", demands.demand_new, name="hs-demand-new"),
    path("d/<uuid:record_id>/", demands.demand_detail, name="hs-demand"),
    path("d/<uuid:record_id>/edit/", demands.demand_edit, name="hs-demand-edit"),
    path("d/<uuid:record_id>/wording/", demands.demand_reword, name="hs-demand-reword"),
    path("d/<uuid:record_id>/propose/", demands.demand_propose, name="hs-demand-propose"),
    path(
        "d/<uuid:record_id>/proposals/<uuid:proposal_id>/decide/",
        demands.demand_decide,
        name="hs-demand-decide",
    ),
    path("d/<uuid:record_id>/status/", demands.demand_status, name="hs-demand-status"),
    path("d/<uuid:record_id>/steps/new/", demands.step_new, name="hs-step-new"),
    path("s/<uuid:record_id>/", demands.step_detail, name="hs-step"),
    path("s/<uuid:record_id>/edit/", demands.step_edit, name="hs-step-edit"),
    path("s/<uuid:record_id>/status/", demands.step_status, name="hs-step-status"),
    path("r/<uuid:record_id>/evidence/new/", demands.evidence_new, name="hs-evidence-new"),
    path(
        "r/<uuid:record_id>/evidence/<uuid:evidence_id>/",
        demands.evidence_assess,
        name="hs-evidence-assess",
    ),
    # Agreements and the rota
    path("g/<uuid:group_id>/agreements/new/", agreements.agreement_new, name="hs-agreement-new"),
    path("a/<uuid:record_id>/", agreements.agreement_detail, name="hs-agreement"),
    path("a/<uuid:record_id>/edit/", agreements.agreement_edit, name="hs-agreement-edit"),
    path("a/<uuid:record_id>/status/", agreements.agreement_status, name="hs-agreement-status"),
    path("a/<uuid:record_id>/renew/", agreements.agreement_renew, name="hs-agreement-renew"),
    path("a/<uuid:record_id>/breaches/new/", agreements.breach_new, name="hs-breach-new"),
    path("a/<uuid:record_id>/rota/", rota.rota_page, name="hs-rota"),
    path("a/<uuid:record_id>/rota/add/", rota.rota_add, name="hs-rota-add"),
    path("a/<uuid:record_id>/rota/places/<uuid:venue_id>/", rota.rota_venue, name="hs-rota-venue"),
    path(
        "a/<uuid:record_id>/rota/places/<uuid:venue_id>/print/",
        rota.venue_print,
        name="hs-venue-print",
    ),
    path("a/<uuid:record_id>/rota/changes/new/", rota.rota_exception, name="hs-rota-exception"),
    path(
        "a/<uuid:record_id>/rota/changes/<uuid:exception_id>/remove/",
        rota.rota_exception_delete,
        name="hs-rota-exception-delete",
    ),
]
