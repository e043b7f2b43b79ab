"""How the minutes word a vote's result: the same words as the screens."""
from app.minutes.wording import vote_result


def test_an_election_or_choice_without_a_winner_is_not_rejected(app):
    with app.test_request_context():
        closed = {"state": "published", "passed": False}
        assert vote_result({**closed, "method": "election", "winners": []}).startswith("Nobody elected")
        assert vote_result({**closed, "method": "choice", "winners": []}).startswith("No option chosen")
        assert vote_result({**closed, "method": "motion", "winners": []}).startswith("Rejected")
        assert vote_result({**closed, "method": "election", "winners": ["Ingrid Johansson"], "passed": True}) \
            == "Elected: Ingrid Johansson"
        assert vote_result({**closed, "method": "election", "winners": [], "reason": "tie"}) == "Nobody elected (tie)"
        assert vote_result({**closed, "method": "election", "winners": ["Ingrid Johansson"], "passed": True,
                            "seats": 3}) == "Elected: Ingrid Johansson; 1 of 3 seats filled"
        assert vote_result({**closed, "method": "election", "winners": [], "reason": "tie", "seats": 2}) \
            == "Nobody elected (tie); 0 of 2 seats filled"
