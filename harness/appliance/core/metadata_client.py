"""Reads an app's security switches through the Metadata API SOAP calls, the way Salesforce exposes them.

Rules served: OAUTH-ON and PKCE-OFF (docs/salesforce-facts.md 2.3, 3.8): "Require Secret for Web Server Flow" is
``isConsumerSecretOptional`` (inverted), "Require Secret for Refresh Token Flow" is
``isSecretRequiredForRefreshToken`` and "Require Proof Key for Code Exchange (PKCE)" is ``isPkceRequired``.
The appliance knows the app only by its consumer key, so it lists the org's app settings
(``listMetadata``) and reads them (``readMetadata``) until one has that ``consumerKey`` - what a client of
the real Metadata API has to do. Contract of the fake: harness/salesforce/views/metadata.py.
"""

from __future__ import annotations

from xml.etree import ElementTree
from xml.sax.saxutils import escape

API_VERSION = "62.0"
_ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:met="http://soap.sforce.com/2006/04/metadata">'
    "<soapenv:Header><met:SessionHeader><met:sessionId>{token}</met:sessionId></met:SessionHeader>"
    "</soapenv:Header><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
)


def list_request(token: str, kind: str) -> str:
    body = (
        f"<met:listMetadata><met:queries><met:type>{kind}</met:type></met:queries>"
        f"<met:asOfVersion>{API_VERSION}</met:asOfVersion></met:listMetadata>"
    )
    return _ENVELOPE.format(token=escape(token), body=body)


def read_request(token: str, kind: str, full_names: list[str]) -> str:
    names = "".join(f"<met:fullNames>{escape(n)}</met:fullNames>" for n in full_names)
    body = f"<met:readMetadata><met:type>{kind}</met:type>{names}</met:readMetadata>"
    return _ENVELOPE.format(token=escape(token), body=body)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_fault(text: str) -> tuple[str, str] | None:
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return ("unreadable", "the answer was not XML")
    found = {_local(e.tag): (e.text or "").strip() for e in root.iter()}
    if "faultcode" in found:
        return found["faultcode"], found.get("faultstring", "")
    return None


def parse_list(text: str) -> list[str]:
    root = ElementTree.fromstring(text)
    return [(e.text or "").strip() for e in root.iter() if _local(e.tag) == "fullName"]


def parse_records(text: str) -> list[dict[str, str]]:
    """Each ``records`` element flattened to ``local name -> text`` (nested oauthConfig included)."""
    root = ElementTree.fromstring(text)
    records = []
    for record in (e for e in root.iter() if _local(e.tag) == "records"):
        records.append({_local(e.tag): (e.text or "").strip() for e in record.iter() if len(e) == 0})
    return records
