/**
 * Quoting of names and text for SQL, per engine. Each function makes any string, whatever it holds, one token of
 * the kind asked for: the names reaching here have passed the rules of `names.ts`, and the quoting is written so
 * that it would stay safe if they had not (the real-database tests feed it injection attempts directly).
 *
 * NUL cannot be represented in either engine's names or strings and is refused.
 */

function refuseNul(value: string, what: string): void {
    if (value.includes("\0")) throw new Error(`A ${what} cannot contain the NUL character.`);
}

/**
 * A PostgreSQL identifier: wrapped in double quotes, each double quote doubled. Inside a quoted identifier no
 * other character is special (PostgreSQL manual, "Lexical Structure", 4.1.1), and it is never case-folded.
 */
export function pgIdent(name: string): string {
    refuseNul(name, "PostgreSQL identifier");
    return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A PostgreSQL string literal, as libpq's PQescapeLiteral writes it: single quotes doubled, and, when a backslash
 * occurs, backslashes doubled and the literal written as an escape string (`E'…'`), so that it means the same
 * whatever `standard_conforming_strings` says.
 */
export function pgLiteral(value: string): string {
    refuseNul(value, "PostgreSQL string");
    const quoted = value.replace(/'/g, "''");
    return value.includes("\\") ? ` E'${quoted.replace(/\\/g, "\\\\")}'` : `'${quoted}'`;
}

/**
 * Wraps a PL/pgSQL body in dollar quotes whose tag first occurs, after the opening tag, where the closing tag
 * starts: not inside the body, nor across its end (a body ending in `$rcx` would close early), so nothing inside
 * can close the quote.
 */
export function pgDollarQuote(body: string): string {
    for (let i = 0; ; i++) {
        const tag = `$rcx${i === 0 ? "" : i}$`;
        if ((body + tag).indexOf(tag) === body.length) {
            return `${tag}${body}${tag}`;
        }
    }
}

/** A MySQL/MariaDB identifier: wrapped in backticks, each backtick doubled. */
export function mysqlIdent(name: string): string {
    refuseNul(name, "MySQL identifier");
    return `\`${name.replace(/`/g, "``")}\``;
}

/**
 * A MySQL/MariaDB string literal: single quotes and backslashes doubled. The result is one literal whether or not
 * the session's sql_mode has NO_BACKSLASH_ESCAPES (with it, a doubled backslash stays two characters, but it can
 * never end the literal); the bootstrap's rules keep backslashes out of every value it quotes, so the value is
 * also the same in both modes.
 */
export function mysqlLiteral(value: string): string {
    refuseNul(value, "MySQL string");
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** A MySQL account name `'user'@'%'`: any host, as RDS Proxy connects from addresses of its own. */
export function mysqlAccount(user: string): string {
    return mysqlAccountAt(user, "%");
}

/**
 * A MySQL account or role name with its host, `'name'@'host'`, both parts quoted as literals ([Specifying Account
 * Names](https://dev.mysql.com/doc/refman/8.0/en/account-names.html)). An empty host (a MariaDB role has none)
 * gives the bare quoted name.
 */
export function mysqlAccountAt(name: string, host: string): string {
    return host === "" ? mysqlLiteral(name) : `${mysqlLiteral(name)}@${mysqlLiteral(host)}`;
}
