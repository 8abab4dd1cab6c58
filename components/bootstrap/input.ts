/**
 * Checking what the bootstrap is asked to do, before anything connects: the event's structure (`checkEvent`),
 * the users with their passwords (`checkUsersInput`: the name, role and password rules of names.ts), and, once
 * the cluster has been read, that no user is the session's own (`checkAgainstState`). Every problem is reported
 * at once, in the project's message format; a password is never rendered.
 *
 * What the access mode means for these checks is written once, in `isApplicationAuth`, `secretArnProblems` and
 * `passwordProblems`.
 */
import { accessKindRule, accessMode, isAccessKind, readsSecrets } from "../../vocabulary/access";
import { ENGINES, type Engine } from "../../vocabulary/engines";
import { argumentSurface, checkValue, problem, type Problem } from "../../vocabulary/rules";
import {
    databaseNameRule,
    databasePasswordRule,
    databaseRoleRule,
    databaseUserRule,
    markerRoleRule,
} from "./names";
import type { ApplicationAuth, BootstrapUser, ConsumerUser, CurrentState, UsersInput } from "./types";

/** The name the bootstrap's input is reported under. */
export const bootstrapSurface = argumentSurface("Database user bootstrap", "input");
const surface = bootstrapSurface;

/** A non-empty string. */
export const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/** Mode decision: whether `value` names an access mode. */
export const isApplicationAuth = (value: unknown): value is ApplicationAuth => isAccessKind(value);

/** Whether users of `mode` log in with their secret's password (which the bootstrap reads and sets). */
export const loginBySecret = (mode: ApplicationAuth): boolean => readsSecrets(accessMode(mode).databaseLogin);

/**
 * Mode decision: the problems of an event user's secret reference under `mode` (not yet checked: any value). A
 * password-mode user must name its secret; an iam-mode user must not.
 */
export function secretArnProblems(mode: unknown, user: BootstrapUser, i: number): Problem[] {
    if (!isApplicationAuth(mode)) return [];
    if (loginBySecret(mode) && !isString(user.secretArn)) {
        return [
            problem(
                surface,
                `users[${i}].secretArn`,
                user.secretArn,
                `it must be the ARN of the user's secret in ${mode} mode`,
                "Pass the consumer's secret ARN.",
            ),
        ];
    }
    if (!loginBySecret(mode) && user.secretArn !== undefined) {
        return [
            problem(
                surface,
                `users[${i}].secretArn`,
                user.secretArn,
                `it must not be set in ${mode} mode`,
                "Leave it out.",
            ),
        ];
    }
    return [];
}

/**
 * Mode decision: the problems of a user's password under `mode`. Password mode needs one the rule accepts; any
 * other mode none. The value itself is never rendered: a message must not carry a password.
 */
export function passwordProblems(mode: ApplicationAuth, user: ConsumerUser, i: number): Problem[] {
    if (loginBySecret(mode)) {
        if (databasePasswordRule.schema.safeParse(user.password).success) return [];
        return [
            problem(
                surface,
                `users[${i}].password`,
                user.password === undefined ? undefined : "(hidden)",
                `it must be ${databasePasswordRule.must}`,
                "Generate the password without the excluded characters.",
            ),
        ];
    }
    if (user.password === undefined) return [];
    return [
        problem(
            surface,
            `users[${i}].password`,
            "(hidden)",
            "it must not be set in iam mode",
            "Leave it out.",
        ),
    ];
}

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
                'Pass the database\'s engine as RDS names it, for example "aurora-postgresql".',
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
            problems.push(...secretArnProblems(e.applicationAuth, user, i));
            if (user.adopt !== undefined && typeof user.adopt !== "boolean") {
                problems.push(
                    problem(
                        surface,
                        `users[${i}].adopt`,
                        user.adopt,
                        "it must be true or false",
                        "Pass true to take over an existing user this bootstrap did not create, or leave it out.",
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

/** Every problem of `input`, in the project's message format; empty when it is valid. */
export function checkUsersInput(input: UsersInput): Problem[] {
    const problems: Problem[] = [];
    const { engine } = input;
    if (!isApplicationAuth(input.applicationAuth)) {
        problems.push(
            problem(
                surface,
                "applicationAuth",
                input.applicationAuth,
                `it must be ${accessKindRule.must}`,
                `Pass such a value, for example ${accessKindRule.example}.`,
            ),
        );
    }
    checkValue(surface, problems, "database", input.database, databaseNameRule(engine));
    checkValue(surface, problems, "markerRole", input.markerRole, markerRoleRule);
    const seen = new Set<string>();
    input.users.forEach((u, i) => {
        const name = checkValue(surface, problems, `users[${i}].name`, u.name, databaseUserRule(engine));
        if (name !== undefined && seen.has(name)) {
            problems.push(
                problem(
                    surface,
                    `users[${i}].name`,
                    name,
                    "it must differ from every other user",
                    "Give each consumer its own database user.",
                ),
            );
        }
        if (name !== undefined) seen.add(name);
        if (u.databaseRole !== undefined) {
            // The rule also refuses the marker roles' prefix: no user may be, or join, a marker.
            checkValue(
                surface,
                problems,
                `users[${i}].databaseRole`,
                u.databaseRole,
                databaseRoleRule(engine),
            );
        }
        problems.push(...passwordProblems(input.applicationAuth, u, i));
    });
    (input.lockedUsers ?? []).forEach((name, i) => {
        const ok = checkValue(surface, problems, `lockedUsers[${i}]`, name, databaseUserRule(engine));
        if (ok !== undefined && seen.has(ok)) {
            problems.push(
                problem(
                    surface,
                    `lockedUsers[${i}]`,
                    ok,
                    "it must not also be a current user",
                    "Remove it from one list.",
                ),
            );
        }
    });
    return problems;
}

/** The problems of `input` against `current`: no configured or locked user may be the session (master) user. */
export function checkAgainstState(input: UsersInput, current: CurrentState): Problem[] {
    const problems: Problem[] = [];
    const self = (path: string, name: string) => {
        if (name === current.sessionUser) {
            problems.push(
                problem(
                    surface,
                    path,
                    name,
                    "it must not be the user the bootstrap connects as (the cluster's master user)",
                    "Give the consumer a database user of its own.",
                ),
            );
        }
    };
    input.users.forEach((u, i) => self(`users[${i}].name`, u.name));
    (input.lockedUsers ?? []).forEach((name, i) => self(`lockedUsers[${i}]`, name));
    return problems;
}
