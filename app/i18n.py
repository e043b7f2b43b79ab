"""Language choice: the user's own, then the session's, then the browser's."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    """The locale for this request (the default outside a request: CLI, services called directly, workers)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.language in languages:
        return current_user.language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def known_language(code: str | None) -> str | None:
    """The code if it is one of the app's languages (LANGUAGES), else None."""
    return code if code in current_app.config["LANGUAGES"] else None


def keep_language(code: str | None) -> bool:
    """Choose the language for this browser (its session) from now on, this request included; False for a code
    that is none of the app's languages (nothing changes)."""
    from flask_babel import refresh

    if known_language(code) is None:
        return False
    session["lang"] = code
    refresh()
    return True


def current_locale() -> str:
    """The active locale code, for templates (<html lang>) and scripts."""
    from flask_babel import get_locale

    return str(get_locale() or "en")


def status_label(status: str) -> str:
    """A meeting status in the user's language."""
    from flask_babel import gettext as _

    return {"draft": _("Draft"), "scheduled": _("Scheduled"), "live": _("Live"), "closed": _("Closed")}.get(status, status)


def role_label(role: str) -> str:
    """A meeting role in the user's language."""
    from flask_babel import gettext as _

    return {"chair": _("Chair"), "secretary": _("Secretary"), "delegate": _("Delegate"),
            "observer": _("Observer")}.get(role, role)


# The time of day on 24 hours in every language, as the wall's clock and the minutes' arrivals and votes say it
# (the minutes mixed “2:00 PM” for the start with “21:37” for the rest).
CLOCK = "HH:mm"


def format_datetime(value, fmt: str = "medium") -> str:
    """A date and time as entered (a meeting's start: wall-clock, no zone), in the user's locale."""
    from flask_babel import format_date, format_time

    if not value:
        return ""
    return f"{format_date(value, fmt, rebase=False)}, {format_time(value, CLOCK, rebase=False)}"


def format_moment(value, fmt: str = "medium") -> str:
    """A moment stored in UTC (an approval, an arrival) as the date and time in the meeting's time zone
    (DAIS_TIMEZONE), in the user's locale."""
    from flask_babel import format_date, format_time

    if not value:
        return ""
    return f"{format_date(value, fmt)}, {format_time(value, CLOCK)}"


def local(value):
    """A moment stored in UTC (naive, or aware) as an aware datetime in the meeting's time zone."""
    from flask_babel import to_user_timezone

    return to_user_timezone(value)


def init_jinja(app) -> None:
    """Expose the language helpers to templates."""
    app.jinja_env.globals.update(current_locale=current_locale, status_label=status_label, role_label=role_label,
                                 meeting_timezone=lambda: app.config["TIMEZONE"])
    app.jinja_env.filters["format_datetime"] = format_datetime
    app.jinja_env.filters["format_moment"] = format_moment
    app.jinja_env.filters["local_stamp"] = lambda value: local(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def N_(message: str) -> str:
    """Mark a string for the catalogue only; it is translated where it is shown (e.g. `{{ _(label) }}`)."""
    return message


# English labels that other code stores or passes on as data and templates translate when showing them:
# the default motion options (app/voting), the count labels of the minutes (app/minutes/service.py).
DATA_LABELS = (N_("For"), N_("Against"), N_("Abstain"), N_("Yes"), N_("No"), N_("Invalid"), N_("Not voting"))
