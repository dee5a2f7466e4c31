"""The owner rule on its own: direction, which headers count, rank and ties."""

from __future__ import annotations

from services.linking import rule

OWN = rule.own_addresses("alice@example.test", "Alice.Home@example.test\n")


def _c(
    rank: int, object_id: int, value: str, client: int | None, lead: int | None = None
) -> rule.Candidate:
    return rule.Candidate(rank, object_id, value, client, lead)


def test_direction_comes_from_the_sender_and_own_addresses_never_count() -> None:
    assert rule.direction("ALICE.home@Example.test", OWN) == "out"
    assert rule.direction("ivan@client.example", OWN) == "in"
    pairs = [
        ("from", "alice@example.test"),
        ("to", "ivan@x.example"),
        ("cc", "alice.home@example.test"),
    ]
    assert rule.counted("out", pairs, OWN) == ["ivan@x.example"]
    incoming = [("from", "x@unknown.example"), ("to", "alice@example.test"), ("cc", "p@c.example")]
    assert rule.counted("in", incoming, OWN) == ["x@unknown.example", "p@c.example"]


def test_contact_beats_client_beats_lead_and_a_tie_needs_two_parties() -> None:
    cands = {
        "a@c.example": [_c(1, 5, "a@c.example", 5), _c(2, 9, "a@c.example", None, 9)],
        "b@c.example": [_c(1, 5, "b@c.example", 5)],
        "p@c.example": [_c(0, 40, "p@c.example", 5)],
        "q@d.example": [_c(1, 7, "q@d.example", 7)],
    }
    same_client = rule.decide(["a@c.example", "b@c.example"], cands)
    assert same_client is not None
    assert (same_client.client_id, same_client.tie) == (5, False)
    contact = rule.decide(["a@c.example", "p@c.example"], cands)
    assert contact is not None
    assert (contact.owner.kind, contact.client_id, contact.contact_ids) == ("contact", 5, (40,))
    tie = rule.decide(["q@d.example", "a@c.example"], cands)
    assert tie is not None
    assert (tie.client_id, tie.tie) == (5, True)
    assert "2 clients have it, the oldest was chosen: review" in tie.reason()
    assert rule.decide(["nobody@x.example"], cands) is None


def test_idn_addresses_from_letters_take_the_cards_form() -> None:
    assert rule.letter_address("Ivan@XN--80A1ACNY.XN--P1AI") == "ivan@почта.рф"
    assert rule.letter_address("not an address") == "not an address"
