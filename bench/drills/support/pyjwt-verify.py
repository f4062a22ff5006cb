"""Verifies ID tokens with PyJWT, one JSON request per stdin line, one JSON answer per stdout line.

Each request names the JWKS to verify against; one PyJWKClient per URL is kept for the whole run, with PyJWT's
default caching, as a long-lived relying party would. Checks: RS256 signature, issuer (argv[1]), audience, expiry,
and that the token names the job it was handed out with.
"""
import json
import sys

import jwt

issuer = sys.argv[1]
clients = {}

for line in sys.stdin:
    request = json.loads(line)
    try:
        client = clients.setdefault(request["jwks"], jwt.PyJWKClient(request["jwks"]))
        key = client.get_signing_key_from_jwt(request["jwt"])
        claims = jwt.decode(request["jwt"], key.key, algorithms=["RS256"], audience=request["aud"], issuer=issuer)
        if claims.get("job_id") != request["job_id"]:
            raise ValueError("names job %s" % claims.get("job_id"))
        answer = {"ok": True}
    except Exception as error:  # every failure is the drill's figure, not a crash
        answer = {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
