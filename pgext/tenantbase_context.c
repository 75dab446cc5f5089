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
		key_cached = load_key();
		key_cached_at = now;
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

	message = psprintf("v1:%s:%s:%.*s", setting("app.tenant_id"), setting("app.user_id"),
					   (int) expires_length, expires);
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
	PG_RETURN_BOOL(difference == 0);
}
