"""Meeting views: my meetings, the agenda, and the secretary's preparation screens."""
from __future__ import annotations

from babel.lists import format_list
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import service as auth_service
from app.auth.routes import public_base_url, qr_data_url
from app.documents.ingest import spool_upload
from app.documents.service import attach_pdf, change_document, get_document, remove_document
from app.errors import BadInput, Forbidden, InvalidTransition, NotFound, localize
from app.extensions import db, socketio
from app.web import FORM_REFUSALS, form_errors, form_refusal
from app.i18n import role_label
from app.meetings import badges, bp, holds, service
from app.meetings.forms import ActionForm, ItemForm, MeetingForm, MemberEditForm, MemberForm, RosterForm, UploadForm
from app.meetings.models import Meeting, Membership
from app.signals import agenda_changed, document_added, meeting_status_changed, roster_changed, signins_ended


@bp.route("/")
@login_required
def index():
    """The meetings I belong to (all of them for an admin)."""
    return _index_page(MeetingForm())


def _index_page(form: MeetingForm, status: int = 200, refusal: dict | None = None):
    meetings = service.meetings_for(current_user)
    # a chair or secretary looks here for a way to make the next meeting: the page says whose that is
    staff_somewhere = not current_user.is_admin and service.is_staff_anywhere(current_user.id)
    return render_template("meetings/index.html", meetings=meetings, form=form, refusal=refusal,
                           staff_somewhere=staff_somewhere), status


@bp.get("/meetings")
def listing():
    """A typed-in or bookmarked /meetings: the list lives at /."""
    return redirect(url_for("meetings.index"))


@bp.route("/meetings/<slug>")
@login_required
def show(slug: str):
    """The agenda with its documents; staff also see the preparation tools."""
    meeting = service.get_meeting(slug)
    membership = service.require_member(current_user, meeting)
    is_staff = current_user.is_admin or (membership is not None and membership.is_staff)
    return render_template(
        "meetings/show.html", meeting=meeting, membership=membership, is_staff=is_staff,
        agenda=service.numbered_agenda(meeting), action=ActionForm(),
    )


@bp.route("/meetings", methods=["POST"])
@login_required
def create():
    """An admin creates a draft meeting."""
    if not current_user.is_admin:
        raise Forbidden("Only an admin may create meetings.")
    form = MeetingForm()
    try:
        if not form.validate_on_submit():
            raise form_errors(form)
        meeting = service.create_meeting(form.slug.data or "", form.title.data or "", form.starts_at.data,
                                         form.place.data or "", current_user.id)
        db.session.commit()
    except FORM_REFUSALS as exc:
        db.session.rollback()   # the page again, with what was typed and why (a taken short name was a dead end)
        return _index_page(form, 400, form_refusal("meeting", exc))
    flash(_("Meeting created. Add the agenda items and the roster."), "ok")
    return redirect(url_for("meetings.prepare", slug=meeting.slug))


# Refusals the person at the form can put right: the page comes back with the form as it was typed and the reason
# at its top (templates/_form.html), not an error page that loses what was typed.
@bp.route("/meetings/<slug>/prepare", methods=["GET", "POST"])
@login_required
def prepare(slug: str):
    """The secretary's screen: meeting details, agenda items, documents, status."""
    meeting = service.get_meeting(slug)
    service.require_staff(current_user, meeting)
    form = MeetingForm(obj=meeting) if request.method == "GET" else MeetingForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            raise form_errors(form)
        service.ensure_editable(meeting)
        meeting.title = (form.title.data or "").strip()[:300]
        meeting.starts_at = form.starts_at.data
        meeting.place = (form.place.data or "").strip()[:300]
        from app.audit.service import record

        record("meeting.changed", current_user.id, meeting.id)
        db.session.commit()
        flash(_("Saved."), "ok")
        return redirect(url_for("meetings.prepare", slug=slug))
    item_form = ItemForm()
    agenda = service.numbered_agenda(meeting)
    item_form.parent_id.choices = [("", _("— top level —"))] + [(str(n.item.id), f"{n.number} {n.item.title}") for n in agenda]
    subtree = {n.item.id: service.item_subtree(n.item) for n in agenda}
    return render_template("meetings/prepare.html", meeting=meeting, form=form, item_form=item_form,
                           agenda=agenda, upload=UploadForm(), action=ActionForm(),
                           next_statuses=Meeting.TRANSITIONS[meeting.status],
                           takes={n.item.id: _what_goes(*map(len, subtree[n.item.id])) for n in agenda},
                           not_under={n.item.id: {n.item.id} | {i.id for i in subtree[n.item.id][0]} for n in agenda},
                           max_upload_mb=current_app.config["MAX_UPLOAD_MB"])


@bp.route("/meetings/<slug>/status", methods=["POST"])
@login_required
def change_status(slug: str):
    """Move the meeting to its next status (chair, secretary or admin)."""
    meeting = service.get_meeting(slug)
    service.require_staff(current_user, meeting)
    form = ActionForm()
    if not form.validate_on_submit():
        raise BadInput("The form has expired; reload the page and try again.")
    service.change_status(meeting, form.value.data or "", current_user.id)
    db.session.commit()
    meeting_status_changed.send(meeting)
    flash(_("The meeting is now %(status)s.", status=localize(service.STATUS_WORDS[meeting.status])), "ok")
    return redirect(request.referrer or url_for("meetings.prepare", slug=slug))


@bp.route("/meetings/<slug>/items", methods=["POST"])
@login_required
def add_item(slug: str):
    """Add an agenda item."""
    meeting = service.get_meeting(slug)
    service.require_staff(current_user, meeting)
    form = ItemForm()
    form.parent_id.choices = [("", "")] + [(str(i.id), "") for i in meeting.items]
    if not form.validate_on_submit():
        raise form_errors(form)
    parent = int(form.parent_id.data) if form.parent_id.data else None
    item = service.add_item(meeting, form.title.data or "", form.description.data or "", parent, current_user.id)
    db.session.commit()
    agenda_changed.send(meeting)
    flash(_("Item added."), "ok")
    # to the new item, not the top of a long agenda (the secretary adding items one after another scrolled back
    # down each time)
    return redirect(url_for("meetings.prepare", slug=slug, _anchor=f"item-{item.id}"))


def _what_goes(subs: int, docs: int) -> str:
    """“2 sub-items and 3 documents”: what deleting an item takes with it, in the reader's language ("" if nothing)."""
    parts = ([ngettext("%(num)d sub-item", "%(num)d sub-items", subs)] if subs else []) + \
        ([ngettext("%(num)d document", "%(num)d documents", docs)] if docs else [])
    return format_list(parts, locale=get_locale()) if parts else ""


@bp.route("/meetings/<slug>/items/<int:item_id>", methods=["POST"])
@login_required
def edit_item(slug: str, item_id: int):
    """Rename, move (value=up/down) or delete (value=delete) an agenda item."""
    meeting = service.get_meeting(slug)
    service.require_staff(current_user, meeting)
    item = service.get_item(meeting, item_id)
    form = ItemForm() if request.form.get("title") is not None else ActionForm()
    if isinstance(form, ItemForm):
        form.parent_id.choices = [("", "")] + [(str(i.id), "") for i in meeting.items]
    if not form.validate_on_submit():
        raise form_errors(form)
    anchor = f"item-{item.id}"   # back to where the secretary was on a long agenda, not to the top
    if isinstance(form, ItemForm):
        # the parent changes only when the form sends one ("" is a main item)
        parent = (int(form.parent_id.data) if form.parent_id.data else None) if "parent_id" in request.form \
            else service.KEEP
        service.update_item(item, form.title.data or "", form.description.data or "", current_user.id, parent)
        flash(_("Saved: “%(title)s”.", title=item.title), "ok")
    elif form.value.data in ("up", "down"):
        up = form.value.data == "up"
        if not service.move_item(item, -1 if up else 1, current_user.id):   # say so: a tap that does nothing confuses
            flash(_("“%(title)s” is already the first under its heading.", title=item.title) if up else
                  _("“%(title)s” is already the last under its heading.", title=item.title), "ok")
    elif form.value.data == "delete":
        title = item.title
        subs, docs = service.delete_item(item, current_user.id)
        anchor = "agenda"
        if subs or docs:
            flash(_("“%(title)s” was deleted, and with it %(what)s.", title=title, what=_what_goes(subs, docs)), "ok")
        else:
            flash(_("“%(title)s” was deleted.", title=title), "ok")
    else:
        raise BadInput("Unknown action on the agenda item.")
    db.session.commit()
    agenda_changed.send(meeting)
    return redirect(url_for("meetings.prepare", slug=slug, _anchor=anchor))


@bp.route("/meetings/<slug>/items/<int:item_id>/documents", methods=["POST"])
@login_required
def upload_document(slug: str, item_id: int):
    """Upload a PDF to an agenda item; a refused file leaves nothing behind."""
    meeting = service.get_meeting(slug)
    service.require_staff(current_user, meeting)
    item = service.get_item(meeting, item_id)
    service.ensure_editable(meeting)
    form = UploadForm()
    if not form.validate_on_submit():
        if form.errors and "pdf" not in form.errors:   # the file came, something else is wrong: say what
            raise form_errors(form)
        raise BadInput("Choose a PDF file to upload.")
    upload = form.pdf.data
    cfg = current_app.config
    tmp = spool_upload(upload.stream, cfg["DATA_DIR"])
    try:
        doc = attach_pdf(item, tmp, filename=upload.filename or "document.pdf", title=form.title.data or None,
                         data_dir=cfg["DATA_DIR"], max_pages=cfg["MAX_PDF_PAGES"],
                         max_bytes=cfg["MAX_UPLOAD_MB"] * 1024 * 1024, actor_id=current_user.id)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        tmp.unlink(missing_ok=True)
    document_added.send(doc)
    agenda_changed.send(meeting)
    if request.accept_mimetypes.best == "application/json":
        return {"ok": True, "document": {"id": doc.id, "title": doc.title, "pages": doc.page_count,
                                         "repaired": doc.pdf.repaired}}
    flash(_("Document “%(title)s” added (%(pages)s pages).", title=doc.title, pages=doc.page_count), "ok")
    return redirect(url_for("meetings.prepare", slug=slug))


def _staff_document(slug: str, document_id: int):
    """(meeting, document) for a staff member's form about one of the meeting's documents (its token checked)."""
    meeting = service.get_meeting(slug)
    service.require_staff(current_user, meeting)
    doc = get_document(document_id)
    if doc.meeting_id != meeting.id:
        raise NotFound("This document is not part of this meeting.")
    if not ActionForm().validate_on_submit():
        raise BadInput("The form has expired; reload the page and try again.")
    return meeting, doc


@bp.route("/meetings/<slug>/documents/<int:document_id>/remove", methods=["POST"])
@login_required
def remove_document_route(slug: str, document_id: int):
    """Take a document (a wrong or withdrawn upload) off its agenda item."""
    meeting, doc = _staff_document(slug, document_id)
    title = doc.title
    remove_document(doc, current_user.id)
    db.session.commit()
    agenda_changed.send(meeting)
    flash(_("Document “%(title)s” removed.", title=title), "ok")
    return redirect(url_for("meetings.prepare", slug=slug))


@bp.route("/meetings/<slug>/documents/<int:document_id>", methods=["POST"])
@login_required
def change_document_route(slug: str, document_id: int):
    """Rename a document, or move it to another item of the meeting."""
    meeting, doc = _staff_document(slug, document_id)
    item_id = request.form.get("item_id", type=int)
    if item_id is None:
        raise BadInput("Choose the agenda item the document belongs to.")
    change_document(doc, request.form.get("title", ""), item_id, current_user.id)
    db.session.commit()
    agenda_changed.send(meeting)
    flash(_("Document “%(title)s” saved.", title=doc.title), "ok")
    return redirect(url_for("meetings.prepare", slug=slug, _anchor=f"item-{doc.item_id}"))


@bp.route("/meetings/<slug>/roster", methods=["GET", "POST"])
@login_required
def roster(slug: str):
    """The roster: members, seats, weights; import a CSV; hand out sign-in links; reprint badges."""
    meeting = service.get_meeting(slug)
    service.require_staff(current_user, meeting)
    form = RosterForm()
    if request.method == "POST":
        service.ensure_editable(meeting)   # a closed meeting says so before anything about the file
        changes: list[service.MemberChange] = []
        try:
            counts = _import_roster(meeting, form, changes)
            db.session.commit()
        except FORM_REFUSALS as exc:
            db.session.rollback()
            return _roster_page(meeting, 400, refusal=form_refusal("import", exc))
        except BaseException:
            db.session.rollback()
            raise
        if counts["added"] or counts["updated"]:
            roster_changed.send(meeting)
        flash(_("Roster imported: %(added)s added, %(updated)s updated, %(unchanged)s unchanged.", **counts), "ok")
        if changes:
            flash(_("Changed: %(changes)s", changes=_describe_changes(changes)), "ok")
        return redirect(url_for("meetings.roster", slug=slug))
    return _roster_page(meeting)


def _import_roster(meeting: Meeting, form: RosterForm, changes: list[service.MemberChange]) -> dict[str, int]:
    """Read the uploaded CSV and apply it (the caller commits): the counts, or the refusal that names every row."""
    if not form.validate_on_submit():
        raise BadInput("Choose a roster CSV file to upload.")
    try:
        text = form.csv_file.data.read().decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("The roster file is not UTF-8 text; save it as “CSV UTF-8” and upload it again.")
    rows, problems = service.read_roster_csv(text)
    return service.apply_roster(meeting, rows, current_user.id, by_admin=current_user.is_admin, changes=changes,
                                known_problems=problems)


def _roster_page(meeting: Meeting, status: int = 200, **shown):
    """The roster page; `shown` replaces its defaults (a refused form as typed, its refusal, a sign-in link)."""
    page = {"form": RosterForm(), "action": ActionForm(), "link": None, "member_form": _member_form(), "refusal": None,
            **shown}
    return render_template("meetings/roster.html", meeting=meeting, members=service.roster(meeting),
                           public_address=public_base_url(), **page), status


def _describe_changes(changes: list[service.MemberChange], shown: int = 12) -> str:
    """“Jonas Weber: seat D04 → G36; …” in the reader's language, the first `shown` of them."""
    labels = {"seat": _("seat"), "role": _("role"), "weight": _("weight"), "votes": _("votes")}
    yes_no = {"yes": _("yes"), "no": _("no")}

    def value(field: str, v: str) -> str:
        return role_label(v) if field == "role" else yes_no[v] if field == "votes" else v

    parts = [f"{c.name}: " + ", ".join(f"{labels[f]} {value(f, old)} → {value(f, new)}" for f, (old, new) in c.fields.items())
             for c in changes[:shown]]
    text = "; ".join(parts)
    if len(changes) > shown:
        text += " " + _("and %(count)s more", count=len(changes) - shown)
    return text


def _member_form() -> MemberForm:
    """The one-person form; chair and secretary are offered to admins only (see service.roster_rights)."""
    form = MemberForm()
    roles = Membership.ROLES if current_user.is_admin else (Membership.DELEGATE, Membership.OBSERVER)
    form.role.choices = [(r, role_label(r)) for r in roles]
    form.votes.choices = _votes_choices()
    return form


def _votes_value(membership: Membership) -> str:
    """The form's `votes` for a member: "" where their role says it (so a new role brings its own), else yes/no."""
    if membership.can_vote == Membership.votes_by_role(membership.role):
        return ""
    return "yes" if membership.can_vote else "no"


def _votes_choices() -> list[tuple[str, str]]:
    """Whether a member votes: as their role says (chairs and delegates do), or said outright."""
    return [("", _("As the role says (a secretary does not)")), ("yes", _("Votes")), ("no", _("Does not vote"))]


@bp.route("/meetings/<slug>/members", methods=["POST"])
@login_required
def add_member(slug: str):
    """Seat one person without a CSV: a late arrival, a substitute."""
    meeting = service.get_meeting(slug)
    service.require_staff(current_user, meeting)
    service.ensure_editable(meeting)
    form = _member_form()
    try:
        membership = _add_member(meeting, form)
        db.session.commit()
    except FORM_REFUSALS as exc:
        db.session.rollback()
        return _roster_page(meeting, 400, member_form=form, refusal=form_refusal("member", exc))
    roster_changed.send(meeting)
    flash(_("%(name)s is on the roster (seat %(seat)s). Print their badge from the badge sheet, or give them a "
            "sign-in link.", name=membership.user.name, seat=membership.seat or "—"), "ok")
    return redirect(url_for("meetings.roster", slug=slug))


def _member_of(meeting: Meeting, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.meeting_id != meeting.id:
        raise NotFound("This person is not on the roster of this meeting (any more).")
    return membership


@bp.route("/meetings/<slug>/members/<int:membership_id>", methods=["GET", "POST"])
@login_required
def edit_member(slug: str, membership_id: int):
    """Correct one member's name, seat, role or vote weight."""
    meeting = service.get_meeting(slug)
    service.require_staff(current_user, meeting)
    membership = _member_of(meeting, membership_id)
    # starting values: what the member has now (a posted form's fields take their place)
    form = MemberEditForm(data={"name": membership.user.name, "seat": membership.seat or "", "role": membership.role,
                                "weight": str(membership.vote_weight), "votes": _votes_value(membership)})
    if current_user.is_admin:
        roles = Membership.ROLES
    elif membership.is_staff:
        roles = (membership.role,)   # a chair's or secretary's role is an admin's to change
    else:
        roles = (Membership.DELEGATE, Membership.OBSERVER)
    form.role.choices = [(r, role_label(r)) for r in roles]
    form.votes.choices = _votes_choices()
    if not current_user.is_admin:
        del form.name   # the account's name is an admin's to change (see the template)
    refusal = None
    if request.method == "POST":
        service.ensure_editable(meeting)
        try:
            changes = _change_member(meeting, membership, form)
            db.session.commit()
        except FORM_REFUSALS as exc:   # the form again, as typed, with the reason
            db.session.rollback()
            refusal = form_refusal("member", exc)
        else:
            if changes:
                roster_changed.send(meeting)
                flash(_("%(name)s: saved.", name=membership.user.name), "ok")
            else:
                flash(_("Nothing was changed."), "ok")
            return redirect(url_for("meetings.roster", slug=slug))
    return render_template("meetings/member.html", meeting=meeting, member=membership, form=form, refusal=refusal,
                           frozen=holds.freeze_reason(meeting.id), action=ActionForm()), 400 if refusal else 200


def _add_member(meeting: Meeting, form: MemberForm) -> Membership:
    """Seat the person of the add form (the caller commits): their membership, or the refusal."""
    if not form.validate_on_submit():
        raise form_errors(form)
    try:
        row = service.make_roster_row({"name": form.name.data, "role": form.role.data, "seat": form.seat.data,
                                       "weight": form.weight.data, "username": form.username.data,
                                       "votes": form.votes.data}, 1)
    except BadInput as exc:   # a clause (“the weight … is not a whole number”): as a sentence of its own
        raise BadInput("%(name)s cannot be added: %(problem)s.", name=form.name.data, problem=exc)
    return service.add_one_member(meeting, row, current_user.id, by_admin=current_user.is_admin)


def _change_member(meeting: Meeting, membership: Membership, form: MemberEditForm) -> list:
    """Apply the member form (the caller commits): what changed, or the refusal."""
    if not form.validate_on_submit():
        raise form_errors(form)
    name = form.name.data if current_user.is_admin else membership.user.name
    try:
        row = service.make_roster_row({"name": name, "role": form.role.data, "seat": form.seat.data,
                                       "weight": form.weight.data, "votes": form.votes.data}, 1)
    except BadInput as exc:
        raise BadInput("%(name)s cannot be changed: %(problem)s.", name=membership.user.name, problem=exc)
    return service.update_member(meeting, membership, row, current_user.id, by_admin=current_user.is_admin)


@bp.route("/meetings/<slug>/members/<int:membership_id>/<action>", methods=["POST"])
@login_required
def member_action(slug: str, membership_id: int, action: str):
    """Issue a one-time sign-in link (action=link), revoke and reprint a badge (action=reissue), or take someone
    seated by mistake off the roster (action=remove)."""
    meeting = service.get_meeting(slug)
    service.require_staff(current_user, meeting)
    form = ActionForm()
    if not form.validate_on_submit():
        raise BadInput("The form has expired; reload the page and try again.")
    membership = _member_of(meeting, membership_id)
    if meeting.is_closed and action in ("link", "reissue"):
        raise InvalidTransition("This meeting is closed: nobody signs in to it any more, so it needs no new sign-in "
                                "link or badge.")
    link = None
    ended: list[int] = []
    if action == "remove":
        name = service.remove_member(meeting, membership, current_user.id, by_admin=current_user.is_admin)
        db.session.commit()
        roster_changed.send(meeting)
        flash(_("%(name)s is no longer on the roster.", name=name), "ok")
        return redirect(url_for("meetings.roster", slug=slug))
    if action == "link":
        raw = auth_service.issue_link(membership, current_app.config["SIGNIN_LINK_MINUTES"], current_user.id)
        link = public_base_url() + url_for("auth.token_signin", token=raw)
    elif action == "reissue":
        auth_service.revoke_badge(current_app.config["SECRET_KEY"], membership, current_user.id)
        ended = auth_service.end_badge_signins(membership.id)   # whoever signed in with the lost badge is out
        flash(_("The old badge of %(name)s no longer works. Print the new one from the badge sheet.",
                name=membership.user.name), "ok")
    else:
        abort(404)
    db.session.commit()
    if ended:
        signins_ended.send(None, ids=ended, reason="badge_reissued")
    return _roster_page(meeting, link=link, link_for=membership, link_qr=qr_data_url(link) if link else None)


def badge_list(meeting: Meeting, base_url: str) -> list[badges.Badge]:
    """One badge per member with a working sign-in URL (the badges registered and committed a batch at a time)."""
    out = []
    roster = service.roster(meeting)
    for start in range(0, len(roster), BADGE_BATCH):
        batch = roster[start:start + BADGE_BATCH]
        raws = auth_service.ensure_badges(current_app.config["SECRET_KEY"], batch)
        out.extend(badges.Badge(name=m.user.name, seat=m.seat or "", role=role_label(m.role),
                                seat_line=_("Seat %(seat)s", seat=m.seat) if m.seat else "",
                                url=base_url + url_for("auth.token_signin", token=raw)) for m, raw in zip(batch, raws))
        # SQLite's queries do not let the event loop run, and new badges hold its write lock: 500 members in one
        # go kept every tablet waiting 0.3-0.5 s. Commit, and let the others in (a sleep of 0 would not: gevent
        # then runs the greenlets already woken, not the timers and sockets), after each batch.
        db.session.commit()
        socketio.sleep(0.001)
    return out


BADGE_BATCH = 25   # badges looked up (one query) and registered per commit


@bp.route("/meetings/<slug>/badges.pdf")
@login_required
def badge_sheet(slug: str):
    """The printable badge sheet (staff only), made by a child process while the server goes on serving."""
    meeting = service.get_meeting(slug)
    service.require_staff(current_user, meeting)
    title, cards = meeting.title, badge_list(meeting, public_base_url())
    db.session.commit()  # the badges are registered, and no transaction stays open while the sheet is made
    pdf = badges.render_sheet(title, cards, _("Scan to sign in"))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="badges-{meeting.slug}.pdf"',
                             "Cache-Control": "no-store"})
