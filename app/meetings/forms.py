"""Forms of the meeting screens (CSRF-protected by Flask-WTF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateTimeLocalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class MeetingForm(FlaskForm):
    """Create or edit a meeting."""

    slug = StringField(_l("Short name (used in links)"), validators=[DataRequired(), Length(max=64)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    starts_at = DateTimeLocalField(_l("Starts at"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])


class ItemForm(FlaskForm):
    """Add or edit an agenda item."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    parent_id = SelectField(_l("Under item"), coerce=str, validators=[Optional()])


class RosterForm(FlaskForm):
    """Upload a roster CSV."""

    csv_file = FileField(_l("Roster CSV"), validators=[FileRequired()])


class UploadForm(FlaskForm):
    """Upload a PDF to an agenda item."""

    pdf = FileField(_l("PDF document"), validators=[FileRequired()])
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=300)])


class ActionForm(FlaskForm):
    """A bare CSRF-protected form for buttons that change something."""

    value = HiddenField()


class StatusForm(FlaskForm):
    """Change the meeting status."""

    status = SelectField(_l("Status"), choices=[])
