import pg from 'pg';

/**
 * The database role the API works as on the embedded server (and in the tests): a plain
 * login role that owns the application's database, never a superuser. It matters for the
 * audit log: a superuser bypasses every privilege, while this role has had UPDATE, DELETE
 * and TRUNCATE on `audit_log` taken away (migration AuditLog), so the application cannot
 * rewrite its own history even through a bug or an injected statement (the audit
 * tables belong to AUDIT_OWNER, not to it: see protectAuditLog).
 */
export const APP_ROLE = 'exchange_app';

/**
 * The owner of the audit log's tables: a role nobody logs in as and the application's
 * role is not a member of. Owning a table lets a role grant itself any privilege on it and
 * drop its triggers; so the audit tables are handed to this role once the migrations have
 * made them, and the application keeps only SELECT and INSERT on the entries, UPDATE of
 * their comment alone (which the trigger lets through only to erase it), and SELECT and
 * UPDATE on the chain's head.
 */
export const AUDIT_OWNER = 'exchange_audit_owner';

/** `superuserUrl` with the application role's credentials and `database`. */
export function appRoleUrl(superuserUrl: string, password: string, database: string): string {
  const url = new URL(superuserUrl);
  url.username = APP_ROLE;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Creates the role (or sets its password) through a superuser connection. */
export async function ensureAppRole(superuser: pg.Client, password: string): Promise<void> {
  const { rowCount } = await superuser.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
  // A password cannot be a bind parameter of CREATE/ALTER ROLE; it is a generated base64url string.
  if (!/^[A-Za-z0-9_-]+$/.test(password)) throw new Error('the application role password must be base64url');
  const verb = rowCount === 0 ? 'CREATE' : 'ALTER';
  await superuser.query(`${verb} ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${password}'`);
}

/**
 * Makes sure `database` exists and belongs to the application role. A database made by an
 * earlier version (owned by the superuser, tables included) is handed over object by
 * object, so the migrations and the API can go on working as the application role.
 */
export async function ensureAppDatabase(superuserUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: superuserUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [database]);
    if (rows.length === 0) {
      await admin.query(`CREATE DATABASE ${quoteIdent(database)} OWNER ${APP_ROLE}`);
      return;
    }
    if (rows[0].owner === APP_ROLE) return;
    await admin.query(`ALTER DATABASE ${quoteIdent(database)} OWNER TO ${APP_ROLE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(superuserUrl);
  url.pathname = `/${database}`;
  const db = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 10_000 });
  await db.connect();
  try {
    await db.query(`ALTER SCHEMA public OWNER TO ${APP_ROLE}`);
    const objects = await db.query<{ statement: string }>(`
      SELECT format('ALTER %s %I.%I OWNER TO ${APP_ROLE}',
               CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
               n.nspname, c.relname) AS statement
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) NOT IN ('${APP_ROLE}', '${AUDIT_OWNER}')
         AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
      UNION ALL
      SELECT format('ALTER TYPE %I.%I OWNER TO ${APP_ROLE}', n.nspname, t.typname)
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND pg_get_userbyid(t.typowner) <> '${APP_ROLE}'
         AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)
      UNION ALL
      SELECT format('ALTER FUNCTION %s OWNER TO ${APP_ROLE}', p.oid::regprocedure)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) NOT IN ('${APP_ROLE}', '${AUDIT_OWNER}')`);
    for (const { statement } of objects.rows) await db.query(statement);
  } finally {
    await db.end();
  }
}

/**
 * Hands the audit log's schema and tables to AUDIT_OWNER and leaves the application's role only what
 * appending needs. Run by the superuser after the migrations (every start of the embedded
 * server; the tests' template database); safe to run again. A later migration that changes
 * these tables must be run by a superuser.
 */
export async function protectAuditLog(superuserUrl: string, database: string): Promise<void> {
  const url = new URL(superuserUrl);
  url.pathname = `/${database}`;
  const db = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 10_000 });
  await db.connect();
  try {
    const { rowCount } = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [AUDIT_OWNER]);
    if (rowCount === 0) await db.query(`CREATE ROLE ${AUDIT_OWNER} NOLOGIN NOINHERIT`).catch((error: { code?: string }) => {
      if (error.code !== '42710') throw error; // made meanwhile by another start (duplicate_object)
    });
    const { rows } = await db.query<{ present: boolean }>("SELECT to_regclass('audit.audit_log') IS NOT NULL AS present");
    if (!rows[0].present) return;
    // The schema too: a schema's owner may drop any table in it, whoever owns the table.
    await db.query('BEGIN');
    await db.query(`ALTER SCHEMA audit OWNER TO ${AUDIT_OWNER}`);
    await db.query(`ALTER TABLE audit.audit_log OWNER TO ${AUDIT_OWNER}`);
    await db.query(`ALTER TABLE audit.audit_chain OWNER TO ${AUDIT_OWNER}`);
    await db.query(`ALTER FUNCTION audit.audit_log_append_only() OWNER TO ${AUDIT_OWNER}`);
    await db.query(`REVOKE ALL ON SCHEMA audit FROM PUBLIC, ${APP_ROLE}`);
    await db.query(`GRANT USAGE ON SCHEMA audit TO ${APP_ROLE}`);
    await db.query(`REVOKE ALL ON audit.audit_log, audit.audit_chain FROM PUBLIC, ${APP_ROLE}`);
    await db.query(`GRANT SELECT, INSERT ON audit.audit_log TO ${APP_ROLE}`);
    // Erasure clears the comments that name the person erased, and its addresses (the trigger lets nothing else through).
    await db.query(`GRANT UPDATE (comment, client_address) ON audit.audit_log TO ${APP_ROLE}`);
    await db.query(`GRANT SELECT, UPDATE ON audit.audit_chain TO ${APP_ROLE}`);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}
