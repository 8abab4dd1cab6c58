// Parsers for the connection-string forms the pack reads: URL query parameters, MySQL Connector/J per-host
// properties, Go MySQL DSNs, libpq keyword/value strings and semicolon-separated (Npgsql, ADO.NET, ODBC) strings.
// Each returns the settings as [key, value] pairs in order, or undefined for text that is not of its form.

function decode(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

/** `a=1&b=2` as pairs, each key and value URL-decoded; empty parts are skipped. */
function queryPairs(query: string): Array<[string, string]> {
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
    return queryPairs(afterScheme.slice(question + 1, hash < 0 ? undefined : hash));
}

/**
 * The per-host properties of a MySQL Connector/J URL, in order: `(host=h,sslMode=DISABLED)` and
 * `address=(host=h)(sslMode=DISABLED)` set properties for one host that override the URL's query ("Connecting
 * Using Multiple Hosts", MySQL Connector/J Developer Guide, 6.2 Connection URL Syntax). The authority is read up
 * to the first `/`, `?` or `#` outside parentheses and brackets.
 */
export function mysqlHostProperties(url: string): Array<[string, string]> {
    const afterScheme = url.slice(url.indexOf("://") + 3);
    let depth = 0;
    let end = afterScheme.length;
    for (let i = 0; i < afterScheme.length; i++) {
        const c = afterScheme[i];
        if (c === "(" || c === "[") {
            depth++;
        } else if ((c === ")" || c === "]") && depth > 0) {
            depth--;
        } else if (depth === 0 && (c === "/" || c === "?" || c === "#")) {
            end = i;
            break;
        }
    }
    const pairs: Array<[string, string]> = [];
    for (const match of afterScheme.slice(0, end).matchAll(/[(,]\s*([^=(),\s]+)\s*=\s*([^,)]*)/g)) {
        pairs.push([decode(match[1]), decode(match[2].trim())]);
    }
    return pairs;
}

/**
 * A Go MySQL driver DSN (`[user[:password]@]tcp(host:3306)/db?tls=true`, go-sql-driver/mysql README, "DSN (Data
 * Source Name)"): its parameters as pairs, or undefined when the text is not one. Only DSNs that name their
 * protocol and address (`tcp(…)`, `tcp4(…)`, `tcp6(…)`, `unix(…)`) are recognised; the user and password are
 * everything before the last `@` in front of the protocol, so a password may hold `@`.
 */
export function parseGoMysqlDsn(text: string): Array<[string, string]> | undefined {
    const match = /^(?:\S*@)?(?:tcp[46]?|unix)\([^()\s]*\)\/[^?\s/]*(?:\?(\S*))?$/.exec(text);
    return match === null ? undefined : queryPairs(match[1] ?? "");
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

/** Reads a value quoted by `open`, up to `close`; a doubled `close` inside stands for one. Undefined if unclosed. */
function readQuoted(text: string, start: number, close: string): { value: string; next: number } | undefined {
    let value = "";
    let i = start + 1;
    while (i < text.length) {
        if (text[i] === close) {
            if (text[i + 1] === close) {
                value += close;
                i += 2;
                continue;
            }
            return { value, next: i + 1 };
        }
        value += text[i];
        i++;
    }
    return undefined;
}

/**
 * Parses `Host=h;Password="a;b";SSL Mode=VerifyFull` (Npgsql, ADO.NET) and `Server=h;PWD={a;b};SSLMode=verify-full`
 * (ODBC): a value may be in double or single quotes (a doubled quote inside stands for one) or in braces (`}}`
 * stands for `}`), so a `;` inside it does not end it. A part without `=` after an unquoted value (a password
 * with a bare `;`, which the drivers refuse) is skipped, so the settings after it are still read. Undefined unless
 * the text holds a `;` and at least one key=value part whose key is a name (letters, digits, spaces, `_.-`), or
 * when a quoted value is unclosed or followed by text.
 */
export function parseSemicolonDsn(text: string): Array<[string, string]> | undefined {
    if (!text.includes(";")) {
        return undefined;
    }
    const pairs: Array<[string, string]> = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
        const end = text.indexOf(";", i);
        const eq = text.indexOf("=", i);
        if (eq < 0 || (end >= 0 && end < eq)) {
            if (end < 0) {
                break;
            }
            i = end + 1;
            continue;
        }
        const key = text.slice(i, eq).trim();
        if (!/^[A-Za-z][A-Za-z0-9 _.-]*$/.test(key)) {
            return undefined;
        }
        let j = eq + 1;
        while (j < n && text[j] === " ") {
            j++;
        }
        const opener = text[j];
        const close = opener === '"' || opener === "'" ? opener : opener === "{" ? "}" : undefined;
        if (close === undefined) {
            const stop = end < 0 ? n : end;
            pairs.push([key, text.slice(j, stop).trim()]);
            i = stop + 1;
            continue;
        }
        const quoted = readQuoted(text, j, close);
        if (quoted === undefined) {
            return undefined;
        }
        pairs.push([key, quoted.value]);
        const rest = text.indexOf(";", quoted.next);
        if (text.slice(quoted.next, rest < 0 ? n : rest).trim() !== "") {
            return undefined;
        }
        i = rest < 0 ? n : rest + 1;
    }
    return pairs.length > 0 ? pairs : undefined;
}
