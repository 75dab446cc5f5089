-- Login no longer locks accounts. Five failures from anyone locked the account for
-- everyone, so any stranger who knew an email could keep its owner out, and the
-- 423 it answered told who has an account. The server now throttles failed
-- logins per (email, client address), per client address and per email, in its
-- own memory, and never writes a failure here (src/api/throttle.rs). The function
-- that counted failures and set locked_until goes; locked_until stays as a lock an
-- operator may set, and login answers it exactly like a wrong password.
DROP FUNCTION platform.record_login_failure(uuid, integer, interval, timestamptz);

COMMENT ON COLUMN tenancy.users.locked_until IS
    'Set by an operator to refuse logins until then (answered like a wrong password); login itself never sets it.';
COMMENT ON COLUMN tenancy.users.failed_login_attempts IS
    'No longer counted: failed logins are throttled in the server''s memory (src/api/throttle.rs).';
