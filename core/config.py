"""Settings, from the environment and an optional `.env` file (pydantic-settings).

Secrets are `SecretStr`: they print as '**********' in logs, reprs and error messages.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import logging
import os
import re
import secrets
import sys
from pathlib import Path
from typing import Any, TypeVar

from pydantic import Field, PrivateAttr, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The Medway pack shipped with sgbot. Defined here, not in core.contentpack (YAML and the pack's
# models), because settings are read before `sgbot run` begins connecting to Discord.
DEFAULT_PACK = Path(__file__).resolve().parent.parent / "content" / "medway"


_LOG_LEVELS = ("NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A setting is missing or wrong; the message says which and what to do."""


def env_names(exc: ValidationError, prefix: str = "") -> str:
    """The settings that are not valid, each with what to use where a check says so (never the
    value, which may be a secret)."""
    said: dict[str, str] = {}
    for error in exc.errors():
        if error["loc"]:
            hint = error.get("ctx", {}).get("error") if error["type"] == "value_error" else None
            name = (prefix + str(error["loc"][0])).upper()
            said[name] = f"{name} ({hint})" if hint else said.get(name, name)
    return ", ".join(said[name] for name in sorted(said))


class FeatureSettings(BaseSettings):
    """A feature's own settings, beside its handlers (e.g. `SurveySettings` in handlers/surveys/),
    read from the environment and `.env` like the runtime's. The registry finds every subclass in a
    feature's modules, the runtime checks them all at start-up, and handlers read theirs with
    `ctx.feature_settings(Kind)`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)


F = TypeVar("F", bound=FeatureSettings)


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class Settings(BaseSettings):
    """The runtime's settings. A feature's own live beside it (FeatureSettings); values for those
    given here (as tests do) are handed on to them by `feature`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)
    _given: dict[str, Any] = PrivateAttr(default_factory=dict)
    _read_from: Any = PrivateAttr(default=".env")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self._given = {k: v for k, v in values.items() if not k.startswith("_") and k not in type(self).model_fields}
        self._read_from = values.get("_env_file", ".env")

    def feature(self, kind: type[F]) -> F:
        """A feature's settings, read from the same `.env` as these, with any of its fields given
        to these. Raises ConfigError naming the variables that are not valid."""
        given = {k: v for k, v in self._given.items() if k in kind.model_fields}
        try:
            return kind(_env_file=self._read_from, **given)  # type: ignore[call-arg]
        except ValidationError as exc:
            prefix = str(kind.model_config.get("env_prefix") or "")
            raise ConfigError(
                f"Some settings are not valid: {env_names(exc, prefix)}. Check them in .env or the environment."
            ) from None

    # Where the SQLite database and the generated survey key live.
    data_dir: Path = Path("data")
    # SQLite by default; e.g. postgresql://user@host/db for production and replicas.
    database_url: str = ""
    content_pack: Path = DEFAULT_PACK
    timezone: str = "Europe/London"
    log_level: str = "INFO"
    # Let the Slack, Discord and HTTP libraries log request and response bodies (for debugging an
    # integration). Survey interactions and typed text are masked even then (core/logs.py).
    log_payloads: bool = False

    # Slack: Socket Mode needs the app token; HTTP mode needs the signing secret.
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_http_host: str = "0.0.0.0"  # noqa: S104 - HTTP mode sits behind a proxy
    slack_http_port: int = 3000
    # Slack user group handles that grant roles, e.g. "safeguarding-trainers=trainer".
    slack_role_groups: str = ""
    # Slack's Web API address; change it only for GovSlack or an egress proxy. Must end in "/".
    slack_api_url: str = "https://slack.com/api/"
    # Requests from other workspaces, organisations or apps are refused. Workspace ids (T...),
    # comma separated; empty means the workspace the bot token belongs to (auth.test at start).
    slack_team_ids: str = ""
    # An Enterprise Grid organisation id (E...): requests must come from it. Empty: not checked,
    # unless the app is installed organisation-wide, when auth.test says which organisation.
    slack_enterprise_id: str = ""
    # The app's id (A..., Basic Information > App Credentials): requests for other apps are refused.
    slack_app_id: str = ""

    # Discord
    discord_token: SecretStr | None = None
    discord_guild_id: int | None = None
    discord_shards: str = ""  # "", "auto" or a number
    # Discord guild role names or ids that grant roles, e.g. "Trainers=trainer,1234=admin".
    discord_role_map: str = ""
    discord_announce_role_id: int | None = None
    # Receive plain replies in threads the bot owns (e.g. survey threads). Needs the privileged
    # "Message Content Intent" switched on for the bot in the Discord Developer Portal.
    discord_thread_replies: bool = False

    # Microsoft Teams: the bot's app registration (Entra ID) and where Teams reaches the bot.
    teams_app_id: str = ""
    teams_app_password: SecretStr | None = None  # a client secret; or a certificate:
    teams_certificate_path: Path | None = None  # one PEM file: the private key and its certificate
    teams_certificate_password: SecretStr | None = None  # the private key's passphrase, if it has one
    teams_tenant_id: str = ""  # the organisation's tenant: the bot's token comes from it
    teams_host: str = "0.0.0.0"  # noqa: S104 - behind a proxy, like Slack's HTTP mode
    teams_port: int = 3978
    teams_path: str = "/api/messages"
    # Entra security group object ids that grant roles, e.g. "<group id>=trainer" (see bot/roles.py).
    teams_role_groups: str = ""
    # Where proactive posts go before Teams has told the bot a conversation's own service URL.
    teams_service_url: str = ""
    # Hosts a Teams service URL may name although they are not public https hosts (FEEDS_ALLOW_HOSTS'
    # form, e.g. "127.0.0.1:3979"): the Bot Framework Emulator or a local fake only (service_urls.py).
    teams_allow_service_hosts: str = ""
    # For tests only: Bot Framework OpenID metadata (its keys check inbound tokens), the token
    # endpoint for the bot's own tokens, and Microsoft Graph. Empty means Microsoft's.
    teams_openid_url: str = ""
    teams_token_url: str = ""
    teams_graph_url: str = ""  # Microsoft Graph, read for TEAMS_ROLE_GROUPS (tests point it at a fake)

    # Roles by user id: "platform:user" pairs, comma separated, e.g. "slack:U123,console:sam".
    admins: str = ""
    trainers: str = ""
    comms: str = ""

    # Keyed hash for survey pseudonyms and stored delivery ids. Generated into data_dir when no chat
    # platform is set. (The surveys' own timing is SurveySettings, in handlers/surveys/.)
    survey_secret: SecretStr | None = None
    # Start with a SURVEY_SECRET that looks guessable, to close the surveys sealed under it before
    # changing it (the bot refuses such a secret otherwise).
    survey_secret_weak_ok: bool = False

    # How long a replica may hold an outbox row before another may take it over.
    outbox_lease_seconds: int = Field(default=120, ge=1)
    # On SIGTERM, how long to wait for posts in flight before handing rows back.
    shutdown_grace_seconds: float = Field(default=10.0, ge=0)

    # Health and metrics HTTP server; off when unset.
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"

    @field_validator("database_url")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        level = {"WARN": "WARNING", "FATAL": "CRITICAL"}.get(level, level)  # the logging module's other names
        if level not in _LOG_LEVELS:
            raise ValueError(f"use one of {', '.join(_LOG_LEVELS)}")
        return level

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value.strip())
        # not found, a folder ("Europe"), a name too long for a file: each raises its own error,
        # whose text would quote the value
        except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
            raise ValueError("use a time zone name such as Europe/London") from None
        return value.strip()

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # The Slack client joins method names onto this URL; without the slash it drops the path.
        return value if value.endswith("/") else value + "/"

    # --- derived ---------------------------------------------------------------------------

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def discord_enabled(self) -> bool:
        return self.discord_token is not None

    @property
    def teams_enabled(self) -> bool:
        # Any of these turns Teams on; the adapter then insists on the app id and exactly one
        # credential (bot/adapters/teams/credentials.py), so a half-set Teams stops start-up.
        return bool(self.teams_app_id) or self.teams_app_password is not None or self.teams_certificate_path is not None

    @property
    def chat_configured(self) -> bool:
        return self.slack_enabled or self.discord_enabled or self.teams_enabled

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'sgbot.db').as_posix()}"

    def pack_cache_dir(self) -> Path | None:
        """Where the content pack's YAML, once read, is kept (core.packcache): in the data folder
        when it exists, which is owner-only; never a reason to create it."""
        return self.data_dir / "pack-cache" if self.data_dir.is_dir() else None

    def role_members(self) -> dict[str, set[str]]:
        """role -> {"platform:user", ...} from the ADMINS, TRAINERS and COMMS settings."""
        return {
            "admin": set(_csv(self.admins)),
            "trainer": set(_csv(self.trainers)),
            "comms": set(_csv(self.comms)),
        }

    def teams_groups(self) -> dict[str, str]:
        """TEAMS_ROLE_GROUPS with each Entra group id in lower case: GUIDs, which Microsoft writes
        in either case (bot/roles.py matches a person's groups the same way)."""
        return {group.lower(): role for group, role in self.mapping(self.teams_role_groups).items()}

    def mapping(self, value: str) -> dict[str, str]:
        """Parse "key=role,key=role" settings such as SLACK_ROLE_GROUPS."""
        pairs: dict[str, str] = {}
        for item in _csv(value):
            key, sep, role = item.partition("=")
            if not sep or not key.strip() or not role.strip():
                raise ConfigError(f"{item!r} should look like NAME=role")
            pairs[key.strip()] = role.strip()
        return pairs

    def ensure_data_dir(self) -> Path:
        try:
            # Owner only: it holds the database and the survey key (README, survey confidentiality).
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            if self.data_dir.stat().st_mode & 0o077:
                with contextlib.suppress(PermissionError):  # not ours to change; the README says how
                    self.data_dir.chmod(0o700)
            probe = self.data_dir / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            raise ConfigError(
                f"The data directory {self.data_dir} cannot be written ({exc.strerror or exc}). "
                "Set DATA_DIR to a folder this user can write to."
            ) from None
        return self.data_dir

    def survey_key(self) -> bytes:
        """The pseudonym key. On a console-only install one is generated once and kept."""
        if self.survey_secret is not None:
            value = self.survey_secret.get_secret_value()
            if len(value) < 16:  # never accepted, so no survey is sealed under one
                raise ConfigError(
                    f"SURVEY_SECRET is too short; use at least {SECRET_MIN_LENGTH} random characters. Make one "
                    'with: python -c "import secrets; print(secrets.token_urlsafe(32))"'
                )
            if not self._passed_before(value) and _guessable(value):
                # whoever reads the database could try such a secret offline and open every sealed answer
                if not self.survey_secret_weak_ok:
                    raise ConfigError(
                        f"SURVEY_SECRET looks guessable (made of words, names, dates or runs of keys, or under "
                        f'{SECRET_MIN_LENGTH} characters). Make a random one with: python -c "import secrets; '
                        'print(secrets.token_urlsafe(32))". Answers sealed under the old one cannot be read '
                        "under a new one: to close the surveys still open first, start once with "
                        "SURVEY_SECRET_WEAK_OK=true, close them (/survey close), then change it."
                    )
                logging.getLogger("sgbot").warning(
                    "SURVEY_SECRET looks guessable and SURVEY_SECRET_WEAK_OK is set: close the open surveys and "
                    "change it; until then a reader of the database could open their answers"
                )
            else:
                self._remember_passed(value)
            return value.encode()
        if self.chat_configured:
            raise ConfigError(
                "SURVEY_SECRET must be set once Slack, Discord or Teams is configured: it keeps survey "
                'answers unlinkable to people. Generate one with: python -c "import secrets; '
                'print(secrets.token_urlsafe(32))"'
            )
        key_file = self.ensure_data_dir() / "survey.key"
        if not key_file.exists():
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(32))
        return key_file.read_text().strip().encode()

    # zxcvbn's judgement takes about 0.1 s of start-up (reading its word lists); a secret that
    # passed is remembered in DATA_DIR by a keyed hash of this check, which says nothing a reader of
    # the database could not learn from the pseudonyms, themselves keyed hashes under the secret.
    _PASSED_FILE = "survey-secret.checked"
    _CHECK = b"sgbot: SURVEY_SECRET passed zxcvbn at 10**20 guesses, 10**17 unspaced, 24 characters"

    def _passed_mark(self, value: str) -> str:
        return hmac.new(value.encode(), self._CHECK, hashlib.sha256).hexdigest()

    def _passed_before(self, value: str) -> bool:
        try:
            kept = (self.data_dir / self._PASSED_FILE).read_text().strip()
        except OSError:
            return False
        return hmac.compare_digest(kept, self._passed_mark(value))

    def _remember_passed(self, value: str) -> None:
        with contextlib.suppress(OSError):  # a read-only data directory: checked again next time
            if self.data_dir.is_dir():
                (self.data_dir / self._PASSED_FILE).write_text(self._passed_mark(value) + "\n")

    def secret_values(self) -> list[str]:
        """Every configured secret, for the log filter that masks them."""
        values = []
        for name in (
            "slack_bot_token",
            "slack_app_token",
            "slack_signing_secret",
            "discord_token",
            "teams_app_password",
            "teams_certificate_password",
            "survey_secret",
        ):
            secret = getattr(self, name)
            if secret is not None and secret.get_secret_value():
                values.append(secret.get_secret_value())
        return values


# Whoever reads the database can test a guessed SURVEY_SECRET offline against the invited names,
# one HMAC per guess. A secret must take at least 10**20 guesses by zxcvbn's estimate (about 2**66;
# zxcvbn rates a random character as 10 guesses) as typed, and 10**17 with its spaces and punctuation
# taken out, which is how it sees "correct horse battery staple" as four words. In 3,000 draws each,
# no random secret of 24, 28 or 32 characters was refused; secrets.token_urlsafe(32) takes 10**40.
SECRET_MIN_LENGTH = 24
SECRET_GUESSES = 10**20
SECRET_GUESSES_UNSPACED = 10**17
_SEPARATORS = re.compile(r"[\W_]+")
# Words a partnership is likely to build its secret from, which zxcvbn's lists do not hold.
_OWN_WORDS = ["sgbot", "survey", "surveys", "safeguarding", "safeguard", "partnership", "medway", "training"]


@functools.lru_cache(maxsize=4)
def _guessable(secret: str) -> bool:
    from zxcvbn import zxcvbn

    try:
        if len(secret) < SECRET_MIN_LENGTH or len(set(secret)) < 6:
            return True
        unspaced = _SEPARATORS.sub("", secret) or secret
        return (
            zxcvbn(secret, user_inputs=_OWN_WORDS)["guesses"] < SECRET_GUESSES
            or zxcvbn(unspaced, user_inputs=_OWN_WORDS)["guesses"] < SECRET_GUESSES_UNSPACED
        )
    finally:
        # Its word lists take about 13 MB, built when it is imported, and a bot checks its secret
        # once: the modules go, and a later check imports them afresh.
        for name in [name for name in sys.modules if name == "zxcvbn" or name.startswith("zxcvbn.")]:
            del sys.modules[name]
