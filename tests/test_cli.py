"""The `flask users` commands: what an admin setting up a server types, and the sentences that answer mistakes."""
import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db


def test_users_create_makes_a_user_who_signs_in_and_refuses_a_taken_username_or_no_name(app, runner, client):
    made = runner.invoke(args=["users", "create", "admin", "--name", "Ada Admin", "--admin",
                               "--password", "Adm1n-pass-xyz"])
    assert made.exit_code == 0 and "Created admin." in made.output
    again = runner.invoke(args=["users", "create", "admin", "--name", "Ada Again", "--password", "x-y-z-1234"])
    assert again.exit_code != 0 and "The user admin exists already" in again.output
    assert "Traceback" not in again.output
    nameless = runner.invoke(args=["users", "create", "bob", "--name", "  ", "--password", "x-y-z-1234"])
    assert nameless.exit_code != 0 and "Give the person's name with --name" in nameless.output
    with app.app_context():
        users = db.session.scalars(sa.select(User)).all()
        assert [(u.username, u.name, u.is_admin) for u in users] == [("admin", "Ada Admin", True)]
        assert users[0].check_password("Adm1n-pass-xyz")
    assert client.post("/login", data={"username": "admin", "password": "Adm1n-pass-xyz"}).status_code == 302
