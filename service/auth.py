"""Bearer tokens: ``tw_<key id>_<secret>``. The key id finds the row; the secret is kept only
as its sha256 and compared in constant time. The environment's TUNEWISE_API_TOKEN, when set,
is accepted as an admin token without a row."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import Database, TokenRow
from service.errors import UnauthorizedError
from tunewise.wire.models import TokenScope

_PREFIX = "tw"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's row id (None for the environment token or auth off)."""

    token_id: int | None
    scope: TokenScope

    @property
    def is_admin(self) -> bool:
        return self.scope is TokenScope.ADMIN


ANONYMOUS_ADMIN = Principal(token_id=None, scope=TokenScope.ADMIN)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(session: Session, scope: TokenScope, label: str | None = None) -> SecretStr:
    """A new token; the caller shows it once, it cannot be read back."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    session.add(
        TokenRow(
            key_id=key_id,
            secret_hash=_digest(secret),
            scope=scope.value,
            label=label,
            created_at=datetime.now(UTC),
        )
    )
    return SecretStr(f"{_PREFIX}_{key_id}_{secret}")


#: A token verified against its row is trusted this long without reading the row again: a
#: worker's every call carried a database read before. Revoking a token (setting
#: ``revoked_at``) takes effect within this many seconds.
VERIFIED_TTL_S = 10.0


class TokenVerifier:
    def __init__(
        self, database: Database, env_token: SecretStr | None, ttl_s: float = VERIFIED_TTL_S
    ) -> None:
        self._database = database
        self._env_digest = _digest(env_token.get_secret_value()) if env_token else None
        self._ttl_s = ttl_s
        #: sha256 of a presented token (never the token itself) -> (principal, trusted until).
        self._verified: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def verify(self, presented: str) -> Principal:
        digest = _digest(presented)
        now = time.monotonic()
        with self._lock:
            cached = self._verified.get(digest)
        if cached is not None and cached[1] > now:
            return cached[0]
        principal = self._verify_uncached(presented, digest)
        with self._lock:
            if len(self._verified) > 10_000:  # forged tokens are never cached; this is a guard
                self._verified.clear()
            self._verified[digest] = (principal, now + self._ttl_s)
        return principal

    def _verify_uncached(self, presented: str, digest: str) -> Principal:
        if self._env_digest is not None and hmac.compare_digest(digest, self._env_digest):
            return ANONYMOUS_ADMIN
        prefix, _, rest = presented.partition("_")
        key_id, _, secret = rest.partition("_")
        if prefix != _PREFIX or not key_id or not secret:
            raise UnauthorizedError("the bearer token is not one this service issued")
        with self._database.reading() as session:
            row = session.scalars(select(TokenRow).where(TokenRow.key_id == key_id)).first()
            if row is None or row.revoked_at is not None:
                # Burn the same time as a real comparison so timing does not tell key ids apart.
                hmac.compare_digest(_digest(secret), "0" * 64)
                raise UnauthorizedError("the bearer token is not valid (unknown or revoked)")
            if not hmac.compare_digest(_digest(secret), row.secret_hash):
                raise UnauthorizedError("the bearer token is not valid (unknown or revoked)")
            return Principal(token_id=row.id, scope=TokenScope(row.scope))


def ensure_admin_token(database: Database, verifier: TokenVerifier, path: Path) -> SecretStr:
    """The token in ``path`` when it is still valid, else a new admin token written there
    with mode 0600. The secret goes to the file only, never to a log."""
    if path.exists():
        existing = path.read_text(encoding="utf-8").strip()
        try:
            verifier.verify(existing)
        except UnauthorizedError:
            pass
        else:
            return SecretStr(existing)
    with database.unit_of_work() as session:
        token = issue_token(session, TokenScope.ADMIN, label="created at first start")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token.get_secret_value() + "\n")
    os.chmod(path, 0o600)
    return token
