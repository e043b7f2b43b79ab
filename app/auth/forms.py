"""Sign-in forms (CSRF-protected by Flask-WTF)."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField, SubmitField
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


class AccountForm(Form):
    """A new staff account: the server makes its password (app/auth/accounts.py)."""

    username = StringField(_l("Username (lowercase letters, digits, dashes)"),
                           validators=[DataRequired(message=REQUIRED), Length(max=64, message=TOO_LONG)])
    name = StringField(_l("Name"), validators=[DataRequired(message=REQUIRED), Length(max=200, message=TOO_LONG)])
    admin = BooleanField(_l("Administrator (manages accounts and meetings)"))
