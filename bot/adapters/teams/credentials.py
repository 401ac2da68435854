"""How the bot proves it is itself to Entra ID: a client secret, or a certificate.

The client-credentials grant takes either `client_secret`, or a `client_assertion`: a short JWT
the app signs with its certificate's private key, which Entra checks against the certificate
uploaded to the app registration. The assertion follows Microsoft's "Microsoft identity platform
application authentication certificate credentials" page
(https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials, dated
2025-01-04): header alg PS256 (PSS padding), typ JWT, `x5t#S256` = base64url SHA-256
thumbprint of the certificate's DER encoding; claims aud = the token endpoint, iss = sub = the
app id, a unique jti, nbf/iat now, exp 5-10 minutes after nbf. (Older versions of that page named
RS256 with a SHA-1 `x5t`; MSAL for Python also moved to PS256 with `x5t#S256` in 1.35.)

The private key is read once at start-up and kept only in memory; it never reaches a setting,
a log line or an error message (errors name the file, never its content).
"""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from core.config import ConfigError, Settings

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME = 300  # seconds; the page asks for 5-10 minutes at most
SETUP = "See 'Connect to Microsoft Teams' in the README."


@dataclass(frozen=True, repr=False)
class ClientSecret:
    value: SecretStr

    def form(self, app_id: str, token_url: str) -> dict[str, str]:
        return {"client_secret": self.value.get_secret_value()}


@dataclass(frozen=True, repr=False)
class ClientCertificate:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    path: Path

    @property
    def thumbprint(self) -> str:
        """x5t#S256: the base64url SHA-256 thumbprint of the certificate's DER bytes."""
        return base64.urlsafe_b64encode(self.certificate.fingerprint(hashes.SHA256())).rstrip(b"=").decode()

    def assertion(self, app_id: str, token_url: str) -> str:
        now = int(time.time())
        claims = {
            "aud": token_url,
            "iss": app_id,
            "sub": app_id,
            "jti": str(uuid.uuid4()),
            "nbf": now,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME,
        }
        return jwt.encode(claims, self.key, algorithm="PS256", headers={"typ": "JWT", "x5t#S256": self.thumbprint})

    def form(self, app_id: str, token_url: str) -> dict[str, str]:
        return {"client_assertion_type": ASSERTION_TYPE, "client_assertion": self.assertion(app_id, token_url)}

    def __repr__(self) -> str:
        return f"ClientCertificate({self.path}, x5t#S256={self.thumbprint})"


Credential = ClientSecret | ClientCertificate


def credential_from(settings: Settings) -> Credential:
    """TEAMS_APP_ID and exactly one of TEAMS_APP_PASSWORD and TEAMS_CERTIFICATE_PATH; a
    ConfigError saying what to set otherwise."""
    if not settings.teams_app_id:
        raise ConfigError(
            f"Microsoft Teams needs TEAMS_APP_ID, the app registration's Application (client) ID. {SETUP}"
        )
    password, path = settings.teams_app_password, settings.teams_certificate_path
    if password is not None and path is not None:
        raise ConfigError(
            "Microsoft Teams takes one credential, TEAMS_APP_PASSWORD or TEAMS_CERTIFICATE_PATH, not both: "
            f"remove one of them. {SETUP}"
        )
    if password is not None:
        if settings.teams_certificate_password is not None:
            raise ConfigError("TEAMS_CERTIFICATE_PASSWORD is only used with TEAMS_CERTIFICATE_PATH: remove it.")
        return ClientSecret(password)
    if path is None:
        raise ConfigError(
            "Microsoft Teams needs a credential: set TEAMS_APP_PASSWORD (a client secret) or "
            f"TEAMS_CERTIFICATE_PATH (a PEM file with the certificate and its private key). {SETUP}"
        )
    return load_certificate(path, settings.teams_certificate_password)


def load_certificate(path: Path, password: SecretStr | None) -> ClientCertificate:
    """The private key and certificate from one PEM file, checked to belong together."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"TEAMS_CERTIFICATE_PATH {path} cannot be read ({exc.strerror or type(exc).__name__})."
        ) from None
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        certificates = []
    if not certificates:
        raise ConfigError(f"TEAMS_CERTIFICATE_PATH {path} holds no certificate (a PEM 'BEGIN CERTIFICATE' block).")
    secret = password.get_secret_value().encode() if password is not None else None
    try:
        key = serialization.load_pem_private_key(data, secret)
    except TypeError:  # a passphrase missing, or given for a key that has none
        need = (
            "is protected by a passphrase: set TEAMS_CERTIFICATE_PASSWORD"
            if secret is None
            else ("is not protected by a passphrase: remove TEAMS_CERTIFICATE_PASSWORD")
        )
        raise ConfigError(f"The private key in TEAMS_CERTIFICATE_PATH {path} {need}.") from None
    except ValueError:
        problem = "could not be opened with TEAMS_CERTIFICATE_PASSWORD" if secret else "is missing or unreadable"
        raise ConfigError(f"The private key in TEAMS_CERTIFICATE_PATH {path} {problem}.") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigError(f"The private key in TEAMS_CERTIFICATE_PATH {path} is not an RSA key, which Entra ID needs.")
    mine = [c for c in certificates if c.public_key() == key.public_key()]
    if not mine:
        raise ConfigError(f"The certificate in TEAMS_CERTIFICATE_PATH {path} does not belong to the private key there.")
    return ClientCertificate(key, mine[0], path)
