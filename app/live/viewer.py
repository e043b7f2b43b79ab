"""Who is on the other end of a socket: a signed-in person (maybe an admin) or a wall screen."""
from __future__ import annotations

from dataclasses import dataclass

from app.meetings.models import Membership


@dataclass(frozen=True)
class Viewer:
    """The caller of a live event or the reader of a snapshot.

    user_id is None for a wall screen (display_link_id is then set). membership is None for admins who are
    not on the roster and for wall screens.
    """

    user_id: int | None
    name: str
    is_admin: bool = False
    membership: Membership | None = None
    display_link_id: int | None = None

    @property
    def is_display(self) -> bool:
        """A wall screen opened with a display link."""
        return self.display_link_id is not None

    @property
    def is_staff(self) -> bool:
        """Chair, secretary or admin: may run the meeting and see the staff view."""
        return self.is_admin or (self.membership is not None and self.membership.is_staff)

    @property
    def role(self) -> str:
        """The role in the meeting: chair, secretary, delegate, observer, admin or display."""
        if self.is_display:
            return "display"
        if self.membership is not None:
            return self.membership.role
        return "admin" if self.is_admin else "none"
