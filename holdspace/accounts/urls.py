from django.urls import path

from holdspace.accounts.views import account, drafts, instance, invitations, login, stay

urlpatterns = [
    path("login/", login.login_view, name="hs-login"),
    path("login/code/", login.login_code, name="hs-login-code"),
    path("login/setup/", login.login_setup, name="hs-login-setup"),
    path("login/setup/qr.svg", login.login_setup_qr, name="hs-login-setup-qr"),
    path("logout/", login.logout_view, name="hs-logout"),
    path("account/stay/", stay.stay, name="hs-session-stay"),
    path("account/drafts/save/", drafts.save_draft, name="hs-draft-save"),
    path("account/drafts/discard/", drafts.discard_draft, name="hs-draft-discard"),
    path("invite/<str:token>/", invitations.accept_invitation, name="hs-invite"),
    path("reset/<str:token>/", invitations.reset_password, name="hs-reset-password"),
    path("forgot/", invitations.forgot_password, name="hs-forgot"),
    path("forgot/recovery/", invitations.recover, name="hs-recover"),
    path("account/recovery-key/", account.recovery_key, name="hs-recovery-key"),
    path("account/", account.account, name="hs-account"),
    path("account/backup-codes/", login.backup_codes, name="hs-backup-codes"),
    path(
        "account/backup-codes/new/",
        account.regenerate_backup_codes,
        name="hs-backup-codes-new",
    ),
    path("account/password/", account.change_password, name="hs-password-change"),
    path("account/confirm/", account.reauth, name="hs-reauth"),
    path("account/authenticator/", account.replace_authenticator, name="hs-account-authenticator"),
    path(
        "account/authenticator/qr.svg",
        account.replace_authenticator_qr,
        name="hs-account-authenticator-qr",
    ),
    path("account/sessions/end/", account.end_other_sessions, name="hs-sessions-end"),
    path("instance/", instance.accounts, name="hs-instance-accounts"),
    path("instance/invite/", instance.invite, name="hs-instance-invite"),
    path(
        "instance/invitations/<uuid:invitation_id>/revoke/",
        instance.revoke_invitation,
        name="hs-instance-invitation-revoke",
    ),
    path(
        "instance/accounts/<uuid:account_id>/reset/",
        instance.reset_account,
        name="hs-instance-reset",
    ),
    path(
        "instance/accounts/<uuid:account_id>/deactivate/",
        instance.deactivate,
        name="hs-instance-deactivate",
    ),
    path(
        "instance/accounts/<uuid:account_id>/reactivate/",
        instance.reactivate,
        name="hs-instance-reactivate",
    ),
    path(
        "instance/accounts/<uuid:account_id>/process-start/",
        instance.process_start,
        name="hs-instance-process-start",
    ),
]
