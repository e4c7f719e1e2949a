"""The RAPI users file (``user password [read,write]``) and HTTP Basic authentication.

Passwords are plain, ``{cleartext}``-prefixed or ``{HA1}`` digests of
``user:realm:password`` (prefixes case-insensitive); ``write`` access implies ``read``.
The file is re-read whenever its identity (inode, size, mtime) changes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: Realm of the Basic challenge; {HA1} digests are computed with it, as Ganeti's are.
REALM = "Ganeti Remote API"
ACCESS_READ = "read"
ACCESS_WRITE = "write"


@dataclass(frozen=True)
class User:
    name: str
    password: str
    options: frozenset[str]

    @property
    def access(self) -> frozenset[str]:
        """The user's rights: the options, with write implying read."""
        if ACCESS_WRITE in self.options:
            return self.options | {ACCESS_READ}
        return self.options


def parse_users(text: str) -> dict[str, User]:
    """Parse users-file text; malformed lines are logged (by number) and skipped."""
    users: dict[str, User] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 2:
            log.warning("users file line %d: a user needs a name and a password; ignored", number)
            continue
        options: frozenset[str] = frozenset()
        if len(parts) == 3:
            options = frozenset(o.strip().lower() for o in parts[2].split(",") if o.strip())
        users[parts[0]] = User(parts[0], parts[1], options)
    return users


def check_password(user: User, password: str, realm: str = REALM) -> bool:
    """Whether `password` matches the user's stored password (constant-time comparison)."""
    stored = user.password
    if stored.startswith("{"):
        scheme, sep, value = stored[1:].partition("}")
        if not sep:
            return _same(stored, password)
        scheme = scheme.upper()
        if scheme == "CLEARTEXT":
            return _same(value, password)
        if scheme == "HA1":
            digest = hashlib.md5(f"{user.name}:{realm}:{password}".encode()).hexdigest()
            return _same(value.lower(), digest)
        log.warning("unknown password scheme {%s} for RAPI user %r", scheme, user.name)
        return False
    return _same(stored, password)


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def parse_basic(header: str) -> tuple[str, str] | None:
    """(user, password) of a Basic Authorization header value; None if not Basic or malformed."""
    scheme, _, data = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        creds = base64.b64decode(data.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    user, sep, password = creds.partition(":")
    if not sep:
        return None
    return user, password


class UsersFile:
    """The users file, re-read on change; a missing or unreadable file means no users."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._users: dict[str, User] = {}

    def _current_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def users(self) -> dict[str, User]:
        """The users as the file now says (one stat per call; re-parsed only on change)."""
        stamp = self._current_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._users = self._load() if stamp is not None else {}
                if stamp is None and self._stamp is not None:
                    log.warning("RAPI users file %s is gone: no user can log in", self.path)
                self._stamp = stamp
            return self._users

    def _load(self) -> dict[str, User]:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError as err:
            log.warning("cannot read RAPI users file %s: %s", self.path, err.strerror)
            return {}
        users = parse_users(text)
        log.info("read %d RAPI user(s) from %s", len(users), self.path)
        return users

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if name and password match; failures are logged without the password."""
        user = self.users().get(name)
        if user is None:
            # Compare anyway so an unknown name takes as long as a wrong password.
            _same(password, password)
            log.warning("RAPI login failed: unknown user %r", name)
            return None
        if not check_password(user, password):
            log.warning("RAPI login failed: wrong password for user %r", name)
            return None
        return user
