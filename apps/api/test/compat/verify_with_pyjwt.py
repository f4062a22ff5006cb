"""Verifies ID tokens with PyJWT, independently of Lanyard's own stack: discovery → jwks_uri → PyJWKClient.

Usage: python3 verify_with_pyjwt.py ISSUER < lines of "AUDIENCE<TAB>TOKEN"
Prints one JSON result per line: {"ok": true, "claims": {...}} or {"ok": false, "error": "..."}.
"""
import json
import sys
import urllib.request

import jwt


def main() -> None:
    issuer = sys.argv[1]
    with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration") as response:
        discovery = json.load(response)
    assert discovery["issuer"] == issuer, discovery["issuer"]
    keys = jwt.PyJWKClient(discovery["jwks_uri"])
    for line in sys.stdin:
        audience, token = line.rstrip("\n").split("\t")
        try:
            key = keys.get_signing_key_from_jwt(token)
            claims = jwt.decode(token, key.key, algorithms=["RS256"], audience=audience, issuer=issuer, leeway=0)
            print(json.dumps({"ok": True, "claims": claims, "header": jwt.get_unverified_header(token)}))
        except Exception as error:  # noqa: BLE001 - every failure is reported to the caller, which asserts on it
            print(json.dumps({"ok": False, "error": type(error).__name__}))


if __name__ == "__main__":
    main()
