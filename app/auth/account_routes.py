"""The accounts page, for admins: every account, a new staff account, a new password, the admin role."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import accounts, bp, service
from app.auth.forms import AccountForm
from app.errors import BadInput, Forbidden
from app.extensions import db
from app.meetings.forms import ActionForm
from app.signals import signins_ended
from app.web import FORM_REFUSALS, form_errors, form_refusal


def _admin_only() -> None:
    if not current_user.is_admin:
        raise Forbidden("Only an administrator manages accounts.")


def _list_page(form: AccountForm, status: int = 200, refusal: dict | None = None):
    return render_template("auth/accounts.html", accounts=accounts.accounts(), form=form, refusal=refusal), status


def _password_page(user, password: str, created: bool):
    """The new password, shown this once (never kept by a browser's cache or history)."""
    response = render_template("auth/password.html", user=user, password=password, created=created)
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/accounts")
@login_required
def accounts_page():
    """Every account: username, name, admin or not, password or not, the meetings it is on."""
    _admin_only()
    return _list_page(AccountForm())


@bp.route("/accounts", methods=["POST"])
@login_required
def create_account():
    """A new staff account; its password, made by the server, is shown once on the page that follows."""
    _admin_only()
    form = AccountForm()
    try:
        if not form.validate_on_submit():
            raise form_errors(form)
        user, password = accounts.create_staff(form.username.data or "", form.name.data or "", bool(form.admin.data),
                                               current_user.id)
        db.session.commit()
    except FORM_REFUSALS as exc:
        db.session.rollback()   # the list again, the form as typed and why
        return _list_page(form, 400, form_refusal("account", exc))
    return _password_page(user, password, created=True)


def _account_page(account: accounts.Account, status: int = 200, refusal: dict | None = None):
    return render_template("auth/account.html", account=account, user=account.user, action=ActionForm(),
                           refusal=refusal), status


@bp.route("/accounts/<int:user_id>")
@login_required
def account_page(user_id: int):
    """One account: its meetings, a new password, the admin role."""
    _admin_only()
    return _account_page(accounts.get_account(user_id))


def _checked_action() -> ActionForm:
    form = ActionForm()
    if not form.validate_on_submit():
        raise BadInput("The form has expired; reload the page and try again.")
    return form


@bp.route("/accounts/<int:user_id>/password", methods=["POST"])
@login_required
def reset_password(user_id: int):
    """A new random password, shown once; the old one stops working and every sign-in of the account ends (but
    the admin's own here, when it is their account)."""
    _admin_only()
    _checked_action()
    user = accounts.get_account(user_id).user
    keep = service.signin_id(session.get(service.SIGNIN_KEY)) if user.id == current_user.id else None
    password, ended = accounts.reset_password(user, current_user.id, keep)
    db.session.commit()
    if ended:
        signins_ended.send(None, ids=ended, reason="password_reset")
    return _password_page(user, password, created=False)


@bp.route("/accounts/<int:user_id>/admin", methods=["POST"])
@login_required
def set_admin(user_id: int):
    """`value` = `yes` makes the account an administrator, `no` takes the role away (not one's own, not the
    last admin's: the account's page again with the reason)."""
    _admin_only()
    form = _checked_action()
    if form.value.data not in ("yes", "no"):
        raise BadInput("Choose “Make administrator” or “Remove administrator” on the account's page.")
    account = accounts.get_account(user_id)
    try:
        changed = accounts.set_admin(account.user, form.value.data == "yes", current_user.id)
        db.session.commit()
    except FORM_REFUSALS as exc:
        db.session.rollback()
        return _account_page(accounts.get_account(user_id), exc.status, form_refusal("admin", exc))
    if changed:
        flash(_("%(name)s is an administrator now.", name=account.user.name) if account.user.is_admin
              else _("%(name)s is no longer an administrator.", name=account.user.name), "ok")
    return redirect(url_for("auth.account_page", user_id=user_id))
