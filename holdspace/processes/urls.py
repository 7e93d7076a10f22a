from django.urls import path

from holdspace.processes.views import groups, join, parties, processes, records

urlpatterns = [
    path("dashboard/", processes.dashboard, name="hs-dashboard"),
    path("processes/new/", processes.process_new, name="hs-process-new"),
    path("p/<uuid:process_id>/", processes.process_detail, name="hs-process"),
    path("p/<uuid:process_id>/timeline/", processes.timeline, name="hs-timeline"),
    path("p/<uuid:process_id>/settings/", processes.process_edit, name="hs-process-edit"),
    path("p/<uuid:process_id>/parties/<str:role>/", processes.party_edit, name="hs-party-edit"),
    path("p/<uuid:process_id>/parties/<str:role>/link/", parties.party_link, name="hs-party-link"),
    path(
        "p/<uuid:process_id>/parties/<str:role>/link/<uuid:invitation_id>/revoke/",
        parties.party_link_revoke,
        name="hs-party-link-revoke",
    ),
    path("link/<str:token>/", parties.party_join, name="hs-party-join"),
    path("link/<str:token>/account/", parties.party_join_new_account, name="hs-party-join-account"),
    path("p/<uuid:process_id>/tasks/", processes.responsibilities, name="hs-responsibilities"),
    path("p/<uuid:process_id>/hand-over/", processes.hand_over, name="hs-hand-over"),
    path("p/<uuid:process_id>/audit/", processes.audit_log, name="hs-process-audit"),
    path("p/<uuid:process_id>/groups/new/", groups.group_new, name="hs-group-new"),
    path("g/<uuid:group_id>/", groups.group_detail, name="hs-group"),
    path("g/<uuid:group_id>/edit/", groups.group_edit, name="hs-group-edit"),
    path("g/<uuid:group_id>/invite/", groups.invite, name="hs-group-invite"),
    path(
        "g/<uuid:group_id>/invitations/<uuid:invitation_id>/revoke/",
        groups.revoke_invitation,
        name="hs-group-invitation-revoke",
    ),
    path("g/<uuid:group_id>/leave/", groups.leave, name="hs-group-leave"),
    path("g/<uuid:group_id>/me/", groups.membership_edit, name="hs-membership-edit"),
    path(
        "g/<uuid:group_id>/members/<uuid:membership_id>/remove/",
        groups.remove_member,
        name="hs-member-remove",
    ),
    path(
        "g/<uuid:group_id>/members/<uuid:membership_id>/coordinate/",
        groups.make_coordinator,
        name="hs-member-coordinator",
    ),
    path(
        "g/<uuid:group_id>/members/<uuid:membership_id>/confirm/",
        groups.confirm_conflict,
        name="hs-member-confirm",
    ),
    path(
        "g/<uuid:group_id>/members/<uuid:membership_id>/restore/",
        groups.restore_access,
        name="hs-member-restore",
    ),
    path("g/<uuid:group_id>/notes/new/", records.note_new, name="hs-note-new"),
    path("join/<str:token>/", join.join, name="hs-join"),
    path("join/<str:token>/account/", join.join_new_account, name="hs-join-account"),
    path("r/<uuid:record_id>/", records.record_detail, name="hs-record"),
    path("r/<uuid:record_id>/edit/", records.note_edit, name="hs-record-edit"),
    path("r/<uuid:record_id>/audience/", records.audience, name="hs-record-audience"),
    path("r/<uuid:record_id>/history/", records.history, name="hs-record-history"),
]
