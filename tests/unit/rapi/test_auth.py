"""Users file parsing, password schemes and reloading."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from pathlib import Path

import pytest

from pyganeti.rapi.auth import REALM, User, UsersFile, check_password, parse_basic, parse_users


def test_parse_users_options_comments_and_bad_lines(caplog: pytest.LogCaptureFixture) -> None:
    text = "# comment\n\nalice pw1 write\nbob pw2 Read , WRITE\ncarol pw3\nlonely\n"
    with caplog.at_level(logging.WARNING):
        users = parse_users(text)
    assert set(users) == {"alice", "bob", "carol"}
    assert users["alice"].access == {"read", "write"}  # write implies read
    assert users["bob"].options == {"read", "write"}
    assert users["carol"].access == frozenset()
    assert "line 6" in caplog.text


@pytest.mark.parametrize(
    ("stored", "given", "ok"),
    [
        ("plain", "plain", True),
        ("plain", "Plain", False),
        ("{CLEARTEXT}s3cret", "s3cret", True),
        ("{cleartext}s3cret", "s3cret", True),
        ("{CLEARTEXT}s3cret", "{CLEARTEXT}s3cret", False),
        ("{HA1}" + hashlib.md5(f"u:{REALM}:pw".encode()).hexdigest(), "pw", True),
        ("{ha1}" + hashlib.md5(f"u:{REALM}:pw".encode()).hexdigest().upper(), "pw", True),
        ("{HA1}" + hashlib.md5(f"u:{REALM}:pw".encode()).hexdigest(), "other", False),
        ("{SHA}abc", "abc", False),
    ],
)
def test_password_schemes(stored: str, given: str, ok: bool) -> None:
    assert check_password(User("u", stored, frozenset()), given) is ok


def test_parse_basic() -> None:
    good = base64.b64encode(b"user:pa:ss").decode()
    assert parse_basic(f"Basic {good}") == ("user", "pa:ss")
    assert parse_basic(f"basic   {good}") == ("user", "pa:ss")
    assert parse_basic("Digest abc") is None
    assert parse_basic("Basic !!!") is None
    assert parse_basic("Basic " + base64.b64encode(b"nocolon").decode()) is None


def test_users_file_reloads_on_change_and_tolerates_absence(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "users"
    users = UsersFile(path)
    assert users.users() == {}
    path.write_text("a pw write\n")
    assert users.authenticate("a", "pw") is not None
    tmp = tmp_path / "new"
    tmp.write_text("b pw2 read\n")
    os.replace(tmp, path)
    assert users.authenticate("a", "pw") is None
    assert users.authenticate("b", "pw2") is not None
    with caplog.at_level(logging.WARNING):
        assert users.authenticate("b", "wrong-secret") is None
    assert "wrong password for user 'b'" in caplog.text
    assert "wrong-secret" not in caplog.text
    path.unlink()
    assert users.users() == {}
