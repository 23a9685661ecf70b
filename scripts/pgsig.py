"""Merchant API helpers shared by the load scripts (scaleout_payouts.py, crash_durability.py): pg_sig signing of flat
parameters (merchant-api.md §1.3), the XML answer envelope, amounts. Standard library only."""
import decimal, hashlib, os, urllib.parse
import xml.etree.ElementTree as ET


def pg_sign(script, params, secret):
    """pg_sig for flat parameters: md5 of `script;values sorted by name;secret`."""
    values = [value for _, value in sorted(params.items())]
    return hashlib.md5(";".join([script] + values + [secret]).encode()).hexdigest()


def signed_form(path, params, merchant_id, secret):
    """The urlencoded body of a signed call to `path` (fresh pg_salt)."""
    params = dict(params, pg_merchant_id=str(merchant_id), pg_salt=os.urandom(8).hex())
    params["pg_sig"] = pg_sign(path.rsplit("/", 1)[-1], params, secret)
    return urllib.parse.urlencode(params).encode()


def xml_fields(text):
    """Top-level fields of an XML answer; repeated <card> elements as a list of dicts under "card"."""
    root = ET.fromstring(text)
    fields = {"card": []}
    for child in root:
        if len(child):
            fields.setdefault(child.tag, []).append({c.tag: c.text or "" for c in child})
        else:
            fields[child.tag] = child.text or ""
    return fields


def minor(amount):
    """Minor units of a pg_amount-style decimal string."""
    return int(decimal.Decimal(amount) * 100)
