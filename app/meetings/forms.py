"""Forms of the meeting screens (CSRF-protected by Flask-WTF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateTimeLocalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form

# WTForms ships no Vietnamese: every message a validator can show is ours, from the catalogue.
REQUIRED = _l("Fill in this field.")
TOO_LONG = _l("Use at most %(max)d characters.")
NO_FILE = _l("Choose a file.")
BAD_DATETIME = _l("Write a date and time such as 2026-12-03 14:00.")
BAD_CHOICE = _l("Choose one of the offered values.")


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class MeetingForm(Form):
    """Create or edit a meeting."""

    slug = StringField(_l("Short name (used in links)"),
                       validators=[DataRequired(message=REQUIRED), Length(max=64, message=TOO_LONG)])
    title = StringField(_l("Title"), validators=[DataRequired(message=REQUIRED), Length(max=300, message=TOO_LONG)])
    starts_at = DateTimeLocalField(_l("Starts at"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
                                   invalid_value_message=BAD_DATETIME)
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300, message=TOO_LONG)])


class ItemForm(Form):
    """Add or edit an agenda item."""

    title = StringField(_l("Title"), validators=[DataRequired(message=REQUIRED), Length(max=300, message=TOO_LONG)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000, message=TOO_LONG)])
    parent_id = SelectField(_l("Under item"), coerce=str, validators=[Optional()], filters=[_stripped],
                            invalid_choice_message=BAD_CHOICE)   # "  " is no parent (Optional() let it through)


class RosterForm(Form):
    """Upload a roster CSV."""

    csv_file = FileField(_l("Roster CSV"), validators=[FileRequired(message=NO_FILE)])


class MemberForm(Form):
    """Seat one person (a late arrival, a substitute) without a CSV. Roles offered: the view sets them."""

    name = StringField(_l("Name"), validators=[DataRequired(message=REQUIRED), Length(max=200, message=TOO_LONG)])
    seat = StringField(_l("Seat"), validators=[Optional(), Length(max=16, message=TOO_LONG)])
    weight = StringField(_l("Vote weight"), default="1", validators=[Optional(), Length(max=12, message=TOO_LONG)],
                         render_kw={"inputmode": "numeric"})  # checked as a roster row's weight is
    role = SelectField(_l("Role"), coerce=str, invalid_choice_message=BAD_CHOICE)
    votes = SelectField(_l("Votes"), coerce=str, invalid_choice_message=BAD_CHOICE, default="")  # choices: the view
    username = StringField(_l("Username (optional: an account they already have)"),
                           validators=[Optional(), Length(max=64, message=TOO_LONG)])


class MemberEditForm(MemberForm):
    """Change one member's name, seat, role or weight (the account stays theirs: no username field)."""

    username = None


class UploadForm(Form):
    """Upload a PDF to an agenda item."""

    pdf = FileField(_l("PDF document"), validators=[FileRequired(message=NO_FILE)])
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=300, message=TOO_LONG)])


class ActionForm(Form):
    """A bare CSRF-protected form for buttons that change something."""

    value = HiddenField()


class StatusForm(Form):
    """Change the meeting status."""

    status = SelectField(_l("Status"), choices=[], invalid_choice_message=BAD_CHOICE)
