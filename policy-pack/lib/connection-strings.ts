/** What kind of connection string a value is. */
export type ConnectionStringKind = "postgres-url" | "postgres-keyword-dsn" | "mysql-url";

/** The verdict on one connection string. Never carries the string itself: it may hold a password. */
export interface ConnectionStringCheck {
    readonly kind: ConnectionStringKind;
    /** True when every TLS-mode setting in the string demands full verification and at least one is there. */
    readonly ok: boolean;
    /** The TLS-mode values the string sets, in order (empty when it sets none). */
    readonly modes: readonly string[];
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

function decode(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

/**
 * The query parameters of a URL, in order, as `[key, value]` pairs. The authority ends at the first `/`, `?`
 * or `#` (RFC 3986), so a multi-host PostgreSQL URL (`h1,h2`) is handled; the fragment is dropped.
 */
export function urlQueryParameters(url: string): Array<[string, string]> {
    const afterScheme = url.slice(url.indexOf("://") + 3);
    const question = afterScheme.indexOf("?");
    if (question < 0) {
        return [];
    }
    const hash = afterScheme.indexOf("#", question);
    const query = afterScheme.slice(question + 1, hash < 0 ? undefined : hash);
    const pairs: Array<[string, string]> = [];
    for (const part of query.split("&")) {
        if (part === "") {
            continue;
        }
        const eq = part.indexOf("=");
        pairs.push(eq < 0 ? [decode(part), ""] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
    }
    return pairs;
}

/**
 * Parses a libpq keyword/value connection string (`host=db port=5432 sslmode=verify-full`), values optionally
 * single-quoted with backslash escapes. Returns undefined when the text is not entirely keyword/value pairs.
 */
export function parseKeywordDsn(text: string): Array<[string, string]> | undefined {
    const pairs: Array<[string, string]> = [];
    let i = 0;
    const n = text.length;
    const skipSpace = (): void => {
        while (i < n && /\s/.test(text[i])) {
            i++;
        }
    };
    skipSpace();
    while (i < n) {
        const keyStart = i;
        while (i < n && /[A-Za-z0-9_]/.test(text[i])) {
            i++;
        }
        const key = text.slice(keyStart, i);
        skipSpace();
        if (key === "" || text[i] !== "=") {
            return undefined;
        }
        i++;
        skipSpace();
        let value = "";
        if (text[i] === "'") {
            i++;
            let closed = false;
            while (i < n) {
                const c = text[i];
                if (c === "\\" && i + 1 < n) {
                    value += text[i + 1];
                    i += 2;
                } else if (c === "'") {
                    i++;
                    closed = true;
                    break;
                } else {
                    value += c;
                    i++;
                }
            }
            if (!closed) {
                return undefined;
            }
        } else {
            while (i < n && !/\s/.test(text[i])) {
                if (text[i] === "\\" && i + 1 < n) {
                    value += text[i + 1];
                    i += 2;
                } else {
                    value += text[i];
                    i++;
                }
            }
        }
        pairs.push([key, value]);
        if (i < n && !/\s/.test(text[i])) {
            return undefined;
        }
        skipSpace();
    }
    return pairs.length > 0 ? pairs : undefined;
}

function verdict(
    kind: ConnectionStringKind,
    modes: string[],
    required: (mode: string) => boolean,
): ConnectionStringCheck {
    return { kind, modes, ok: modes.length > 0 && modes.every(required) };
}

/**
 * Recognizes a database connection string and checks its TLS mode. PostgreSQL URLs (`postgres://`,
 * `postgresql://`, `jdbc:postgresql://`, `postgresql+driver://`) and keyword DSNs need `sslmode=verify-full`
 * (exact keyword and value, as libpq reads them); MySQL URLs (`mysql://`, `mysqlx://`, `mariadb://`, with
 * `jdbc:` or `+driver`) need `ssl-mode` (also spelled `sslMode`, `ssl_mode`) equal to `VERIFY_IDENTITY` in
 * any case. A string that sets the mode more than once passes only if every setting is the required one.
 * Returns undefined for text that is not a connection string.
 */
export function checkConnectionString(value: string): ConnectionStringCheck | undefined {
    const text = value.trim();
    if (POSTGRES_URL.test(text)) {
        const modes = urlQueryParameters(text)
            .filter(([k]) => k === "sslmode")
            .map(([, v]) => v);
        return verdict("postgres-url", modes, (m) => m === POSTGRES_REQUIRED_SSLMODE);
    }
    if (MYSQL_URL.test(text)) {
        const modes = urlQueryParameters(text)
            .filter(([k]) => MYSQL_MODE_KEY.test(k))
            .map(([, v]) => v);
        return verdict("mysql-url", modes, (m) => m.toUpperCase() === MYSQL_REQUIRED_SSL_MODE);
    }
    if (text.includes("=")) {
        const pairs = parseKeywordDsn(text);
        if (pairs !== undefined && pairs.some(([k]) => DSN_ANCHOR_KEYWORDS.has(k))) {
            const modes = pairs.filter(([k]) => k === "sslmode").map(([, v]) => v);
            return verdict("postgres-keyword-dsn", modes, (m) => m === POSTGRES_REQUIRED_SSLMODE);
        }
    }
    return undefined;
}

/** The environment variable libpq reads as the default `sslmode`. */
export const PGSSLMODE = "PGSSLMODE";

/** One place in a value where TLS is weaker than verify-full. */
export interface TlsFinding {
    /** Where the problem is, as a property path (`value`, `secretString.url`, `environment.variables.PGSSLMODE`). */
    readonly path: string;
    /** What was found, without any secret: `a PostgreSQL URL with sslmode=require`. */
    readonly problem: string;
}

const KIND_TEXT: Record<ConnectionStringKind, string> = {
    "postgres-url": "a PostgreSQL URL",
    "postgres-keyword-dsn": "a PostgreSQL keyword connection string",
    "mysql-url": "a MySQL URL",
};

/** Describes a failed check without echoing the connection string. */
export function describeCheck(check: ConnectionStringCheck): string {
    const key = check.kind === "mysql-url" ? "ssl-mode" : "sslmode";
    const required = check.kind === "mysql-url" ? MYSQL_REQUIRED_SSL_MODE : POSTGRES_REQUIRED_SSLMODE;
    const found =
        check.modes.length === 0
            ? `no ${key}`
            : check.modes.map((m) => `${key}=${m === "" ? "(empty)" : m}`).join(", ");
    return `${KIND_TEXT[check.kind]} with ${found} (needs ${key}=${required})`;
}

/** Checks a `PGSSLMODE` value; returns the problem text or undefined when it is verify-full. */
export function checkPgSslMode(value: string): string | undefined {
    return value === POSTGRES_REQUIRED_SSLMODE
        ? undefined
        : `PGSSLMODE=${value === "" ? "(empty)" : value} (needs PGSSLMODE=${POSTGRES_REQUIRED_SSLMODE})`;
}

function joinPath(base: string, key: string | number): string {
    if (typeof key === "number") {
        return `${base}[${key}]`;
    }
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function walkJson(value: unknown, path: string, key: string | undefined, out: TlsFinding[]): void {
    if (typeof value === "string") {
        if (key === PGSSLMODE) {
            const problem = checkPgSslMode(value);
            if (problem !== undefined) {
                out.push({ path, problem });
            }
            return;
        }
        const check = checkConnectionString(value);
        if (check !== undefined && !check.ok) {
            out.push({ path, problem: describeCheck(check) });
        }
        return;
    }
    if (Array.isArray(value)) {
        value.forEach((item, index) => walkJson(item, joinPath(path, index), undefined, out));
        return;
    }
    if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            walkJson(v, joinPath(path, k), k, out);
        }
    }
}

/**
 * Finds TLS problems in a string that may be a connection string itself or JSON holding connection strings
 * (at any depth) and `PGSSLMODE` keys. Text that is neither yields no findings.
 */
export function findTlsProblemsInText(text: string, path: string): TlsFinding[] {
    const findings: TlsFinding[] = [];
    const trimmed = text.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        let parsed: unknown;
        let isJson = true;
        try {
            parsed = JSON.parse(trimmed);
        } catch {
            isJson = false;
        }
        if (isJson) {
            walkJson(parsed, path, undefined, findings);
            return findings;
        }
    }
    walkJson(text, path, undefined, findings);
    return findings;
}
