import pytest

from sequencer.accounts.tokens import authenticate, create_api_token, user_for_token
from sequencer.platform.security import SecretBox


def test_secret_box_round_trip_and_key_binding():
    box = SecretBox("key-one")
    token = box.encrypt("päss wörd")
    assert "päss" not in token
    assert box.decrypt(token) == "päss wörd"
    with pytest.raises(ValueError, match="SECRET_KEY"):
        SecretBox("key-two").decrypt(token)


def test_authenticate_accepts_only_the_right_active_user(session, factory):
    from tests.conftest import TEST_PASSWORD

    user = factory.user("rep", email="ona@example.com")
    assert authenticate(session, " ONA@example.com ", TEST_PASSWORD) is user
    assert authenticate(session, "ona@example.com", "wrong") is None
    assert authenticate(session, "nobody@example.com", TEST_PASSWORD) is None
    user.active = False
    assert authenticate(session, "ona@example.com", TEST_PASSWORD) is None


def test_tokens_resolve_to_their_user_only(session, factory):
    a, b = factory.user("rep"), factory.user("rep")
    ta, tb = create_api_token(session, a), create_api_token(session, b)
    assert ta != tb and ta.startswith("sq_")
    assert user_for_token(session, ta) is a and user_for_token(session, tb) is b
    assert user_for_token(session, ta[:-1] + ("x" if ta[-1] != "x" else "y")) is None
    assert user_for_token(session, "Bearer " + ta) is None
