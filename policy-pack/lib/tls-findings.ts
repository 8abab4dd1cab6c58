// Where in a resource's value TLS is weaker than verify-full: connection strings and TLS settings found in free
// text, .env lines, JSON at any depth and single environment variables, each reported with its property path and a
// description that never repeats the string. How one string or setting is judged is in connection-strings.ts.
import {
    checkConnectionString,
    judgeTlsSetting,
    MYSQL_REQUIRED_SSL_MODE,
    PGSSLMODE,
    POSTGRES_REQUIRED_SSLMODE,
    shownValue,
    type ConnectionStringCheck,
    type ConnectionStringKind,
} from "./connection-strings";

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
    "semicolon-dsn": "a semicolon-separated connection string",
};

/** Describes a failed check without echoing the connection string. */
export function describeCheck(check: ConnectionStringCheck): string {
    const key =
        check.kind === "mysql-url" ? "ssl-mode" : check.kind === "semicolon-dsn" ? "SSL Mode" : "sslmode";
    const required =
        check.kind === "mysql-url"
            ? MYSQL_REQUIRED_SSL_MODE
            : check.kind === "semicolon-dsn"
              ? "VerifyFull"
              : POSTGRES_REQUIRED_SSLMODE;
    const found =
        check.modes.length === 0 ? `no ${key}` : check.modes.map((m) => `${key}=${shownValue(m)}`).join(", ");
    const weakened =
        check.weakenedBy === undefined || check.weakenedBy.length === 0
            ? ""
            : ` and ${check.weakenedBy.join(", ")}, which turns server verification off`;
    return `${KIND_TEXT[check.kind]} with ${found}${weakened} (needs ${key}=${required})`;
}

function joinPath(base: string, key: string | number): string {
    if (typeof key === "number") {
        return `${base}[${key}]`;
    }
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

const MAX_DEPTH = 8;

function push(out: TlsFinding[], path: string, problem: string | undefined): void {
    if (problem !== undefined) {
        out.push({ path, problem });
    }
}

function walkJson(
    value: unknown,
    path: string,
    key: string | undefined,
    out: TlsFinding[],
    depth: number,
): void {
    if (key !== undefined && (value === null || typeof value !== "object")) {
        push(out, path, judgeTlsSetting(key, value));
    }
    if (typeof value === "string") {
        if (key !== PGSSLMODE) {
            findInText(value, path, out, depth + 1);
        }
        return;
    }
    if (Array.isArray(value)) {
        value.forEach((item, index) => walkJson(item, joinPath(path, index), undefined, out, depth + 1));
        return;
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        // An environment entry of an ECS container definition (or any { name, value } pair) is a named setting.
        if (typeof record.name === "string" && "value" in record) {
            push(out, joinPath(path, "value"), judgeTlsSetting(record.name, record.value));
        }
        for (const [k, v] of Object.entries(record)) {
            walkJson(v, joinPath(path, k), k, out, depth + 1);
        }
    }
}

/** A `.env` line: `KEY=value`, optionally after `export`, the value optionally quoted. */
const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/;

function unquote(value: string): string {
    const quoted = /^(["'])(.*)\1$/.exec(value);
    return quoted === null ? value : quoted[2];
}

function findInText(text: string, path: string, out: TlsFinding[], depth: number): void {
    if (depth > MAX_DEPTH) {
        return;
    }
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
            walkJson(parsed, path, undefined, out, depth);
            return;
        }
    }
    const check = checkConnectionString(trimmed);
    if (check !== undefined) {
        if (!check.ok) {
            out.push({ path, problem: describeCheck(check) });
        }
        return;
    }
    // Otherwise, a .env blob (or one KEY=value line): every line that is a connection string or KEY=value is judged.
    for (const line of trimmed.split(/\r?\n/)) {
        if (line.trim() === "" || line.trim().startsWith("#")) {
            continue;
        }
        const lineCheck = line === trimmed ? undefined : checkConnectionString(line.trim());
        if (lineCheck !== undefined) {
            if (!lineCheck.ok) {
                out.push({ path, problem: describeCheck(lineCheck) });
            }
            continue;
        }
        const env = ENV_LINE.exec(line);
        if (env === null) {
            continue;
        }
        const [, name, raw] = env;
        const value = unquote(raw);
        const at = joinPath(path, name);
        push(out, at, judgeTlsSetting(name, value));
        if (name !== PGSSLMODE && value !== trimmed) {
            findInText(value, at, out, depth + 1);
        }
    }
}

/**
 * Finds TLS problems in a string: a connection string in any recognised form (URL, libpq keyword/value, JDBC,
 * semicolon-separated), JSON holding connection strings and TLS settings at any depth (`"sslmode": "disable"`,
 * `"ssl": false`, `"ssl": { "rejectUnauthorized": false }`, ECS `{ "name": "PGSSLMODE", "value": … }` entries), or
 * a `.env` blob of KEY=value lines (each value checked again). Text that is none of these yields no findings.
 */
export function findTlsProblemsInText(text: string, path: string): TlsFinding[] {
    const findings: TlsFinding[] = [];
    findInText(text, path, findings, 0);
    return findings;
}

/** The TLS problems of one named environment variable: the variable as a setting, then its value as text. */
export function findTlsProblemsInVariable(name: string, value: string, path: string): TlsFinding[] {
    const findings: TlsFinding[] = [];
    push(findings, path, judgeTlsSetting(name, value));
    if (name !== PGSSLMODE) {
        findInText(value, path, findings, 0);
    }
    return findings;
}
