"""schemathesis hooks for the Task API conformance run (loaded through SCHEMATHESIS_HOOKS)."""

import schemathesis

BCRYPT_MAX_BYTES = 72


@schemathesis.hook
def filter_body(ctx, body):
    """Skips passwords of at most 72 characters but more than 72 UTF-8 bytes.

    The contract's real limit is bcrypt's 72 bytes, which JSON Schema cannot state (maxLength counts characters),
    so such a password is schema-valid yet rightly refused with 422. Every other body is generated as usual.
    """
    if not isinstance(body, dict):
        return True
    password = body.get("password")
    if not isinstance(password, str):
        return True
    return len(password) > BCRYPT_MAX_BYTES or len(password.encode("utf-8", "surrogatepass")) <= BCRYPT_MAX_BYTES
