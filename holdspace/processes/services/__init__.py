"""What people do with processes, groups and records: one package, a module
per concern (common, processes, memberships, records); callers import from
here.

Each function is one atomic change: it checks the rules, changes the data,
writes an audit entry and, where the chronology should show it, an event —
all in one transaction, so a failure half-way leaves everything as before.
Callers have already passed the access core; these functions enforce the
rules that hold whoever calls them.
"""

from holdspace.processes.services.common import (
    BEFORE_THE_LAST_HAND_OVER,
    BEFORE_THE_PROCESS,
    NOT_YET,
    EditConflict,
    Floor,
    Refused,
    audit_record,
    day_it_happened,
    record_event,
    set_audience,
    since_the_start,
)
from holdspace.processes.services.handover import (
    hand_over,
    last_hand_overs,
    move_responsibility,
    passable_kinds,
    refusal_for,
)
from holdspace.processes.services.memberships import (
    confirm_conflict,
    create_account_for_invitation,
    end_memberships_of_deactivated_account,
    invite,
    join,
    leave,
    make_coordinator,
    needs_confirmation,
    open_invitation_for_reading,
    remove_member,
    restore_access,
    revoke_invitation,
    run_rekey_soon,
    update_membership,
)
from holdspace.processes.services.processes import (
    STATUS_ACTIONS,
    NewProcess,
    add_group,
    create_process,
    is_party,
    may_start_processes,
    update_group,
    update_party,
    update_process,
)
from holdspace.processes.services.records import (
    change_audience,
    create_record,
    edit_record,
    write_note,
)

__all__ = [
    "BEFORE_THE_LAST_HAND_OVER",
    "BEFORE_THE_PROCESS",
    "NOT_YET",
    "STATUS_ACTIONS",
    "EditConflict",
    "Floor",
    "NewProcess",
    "Refused",
    "add_group",
    "audit_record",
    "change_audience",
    "confirm_conflict",
    "create_account_for_invitation",
    "create_process",
    "create_record",
    "day_it_happened",
    "edit_record",
    "end_memberships_of_deactivated_account",
    "hand_over",
    "invite",
    "is_party",
    "join",
    "last_hand_overs",
    "leave",
    "make_coordinator",
    "may_start_processes",
    "move_responsibility",
    "needs_confirmation",
    "open_invitation_for_reading",
    "passable_kinds",
    "record_event",
    "refusal_for",
    "remove_member",
    "restore_access",
    "revoke_invitation",
    "run_rekey_soon",
    "set_audience",
    "since_the_start",
    "update_group",
    "update_membership",
    "update_party",
    "update_process",
    "write_note",
]
