"""What Veiviser says to the user around a live handoff (Norwegian Bokmål)."""
from __future__ import annotations

CONNECTED = "Du snakker nå med en veileder. Veilederen er et menneske og ser det du har skrevet i denne samtalen."
RESUMED = "Veilederen har avsluttet samtalen. Nå svarer Veiviser igjen, og det er fortsatt en chatbot du skriver med. Er noen i fare nå, ring 112."
TIMEOUT = (
    "Beklager, ingen veileder var ledig til å ta samtalen. Veiviser svarer igjen. "
    "Vil du at en veileder tar kontakt med deg senere i stedet?"
)
TIMEOUT_BUTTONS = [
    {"title": "Ja, be om å bli kontaktet", "payload": "/request_callback"},
    {"title": "Nei takk", "payload": "/deny"},
]


def queued(position: int, reference: str) -> str:
    ahead = position - 1
    if ahead <= 0:
        queue = "Du er først i køen."
    elif ahead == 1:
        queue = "Det er 1 samtale foran deg i køen."
    else:
        queue = f"Det er {ahead} samtaler foran deg i køen."
    return (
        f"Jeg setter deg over til en veileder. {queue} Saksnummeret ditt er {reference}. "
        "Mens du venter, svarer ikke Veiviser. Ikke skriv navn eller andre opplysninger som kan "
        "identifisere personen du er bekymret for. Er noen i fare nå, ring 112."
    )
