"""Sign-in forms (CSRF-protected by Flask-WTF)."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.forms import Form
from app.meetings.forms import REQUIRED, TOO_LONG


class LoginForm(Form):
    """Username and password, for staff."""

    username = StringField(_l("Username"),
                           validators=[DataRequired(message=REQUIRED), Length(max=64, message=TOO_LONG)])
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(message=REQUIRED), Length(max=200, message=TOO_LONG)])
    submit = SubmitField(_l("Sign in"))
