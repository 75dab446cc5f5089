-- A C function (the compiled context verifier, or any other) whose library file
-- this server cannot find: every statement that reaches it fails. A database
-- restored from another cluster's dump points at that cluster's file.
SELECT p.oid::regprocedure::text,
       format('a C function whose library %s this server cannot find: every statement that reaches it fails (a copy of a database from another cluster points at that cluster''s file)', p.probin),
       'tenantbase migrate (it installs this cluster''s compiled verifier, or the PL/pgSQL one where none loads)'
FROM pg_proc p
JOIN pg_language l ON l.oid = p.prolang AND l.lanname = 'c'
JOIN pg_namespace n ON n.oid = p.pronamespace
CROSS JOIN LATERAL (SELECT CASE WHEN p.probin LIKE '$libdir/%' OR p.probin NOT LIKE '%/%'
                                THEN (SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR') || '/' || regexp_replace(p.probin, '^\$libdir/', '')
                                ELSE p.probin END AS path) AS f
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  AND (pg_stat_file(f.path, true)).size IS NULL
  AND (pg_stat_file(f.path || '.so', true)).size IS NULL
