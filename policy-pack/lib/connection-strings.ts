import {
    mysqlHostProperties,
    parseGoMysqlDsn,
    parseKeywordDsn,
    parseSemicolonDsn,
    urlQueryParameters,
} from "./dsn-parsers";

export { parseKeywordDsn, urlQueryParameters } from "./dsn-parsers";

/** What kind of connection string a value is. */
export type ConnectionStringKind =
    "postgres-url" | "postgres-keyword-dsn" | "mysql-url" | "go-mysql-dsn" | "semicolon-dsn";

/** The verdict on one connection string. Never carries the string itself: it may hold a password. */
export interface ConnectionStringCheck {
    readonly kind: ConnectionStringKind;
    /** True when every TLS-mode setting in the string demands full verification and at least one is there. */
    readonly ok: boolean;
    /** The TLS-mode values the string sets, in order (empty when it sets none). */
    readonly modes: readonly string[];
    /** Other settings in the string that turn verification off (`sslfactory=…NonValidatingFactory`); present only when there are some. */
    readonly weakenedBy?: readonly string[];
}

/** The only accepted `sslmode` for PostgreSQL clients (libpq and drivers that follow it). */
export const POSTGRES_REQUIRED_SSLMODE = "verify-full";
/** The only accepted `ssl-mode` for MySQL clients. */
export const MYSQL_REQUIRED_SSL_MODE = "VERIFY_IDENTITY";

const POSTGRES_URL = /^(?:jdbc:)?postgres(?:ql)?(?:\+[a-z0-9_]+)?:\/\//i;
const MYSQL_URL = /^(?:jdbc:)?(?:mysql|mysqlx|mariadb)(?:\+[a-z0-9_]+)?:\/\//i;
const MYSQL_MODE_KEY = /^ssl[-_]?mode$/i;
/** libpq keywords that only a PostgreSQL keyword/value connection string would carry. */
const DSN_ANCHOR_KEYWORDS = new Set(["host", "hostaddr", "dbname", "service"]);
/**
 * Every libpq connection keyword (PostgreSQL documentation, "Parameter Key Words", libpq connection strings): a
 * one-line string of two or more pairs that all use these keywords is a keyword connection string even without
 * `host` (libpq then connects through the default socket or PGHOST).
 */
const LIBPQ_KEYWORDS = new Set([
    ...DSN_ANCHOR_KEYWORDS,
    ...["port", "user", "password", "passfile", "require_auth", "channel_binding", "connect_timeout"],
    ...["client_encoding", "options", "application_name", "fallback_application_name", "keepalives"],
    ...["keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication"],
    ...["gssencmode", "sslmode", "requiressl", "sslnegotiation", "sslcompression", "sslcert", "sslkey"],
    ...["sslkeylogfile", "sslpassword", "sslcertmode", "sslrootcert", "sslcrl", "sslcrldir", "sslsni"],
    ...["requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib"],
    ...["gssdelegation", "target_session_attrs", "load_balance_hosts"],
]);
/**
 * The Go MySQL driver's `tls` values that verify the server's certificate and host name: the driver reads
 * `true`, `TRUE`, `True` and `1` as true (go-sql-driver/mysql README, "tls": "`tls=true` enables TLS / SSL
 * encrypted connection to the server with full certificate verification (including hostname)"; `skip-verify` and
 * `preferred` "do not add any reliable security"). A name registered with `mysql.RegisterTLSConfig` is a
 * tls.Config the pack cannot see, so it is not accepted: use `tls=true`, which verifies against the system roots
 * (the proxy's certificate chains to Amazon Root CA 1).
 */
const GO_MYSQL_VERIFYING_TLS = new Set(["true", "TRUE", "True", "1"]);
/** pgJDBC socket factories that validate the server certificate (pgJDBC documentation, "Using SSL", sslfactory). */
const PGJDBC_VALIDATING_FACTORIES = new Set([
    "org.postgresql.ssl.libpqfactory",
    "org.postgresql.ssl.jdbc4.libpqfactory",
    "org.postgresql.ssl.defaultjavasslfactory",
]);
/** pgJDBC's own host-name verifier, the default for sslhostnameverifier (pgJDBC connection parameters). */
const PGJDBC_HOSTNAME_VERIFIER = "org.postgresql.ssl.pgjdbchostnameverifier";

function verdict(
    kind: ConnectionStringKind,
    modes: string[],
    required: (mode: string) => boolean,
    pairs: ReadonlyArray<[string, string]>,
    isModeKey: (key: string) => boolean,
): ConnectionStringCheck {
    const weakenedBy = pairs
        .filter(([k]) => !isModeKey(k))
        .map(([k, v]) => (weakensVerification(k, v) ? showSetting(k, v) : undefined))
        .filter((w): w is string => w !== undefined);
    const ok = modes.length > 0 && modes.every(required) && weakenedBy.length === 0;
    return weakenedBy.length === 0 ? { kind, modes, ok } : { kind, modes, ok, weakenedBy };
}

/** A key reduced to lower-case letters and digits, so `DB_SSLMODE`, `ssl-mode`, `SSL Mode` and `sslMode` compare alike. */
function normalizeKey(key: string): string {
    return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function valueText(value: unknown): string {
    return typeof value === "string" ? value.trim().toLowerCase() : String(value).toLowerCase();
}

function isFalse(value: unknown): boolean {
    return ["false", "0", "no", "off", "disable", "disabled"].includes(valueText(value));
}

function isTrue(value: unknown): boolean {
    return ["true", "1", "yes", "on"].includes(valueText(value));
}

/**
 * True when a setting, by itself, turns server verification off, whatever TLS mode sits next to it: `ssl`,
 * `useSSL`, `requireSSL`, `DB_SSL` (a key ending in `ssl` that names a database), `tls`, `DB_TLS` and `encrypt` set
 * false; `tls=skip-verify` or `preferred` (Go MySQL driver); `rejectUnauthorized` or any `…_REJECT_UNAUTHORIZED`
 * false (node-postgres, mysql2); `NODE_TLS_REJECT_UNAUTHORIZED` other than 1 (Node.js);
 * `sslaccept=accept_invalid_certs` (Prisma); `verifyServerCertificate` or `…ssl-verify-server-cert` false and
 * `trustServerCertificate` true (MySQL Connector/J, MariaDB, SQL Server); `insecureSkipVerify` true; pgJDBC's
 * `sslfactory` other than its validating factories (`NonValidatingFactory` accepts any certificate; a custom
 * class is one the pack cannot judge) and `sslhostnameverifier` other than its own PGjdbcHostnameVerifier.
 */
export function weakensVerification(key: string, value: unknown): boolean {
    const k = normalizeKey(key);
    if (k.endsWith("tlsrejectunauthorized")) {
        return valueText(value) !== "1";
    }
    if (
        k.endsWith("rejectunauthorized") ||
        k.endsWith("verifyservercertificate") ||
        k.includes("sslverify")
    ) {
        return isFalse(value);
    }
    if (k === "trustservercertificate" || k === "trustservercert" || k === "insecureskipverify") {
        return isTrue(value);
    }
    if (k === "sslaccept") {
        return valueText(value) === "acceptinvalidcerts" || valueText(value) === "accept_invalid_certs";
    }
    if (k === "sslfactory") {
        return !PGJDBC_VALIDATING_FACTORIES.has(valueText(value));
    }
    if (k === "sslhostnameverifier") {
        return valueText(value) !== PGJDBC_HOSTNAME_VERIFIER;
    }
    if (k === "tls" || (k.endsWith("tls") && DATABASE_WORDS.test(k))) {
        return isFalse(value) || ["skip-verify", "preferred"].includes(valueText(value));
    }
    if (isDatabaseSslKey(k) || k === "encrypt" || k === "usetls") {
        return isFalse(value);
    }
    return false;
}

/** Words that make a key ending in `ssl` a database setting (`DB_SSL`, `PGSSL`, `MYSQL_SSL`), not `SMTP_SSL`. */
const DATABASE_WORDS = /db|pg|postgres|mysql|maria|database|rds|sql|aurora|redis|mongo/;

/** `ssl`, `useSSL`, `requireSSL`, or a key ending in `ssl` that names a database. */
function isDatabaseSslKey(k: string): boolean {
    return (
        k === "ssl" || k === "usessl" || k === "requiressl" || (k.endsWith("ssl") && DATABASE_WORDS.test(k))
    );
}

/** True for a key that sets a TLS mode (`sslmode`, `ssl-mode`, `SSL Mode`, `DB_SSLMODE`, `MYSQL_SSL_MODE`, …). */
function isModeKey(key: string): boolean {
    return normalizeKey(key).endsWith("sslmode");
}

/** True for a TLS mode that verifies the server's certificate and host name (`verify-full`, `VERIFY_IDENTITY`, `VerifyFull`). */
function isFullMode(value: string): boolean {
    const v = normalizeKey(value);
    return v === "verifyfull" || v === "verifyidentity";
}

/** A value as messages show it: only when it is a short token, never free text that may be a secret. */
export function shownValue(text: string): string {
    return /^[\w.:-]{1,80}$/.test(text) ? text : text === "" ? "(empty)" : "(value not shown)";
}

/** A setting as messages show it (see `shownValue`). */
function showSetting(key: string, value: unknown): string {
    return `${key}=${shownValue(typeof value === "string" ? value : JSON.stringify(value))}`;
}

/**
 * Judges one named setting wherever it appears (an environment variable, a JSON key, a `.env` line): `PGSSLMODE`
 * must be exactly `verify-full` (libpq reads it case-sensitively); any other key ending in `sslmode` (`sslmode`,
 * `ssl-mode`, `DB_SSLMODE`, `MYSQL_SSL_MODE`) must be verify-full or VERIFY_IDENTITY in any case and spelling; and
 * nothing may turn verification off (`weakensVerification`). Returns the problem, or undefined.
 */
export function judgeTlsSetting(key: string, value: unknown): string | undefined {
    if (key === PGSSLMODE) {
        return typeof value === "string" ? checkPgSslMode(value) : checkPgSslMode(JSON.stringify(value));
    }
    if (isModeKey(key)) {
        return typeof value === "string" && isFullMode(value)
            ? undefined
            : `${showSetting(key, value)} (needs ${key}=verify-full, or VERIFY_IDENTITY for MySQL)`;
    }
    if (weakensVerification(key, value)) {
        return `${showSetting(key, value)}, which turns server verification off`;
    }
    return undefined;
}

/** Keys of a semicolon-separated connection string (Npgsql, ADO.NET) that name the server. */
const SEMICOLON_ANCHOR_KEYS = new Set(["host", "server", "datasource", "address", "addr"]);

/** A libpq keyword string: one naming a host, database or service, or a one-line string of libpq keywords only. */
function isLibpqDsn(pairs: ReadonlyArray<[string, string]>, text: string): boolean {
    if (pairs.some(([k]) => DSN_ANCHOR_KEYWORDS.has(k))) {
        return true;
    }
    return !text.includes("\n") && pairs.length >= 2 && pairs.every(([k]) => LIBPQ_KEYWORDS.has(k));
}

/**
 * Recognizes a database connection string and checks its TLS mode. PostgreSQL URLs (`postgres://`,
 * `postgresql://`, `jdbc:postgresql://`, `postgresql+driver://`) and keyword DSNs need `sslmode=verify-full`
 * (exact keyword and value, as libpq reads them); MySQL URLs (`mysql://`, `mysqlx://`, `mariadb://`, with
 * `jdbc:` or `+driver`) need `ssl-mode` (also spelled `sslMode`, `ssl_mode`) equal to `VERIFY_IDENTITY` in
 * any case, in the query and in every per-host property (Connector/J `(host=h,sslMode=…)`); Go MySQL DSNs
 * (`user:pw@tcp(host:3306)/db`) need `tls=true` (no `tls` means no TLS at all); semicolon-separated strings
 * (Npgsql, ADO.NET, ODBC, values quoted or in braces) need an `SSL Mode` of VerifyFull or verify-full. A string
 * that sets the mode more than once passes only if every setting is the required one.
 * Returns undefined for text that is not a connection string.
 */
export function checkConnectionString(value: string): ConnectionStringCheck | undefined {
    const text = value.trim();
    const isPgMode = (k: string): boolean => k === "sslmode";
    const pgRequired = (m: string): boolean => m === POSTGRES_REQUIRED_SSLMODE;
    if (POSTGRES_URL.test(text)) {
        const pairs = urlQueryParameters(text);
        const modes = pairs.filter(([k]) => isPgMode(k)).map(([, v]) => v);
        return verdict("postgres-url", modes, pgRequired, pairs, isPgMode);
    }
    if (MYSQL_URL.test(text)) {
        // Per-host properties override the query for their host, so each must verify as well.
        const pairs = [...mysqlHostProperties(text), ...urlQueryParameters(text)];
        const isMode = (k: string): boolean => MYSQL_MODE_KEY.test(k);
        const modes = pairs.filter(([k]) => isMode(k)).map(([, v]) => v);
        return verdict("mysql-url", modes, (m) => m.toUpperCase() === MYSQL_REQUIRED_SSL_MODE, pairs, isMode);
    }
    const goPairs = parseGoMysqlDsn(text);
    if (goPairs !== undefined) {
        const isTls = (k: string): boolean => k === "tls";
        const modes = goPairs.filter(([k]) => isTls(k)).map(([, v]) => v);
        return verdict("go-mysql-dsn", modes, (m) => GO_MYSQL_VERIFYING_TLS.has(m), goPairs, isTls);
    }
    if (text.includes("=")) {
        const pairs = parseKeywordDsn(text);
        if (pairs !== undefined && isLibpqDsn(pairs, text)) {
            const modes = pairs.filter(([k]) => isPgMode(k)).map(([, v]) => v);
            return verdict("postgres-keyword-dsn", modes, pgRequired, pairs, isPgMode);
        }
        const semicolon = parseSemicolonDsn(text);
        if (semicolon !== undefined && semicolon.some(([k]) => SEMICOLON_ANCHOR_KEYS.has(normalizeKey(k)))) {
            const modes = semicolon.filter(([k]) => isModeKey(k)).map(([, v]) => v);
            return verdict("semicolon-dsn", modes, isFullMode, semicolon, isModeKey);
        }
    }
    return undefined;
}

/** The environment variable libpq reads as the default `sslmode`. */
export const PGSSLMODE = "PGSSLMODE";

/** Checks a `PGSSLMODE` value; returns the problem text or undefined when it is verify-full. */
export function checkPgSslMode(value: string): string | undefined {
    return value === POSTGRES_REQUIRED_SSLMODE
        ? undefined
        : `PGSSLMODE=${value === "" ? "(empty)" : value} (needs PGSSLMODE=${POSTGRES_REQUIRED_SSLMODE})`;
}
