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
    "go-mysql-dsn": "a Go MySQL DSN",
    "semicolon-dsn": "a semicolon-separated connection string",
};

/** The mode key each kind of string uses, and the value this pack requires of it. */
const MODE_OF: Record<ConnectionStringKind, { key: string; required: string }> = {
    "postgres-url": { key: "sslmode", required: POSTGRES_REQUIRED_SSLMODE },
    "postgres-keyword-dsn": { key: "sslmode", required: POSTGRES_REQUIRED_SSLMODE },
    "mysql-url": { key: "ssl-mode", required: MYSQL_REQUIRED_SSL_MODE },
    "go-mysql-dsn": { key: "tls", required: "true" },
    "semicolon-dsn": { key: "SSL Mode", required: "VerifyFull" },
};

/** Describes a failed check without echoing the connection string. */
export function describeCheck(check: ConnectionStringCheck): string {
    const { key, required } = MODE_OF[check.kind];
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
/** A YAML (or `KEY: value`) line: `key: value`, indented or as a list item, the value optionally quoted. */
const YAML_LINE = /^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*:\s+(\S.*?)\s*$/;

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
    // Otherwise, a .env or YAML blob (or one line): every line that is a connection string, KEY=value or
    // `key: value` is judged, and each value again as text. A YAML `name:` line followed by a `value:` line (a
    // Kubernetes or ECS environment entry) is judged as the named setting.
    let entryName: string | undefined;
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
        const setting = ENV_LINE.exec(line) ?? YAML_LINE.exec(line);
        if (setting === null) {
            continue;
        }
        const [, name, raw] = setting;
        const value = unquote(raw);
        if (name === "value" && entryName !== undefined) {
            push(out, joinPath(path, entryName), judgeTlsSetting(entryName, value));
        }
        entryName = name === "name" ? value : undefined;
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
 * a `.env` blob of KEY=value lines or a YAML blob of `key: value` lines (each value checked again, a `name:`/`value:`
 * entry as the named setting). Text that is none of these yields no findings.
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
