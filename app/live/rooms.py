"""Socket.IO room names: one place, so every domain emits to the same rooms.

- user:<user_id>             every device of one user (own annotations, upload progress)
- meeting:<meeting_id>       every member's tablet and the wall screen of a meeting
- meeting:<meeting_id>:staff the chair, the secretary and admins watching the meeting
- display:<link_id>          the wall screens opened with one display link
"""


def user_room(user_id: int) -> str:
    """All devices of one user."""
    return f"user:{user_id}"


def meeting_room(meeting_id: int) -> str:
    """Everyone following a meeting."""
    return f"meeting:{meeting_id}"


def staff_room(meeting_id: int) -> str:
    """The people running a meeting."""
    return f"meeting:{meeting_id}:staff"


def display_room(link_id: int) -> str:
    """Every wall screen opened with one display link (closed when the link is revoked)."""
    return f"display:{link_id}"
