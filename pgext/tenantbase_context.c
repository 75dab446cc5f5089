/*
 * tenantbase_context: the signed tenant context's verifier, compiled.
 *
 * platform.context_is_signed() runs in every policy's InitPlan, once per table a
 * statement reads. Written in PL/pgSQL (migrations/tenancy/V55__signed_context.sql)
 * it costs 20-50 us per statement, almost all of it the interpreter's and SPI's
 * set-up rather than the HMAC. This is the same check, answer for answer:
 *
 *   app.context_token = 'v1:<expires, unix seconds>:<hex HMAC-SHA256>'
 *   signed over 'v1:<app.tenant_id>:<app.user_id>:<expires>'
 *   and valid while <expires> is after the transaction's start.
 *
 * The key is read from platform.context_keys by a plain heap scan: no SQL, so no
 * privilege or policy applies (the caller cannot read that table, this code
 * can), and the function needs no SECURITY DEFINER. A backend keeps the key for
 * at most KEY_TTL, so a replaced key takes effect within that time.
 *
 * It also remembers the last context it found authentic (token, tenant and user,
 * each byte for byte, under the same key): a transaction's later statements, and
 * a statement's second table, then skip the HMAC. Expiry is checked every time.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "common/hmac.h"
#include "fmgr.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

PG_MODULE_MAGIC;

#define KEY_LENGTH 32
#define SIGNATURE_LENGTH 32
#define MAX_EXPIRES_DIGITS 12
#define KEY_TTL_USECS (1 * USECS_PER_SEC)

static uint8 cached_key[KEY_LENGTH];
static bool key_cached = false;
static TimestampTz key_cached_at = 0;

/*
 * The last authentic context under cached_key, its three settings kept apart:
 * joined into one string, a newline inside one setting could pass for the
 * boundary between two.
 */
typedef struct VerifiedContext
{
	char	   *token;
	char	   *tenant;
	char	   *user;
} VerifiedContext;

static VerifiedContext verified = {NULL, NULL, NULL};

static void
forget_verified(void)
{
	if (verified.token != NULL)
	{
		pfree(verified.token);
		pfree(verified.tenant);
		pfree(verified.user);
	}
	verified.token = verified.tenant = verified.user = NULL;
}

static bool
is_verified(const char *token, const char *tenant, const char *user)
{
	return verified.token != NULL && strcmp(token, verified.token) == 0
		&& strcmp(tenant, verified.tenant) == 0 && strcmp(user, verified.user) == 0;
}

static void
remember_verified(const char *token, const char *tenant, const char *user)
{
	/* Allocated before anything is replaced: running out of memory leaves a whole entry or none. */
	char	   *token_copy = MemoryContextStrdup(TopMemoryContext, token);
	char	   *tenant_copy = MemoryContextStrdup(TopMemoryContext, tenant);
	char	   *user_copy = MemoryContextStrdup(TopMemoryContext, user);

	forget_verified();
	verified.token = token_copy;
	verified.tenant = tenant_copy;
	verified.user = user_copy;
}

/* Reads the one row of platform.context_keys; false when there is none. */
static bool
load_key(void)
{
	Oid			namespace_id = get_namespace_oid("platform", true);
	Oid			table_id;
	Relation	table;
	AttrNumber	key_column;
	TableScanDesc scan;
	Snapshot	snapshot;
	HeapTuple	row;
	bool		found = false;

	if (!OidIsValid(namespace_id))
		return false;
	table_id = get_relname_relid("context_keys", namespace_id);
	if (!OidIsValid(table_id))
		return false;
	key_column = get_attnum(table_id, "key");
	if (key_column == InvalidAttrNumber)
		return false;

	table = table_open(table_id, AccessShareLock);
	snapshot = RegisterSnapshot(GetLatestSnapshot());
	scan = table_beginscan(table, snapshot, 0, NULL);
	row = heap_getnext(scan, ForwardScanDirection);
	if (row != NULL)
	{
		bool		is_null;
		Datum		value = heap_getattr(row, key_column, RelationGetDescr(table), &is_null);

		if (!is_null)
		{
			bytea	   *key = DatumGetByteaPP(value);

			if (VARSIZE_ANY_EXHDR(key) == KEY_LENGTH)
			{
				memcpy(cached_key, VARDATA_ANY(key), KEY_LENGTH);
				found = true;
			}
		}
	}
	table_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(table, AccessShareLock);
	return found;
}

static bool
current_key(void)
{
	TimestampTz now = GetCurrentTimestamp();

	if (!key_cached || now - key_cached_at > KEY_TTL_USECS || now < key_cached_at)
	{
		uint8		previous[KEY_LENGTH];
		bool		had_key = key_cached;

		memcpy(previous, cached_key, KEY_LENGTH);
		key_cached = load_key();
		key_cached_at = now;
		if (!key_cached || !had_key || memcmp(previous, cached_key, KEY_LENGTH) != 0)
			forget_verified();
	}
	return key_cached;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A setting as concat() sees it: missing is empty. */
static const char *
setting(const char *name)
{
	const char *value = GetConfigOption(name, true, false);

	return value ? value : "";
}

PG_FUNCTION_INFO_V1(tenantbase_context_is_signed);

Datum
tenantbase_context_is_signed(PG_FUNCTION_ARGS)
{
	const char *token = GetConfigOption("app.context_token", true, false);
	const char *expires;
	const char *signature_hex;
	size_t		expires_length = 0;
	int64		expires_seconds = 0;
	uint8		given[SIGNATURE_LENGTH];
	uint8		expected[SIGNATURE_LENGTH];
	uint8		difference = 0;
	TimestampTz transaction_start;
	int64		transaction_start_unix_usecs;
	const char *tenant;
	const char *user;
	char	   *message;
	pg_hmac_ctx *hmac;
	bool		computed;

	/* The shape first, so that a malformed token is false, never an error. */
	if (token == NULL || strncmp(token, "v1:", 3) != 0)
		PG_RETURN_BOOL(false);
	expires = token + 3;
	while (expires[expires_length] >= '0' && expires[expires_length] <= '9')
	{
		if (++expires_length > MAX_EXPIRES_DIGITS)
			PG_RETURN_BOOL(false);
		expires_seconds = expires_seconds * 10 + (expires[expires_length - 1] - '0');
	}
	if (expires_length == 0 || expires[expires_length] != ':')
		PG_RETURN_BOOL(false);
	/* Like split_part(token, ':', 3): whatever follows a further colon is ignored. */
	signature_hex = expires + expires_length + 1;
	if (strcspn(signature_hex, ":") != 2 * SIGNATURE_LENGTH)
		PG_RETURN_BOOL(false);
	for (int i = 0; i < SIGNATURE_LENGTH; i++)
	{
		int			high = hex_value(signature_hex[2 * i]);
		int			low = hex_value(signature_hex[2 * i + 1]);

		if (high < 0 || low < 0)
			PG_RETURN_BOOL(false);
		given[i] = (uint8) (high << 4 | low);
	}

	/* Expired at the transaction's start, as now() sees it. */
	transaction_start = GetCurrentTransactionStartTimestamp();
	transaction_start_unix_usecs = transaction_start
		+ (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * USECS_PER_SEC;
	if (expires_seconds * USECS_PER_SEC <= transaction_start_unix_usecs)
		PG_RETURN_BOOL(false);

	if (!current_key())
		PG_RETURN_BOOL(false);

	tenant = setting("app.tenant_id");
	user = setting("app.user_id");
	if (is_verified(token, tenant, user))
		PG_RETURN_BOOL(true);

	message = psprintf("v1:%s:%s:%.*s", tenant, user, (int) expires_length, expires);
	hmac = pg_hmac_create(PG_SHA256);
	if (hmac == NULL)
		elog(ERROR, "out of memory creating an HMAC context");
	computed = pg_hmac_init(hmac, cached_key, KEY_LENGTH) == 0
		&& pg_hmac_update(hmac, (const uint8 *) message, strlen(message)) == 0
		&& pg_hmac_final(hmac, expected, SIGNATURE_LENGTH) == 0;
	pg_hmac_free(hmac);
	pfree(message);
	if (!computed)
		elog(ERROR, "could not compute the context's HMAC");

	/* Constant time: how much of a guess was right must not show in the timing. */
	for (int i = 0; i < SIGNATURE_LENGTH; i++)
		difference |= given[i] ^ expected[i];
	if (difference != 0)
		PG_RETURN_BOOL(false);
	remember_verified(token, tenant, user);
	PG_RETURN_BOOL(true);
}
