"""E-mail to the advisors about a new callback request (SMTP, from the environment).

The mail carries the reference, role, municipality and preferred time, and a
link to the request in the console. It never carries the contact detail or
the description: those are read in the console, after sign-in.

VEIVISER_SMTP_HOST (unset: no mail), VEIVISER_SMTP_PORT (25),
VEIVISER_SMTP_FROM, VEIVISER_SMTP_TO (comma-separated),
VEIVISER_SMTP_STARTTLS (1 to require STARTTLS), VEIVISER_SMTP_USER /
VEIVISER_SMTP_PASSWORD (optional).
"""
from __future__ import annotations

import logging
import os
import smtplib
from email.message import EmailMessage
from typing import Any, Optional

from veiviser.handoff import settings
from veiviser.profile import describe_role

logger = logging.getLogger(__name__)


def compose(callback: Any, sender: str, recipients: str) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = f"Veiviser: ny forespørsel om kontakt ({callback.reference})"
    mail["From"] = sender
    mail["To"] = recipients
    mail.set_content(
        "En bruker av Veiviser ber om å bli kontaktet av en veileder.\n\n"
        f"Saksnummer: {callback.reference}\n"
        f"Arbeidssted: {callback.role} ({describe_role(callback.role)})\n"
        f"Kommune: {callback.municipality}\n"
        f"Ønsket tidspunkt: {callback.preferred_time}\n"
        f"Kontakt via: {callback.contact_kind}\n\n"
        "Kontaktopplysning og beskrivelse står i veilederkonsollet (krever innlogging):\n"
        f"{settings.console_public_url()}/callbacks/{callback.id}\n"
    )
    return mail


def notify_new_callback(callback: Any, timeout: float = 10.0) -> bool:
    host = os.environ.get("VEIVISER_SMTP_HOST")
    recipients = os.environ.get("VEIVISER_SMTP_TO", "")
    if not host or not recipients:
        logger.warning("VEIVISER_SMTP_HOST/VEIVISER_SMTP_TO not set: no e-mail about callback %s", callback.id)
        return False
    sender = os.environ.get("VEIVISER_SMTP_FROM") or "veiviser@localhost"
    port = int(os.environ.get("VEIVISER_SMTP_PORT") or 25)
    mail = compose(callback, sender, recipients)
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            if os.environ.get("VEIVISER_SMTP_STARTTLS") == "1":
                smtp.starttls()
            user: Optional[str] = os.environ.get("VEIVISER_SMTP_USER")
            if user:
                smtp.login(user, os.environ.get("VEIVISER_SMTP_PASSWORD", ""))
            smtp.send_message(mail)
        return True
    except (OSError, smtplib.SMTPException):
        logger.exception("could not send the callback e-mail for %s", callback.id)
        return False
