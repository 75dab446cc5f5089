/*
 * tenantbase_context: the signed tenant context's verifier, compiled.
 *
 * Every transaction the server opens carries one setting, in a safe alphabet
 * (letters, digits, '-', '_', '.'), so no quoting mode can turn it into SQL:
 *
 *   app.context = 'v2.<payload>.<signature>'
 *
 * <payload> is the base64url text (no padding) of eight fields joined by '\n':
 * tenant, user, expires (unix seconds), API key, impersonator, request id,
 * client address, user agent (any of them may be empty but expires).
 * <signature> is the base64url HMAC-SHA256 of 'v2.<payload>' under a key of
 * platform.context_keys not yet retired (the current one, or one it replaced
 * during the overlap of a rotation). platform.context_field(n) answers field n while the
 * signature verifies and the context had not expired when the transaction
 * started; otherwise NULL. The PL/pgSQL definition in
 * migrations/tenancy/V350__context_key_rotation.sql gives the same answers.
 *
 * The keys are read from platform.context_keys by a plain heap scan: no SQL, so
 * no privilege or policy applies (the caller cannot read that table, this code
 * can), and the function needs no SECURITY DEFINER. A backend keeps the keys
 * for at most KEY_TTL, so a retired key stops verifying within that time; a
 * context it cannot verify makes it read them again at once, so a new key
 * verifies as soon as it is committed.
 *
 * It also remembers the last context it found authentic, byte for byte, under
 * the same keys: a statement's second table, and later statements of the same
 * transaction, then skip the HMAC and the decoding. Expiry is checked every time.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "common/hmac.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

PG_MODULE_MAGIC;

#define KEY_LENGTH 32
#define SIGNATURE_LENGTH 32
/* base64url of 32 bytes, without padding */
#define SIGNATURE_TEXT_LENGTH 43
#define FIELD_COUNT 8
#define EXPIRES_FIELD 2
#define MAX_EXPIRES_DIGITS 12
#define MAX_TOKEN_LENGTH 4096
#define KEY_TTL_USECS (1 * USECS_PER_SEC)
/* The current key and those a rotation keeps for its overlap: a few at most. */
#define MAX_KEYS 8

static const char base64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static uint8 cached_keys[MAX_KEYS][KEY_LENGTH];
static int	key_count = 0;
static bool key_cached = false;
static TimestampTz key_cached_at = 0;

/* The last authentic context under cached_keys: its token and decoded fields. */
typedef struct VerifiedContext
{
	char	   *token;
	char	   *fields[FIELD_COUNT];
	int64		expires;
} VerifiedContext;

static VerifiedContext verified = {NULL};

static void
forget_verified(void)
{
	if (verified.token != NULL)
	{
		pfree(verified.token);
		for (int i = 0; i < FIELD_COUNT; i++)
			pfree(verified.fields[i]);
	}
	memset(&verified, 0, sizeof(verified));
}

/*
 * Reads into cached_keys the keys of platform.context_keys not retired at `now`;
 * false when there is none.
 */
static bool
load_keys(TimestampTz now)
{
	Oid			namespace_id = get_namespace_oid("platform", true);
	Oid			table_id;
	Relation	table;
	AttrNumber	key_column;
	AttrNumber	retires_column;
	TableScanDesc scan;
	Snapshot	snapshot;
	HeapTuple	row;

	if (!OidIsValid(namespace_id))
		return false;
	table_id = get_relname_relid("context_keys", namespace_id);
	if (!OidIsValid(table_id))
		return false;
	key_column = get_attnum(table_id, "key");
	/* Absent before keys could rotate (an upgrade in progress): no key retires. */
	retires_column = get_attnum(table_id, "retires_at");
	if (key_column == InvalidAttrNumber)
		return false;

	table = table_open(table_id, AccessShareLock);
	snapshot = RegisterSnapshot(GetLatestSnapshot());
	scan = table_beginscan(table, snapshot, 0, NULL);
	key_count = 0;
	while (key_count < MAX_KEYS && (row = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		bool		is_null;
		bool		retires_null = true;
		Datum		value = heap_getattr(row, key_column, RelationGetDescr(table), &is_null);
		Datum		retires = (Datum) 0;

		if (retires_column != InvalidAttrNumber)
			retires = heap_getattr(row, retires_column, RelationGetDescr(table), &retires_null);

		if (!retires_null && DatumGetTimestampTz(retires) <= now)
			continue;
		if (!is_null)
		{
			bytea	   *key = DatumGetByteaPP(value);

			if (VARSIZE_ANY_EXHDR(key) == KEY_LENGTH)
				memcpy(cached_keys[key_count++], VARDATA_ANY(key), KEY_LENGTH);
		}
	}
	table_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(table, AccessShareLock);
	return key_count > 0;
}

/* The keys, re-read when older than KEY_TTL or when `reload`. */
static bool
current_keys(bool reload)
{
	TimestampTz now = GetCurrentTimestamp();

	if (reload || !key_cached || now - key_cached_at > KEY_TTL_USECS || now < key_cached_at)
	{
		uint8		previous[MAX_KEYS][KEY_LENGTH];
		int			previous_count = key_count;
		bool		had_key = key_cached;

		memcpy(previous, cached_keys, sizeof(previous));
		key_cached = load_keys(now);
		key_cached_at = now;
		if (!key_cached || !had_key || previous_count != key_count
			|| memcmp(previous, cached_keys, (size_t) key_count * KEY_LENGTH) != 0)
			forget_verified();
	}
	return key_cached;
}

static int
base64url_value(char c)
{
	const char *at = (c == '\0') ? NULL : strchr(base64url, c);

	return at ? (int) (at - base64url) : -1;
}

/*
 * Decodes base64url text (no padding) into a palloc'd, NUL-terminated string;
 * NULL when the text is not canonical base64url or decodes to a NUL byte.
 */
static char *
decode_base64url(const char *text, size_t length)
{
	char	   *out = palloc(length * 3 / 4 + 1);
	size_t		written = 0;
	uint32		bits = 0;
	int			bit_count = 0;

	if (length % 4 == 1)
		return NULL;
	for (size_t i = 0; i < length; i++)
	{
		int			value = base64url_value(text[i]);

		if (value < 0)
			return NULL;
		bits = (bits << 6) | (uint32) value;
		bit_count += 6;
		if (bit_count >= 8)
		{
			bit_count -= 8;
			out[written] = (char) ((bits >> bit_count) & 0xFF);
			if (out[written] == '\0')
				return NULL;
			written++;
		}
	}
	/* Leftover bits must be zero: one payload, one text. */
	if ((bits & ((1u << bit_count) - 1)) != 0)
		return NULL;
	out[written] = '\0';
	return out;
}

static void
encode_base64url(const uint8 *bytes, size_t length, char *out)
{
	uint32		bits = 0;
	int			bit_count = 0;
	size_t		written = 0;

	for (size_t i = 0; i < length; i++)
	{
		bits = (bits << 8) | bytes[i];
		bit_count += 8;
		while (bit_count >= 6)
		{
			bit_count -= 6;
			out[written++] = base64url[(bits >> bit_count) & 0x3F];
		}
	}
	if (bit_count > 0)
		out[written++] = base64url[(bits << (6 - bit_count)) & 0x3F];
	out[written] = '\0';
}

/* Verifies a token and, when authentic, remembers it with its fields. */
static bool
verify_and_remember(const char *token)
{
	size_t		token_length = strlen(token);
	const char *payload;
	const char *signature;
	size_t		payload_length;
	bool		authentic = false;
	char	   *decoded;
	char	   *fields[FIELD_COUNT];
	char	   *cursor;
	int64		expires = 0;
	const char *digits;
	MemoryContext previous;

	/* The shape first, so that a malformed token is NULL, never an error. */
	if (token_length > MAX_TOKEN_LENGTH || strncmp(token, "v2.", 3) != 0)
		return false;
	payload = token + 3;
	signature = strchr(payload, '.');
	if (signature == NULL)
		return false;
	payload_length = (size_t) (signature - payload);
	signature++;
	if (strlen(signature) != SIGNATURE_TEXT_LENGTH || payload_length == 0)
		return false;

	for (int k = 0; k < key_count; k++)
	{
		uint8		mac[SIGNATURE_LENGTH];
		char		expected[SIGNATURE_TEXT_LENGTH + 1];
		uint8		difference = 0;
		pg_hmac_ctx *hmac = pg_hmac_create(PG_SHA256);
		bool		computed;

		if (hmac == NULL)
			elog(ERROR, "out of memory creating an HMAC context");
		computed = pg_hmac_init(hmac, cached_keys[k], KEY_LENGTH) == 0
			&& pg_hmac_update(hmac, (const uint8 *) token, 3 + payload_length) == 0
			&& pg_hmac_final(hmac, mac, SIGNATURE_LENGTH) == 0;
		pg_hmac_free(hmac);
		if (!computed)
			elog(ERROR, "could not compute the context's HMAC");
		encode_base64url(mac, SIGNATURE_LENGTH, expected);
		/* Constant time: how much of a guess was right must not show in the timing. */
		for (int i = 0; i < SIGNATURE_TEXT_LENGTH; i++)
			difference |= (uint8) (expected[i] ^ signature[i]);
		authentic |= difference == 0;
	}
	if (!authentic)
		return false;

	decoded = decode_base64url(payload, payload_length);
	if (decoded == NULL)
		return false;
	cursor = decoded;
	for (int i = 0; i < FIELD_COUNT; i++)
	{
		char	   *end = strchr(cursor, '\n');

		if ((end == NULL) != (i == FIELD_COUNT - 1))
		{
			pfree(decoded);
			return false;
		}
		if (end != NULL)
			*end = '\0';
		fields[i] = cursor;
		cursor = end ? end + 1 : cursor;
	}
	digits = fields[EXPIRES_FIELD];
	if (strlen(digits) == 0 || strlen(digits) > MAX_EXPIRES_DIGITS || strspn(digits, "0123456789") != strlen(digits))
	{
		pfree(decoded);
		return false;
	}
	for (const char *d = digits; *d; d++)
		expires = expires * 10 + (*d - '0');

	/* Allocated before anything is replaced: running out of memory leaves a whole entry or none. */
	previous = MemoryContextSwitchTo(TopMemoryContext);
	{
		char	   *token_copy = pstrdup(token);
		char	   *field_copies[FIELD_COUNT];

		for (int i = 0; i < FIELD_COUNT; i++)
			field_copies[i] = pstrdup(fields[i]);
		MemoryContextSwitchTo(previous);
		forget_verified();
		verified.token = token_copy;
		memcpy(verified.fields, field_copies, sizeof(field_copies));
		verified.expires = expires;
	}
	pfree(decoded);
	return true;
}

/* Expired at the transaction's start, as now() sees it. */
static bool
expired(int64 expires_seconds)
{
	TimestampTz transaction_start = GetCurrentTransactionStartTimestamp();
	int64		transaction_start_unix_usecs = transaction_start
		+ (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * USECS_PER_SEC;

	return expires_seconds * USECS_PER_SEC <= transaction_start_unix_usecs;
}

PG_FUNCTION_INFO_V1(tenantbase_context_field);

Datum
tenantbase_context_field(PG_FUNCTION_ARGS)
{
	int32		field = PG_GETARG_INT32(0);
	const char *token = GetConfigOption("app.context", true, false);

	if (field < 1 || field > FIELD_COUNT || token == NULL || token[0] == '\0')
		PG_RETURN_NULL();
	if (!current_keys(false))
		PG_RETURN_NULL();
	/*
	 * A context no cached key signed may be signed by a key installed since
	 * they were read (a rotation: servers sign with it at once): read them
	 * again, once, before refusing it.
	 */
	if ((verified.token == NULL || strcmp(token, verified.token) != 0) && !verify_and_remember(token)
		&& !(current_keys(true) && verify_and_remember(token)))
		PG_RETURN_NULL();
	if (expired(verified.expires))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(verified.fields[field - 1]));
}
