/**
 * Applying a plan: its statements run in order over any client with a `query(sql, values)` method (a `pg` Client,
 * a `mysql2/promise` Connection), in one transaction when the plan says so. A failure names the statement as it
 * may be shown, and every password (and its quoted forms) is redacted from the server's message.
 */
import type { SqlClient } from "./client";
import { mysqlLiteral, pgLiteral } from "./quote";
import type { UsersPlan } from "./types";

/** Replaces every secret (and its quoted forms) in `text`. */
export function redact(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const s of secrets.filter((x) => x.length > 0)) {
        for (const form of [
            mysqlLiteral(s).slice(1, -1),
            pgLiteral(s)
                .trim()
                .replace(/^E?'|'$/g, ""),
            s,
        ]) {
            out = out.split(form).join("<redacted>");
        }
    }
    return out;
}

/**
 * Runs `plan` in order on `client` (PostgreSQL: in one transaction, rolled back on failure). A failure names the
 * statement as `shown` and never carries a password.
 */
export async function applyUsers(client: SqlClient, plan: UsersPlan): Promise<{ statements: number }> {
    if (plan.transactional) await client.query("BEGIN");
    let done = 0;
    try {
        for (const st of plan.statements) {
            try {
                await (st.values === undefined ? client.query(st.sql) : client.query(st.sql, [...st.values]));
            } catch (err) {
                const message = redact(err instanceof Error ? err.message : String(err), st.secrets ?? []);
                throw new Error(
                    `Statement ${done + 1} of ${plan.statements.length} of the database user bootstrap failed: ${message}\nStatement: ${st.shown}`,
                );
            }
            done++;
        }
        if (plan.transactional) await client.query("COMMIT");
    } catch (err) {
        if (plan.transactional) await client.query("ROLLBACK").catch(() => undefined);
        throw err;
    }
    return { statements: done };
}
