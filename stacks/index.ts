/**
 * Entry point of the rds-cross-account program. The stack's role decides what it deploys:
 * `db-account` (producer: Aurora, RDS Proxy, NLB, endpoint service) or `app-account` (consumer: interface
 * endpoint, private DNS). Each role's module reads and validates its own config before creating anything.
 */
import * as pulumi from "@pulumi/pulumi";
import { problem, render, type Problem } from "../vocabulary";
import { ConfigError, configSurface, NAMESPACE } from "./config/kit";

export const ROLES = ["db-account", "app-account"] as const;
export type Role = (typeof ROLES)[number];

const ROLE_KEY = `${NAMESPACE}:role`;

/** What each role runs, for messages about a wrong role. */
const HALVES: Record<Role, string> = {
    "db-account": "the database, its proxy and the PrivateLink service",
    "app-account": "an application account's endpoint and private DNS",
};

/** Words in a stack name that point at one role. */
const HINTS: Record<Role, readonly string[]> = {
    "db-account": ["db", "database", "producer"],
    "app-account": ["app", "application", "consumer"],
};

/**
 * The role a role value or a stack name points at, read loosely (`db_account`, `DB-Account`, `dbaccount`,
 * `prod-db`), if exactly one.
 */
export function roleNamedBy(text: string): Role | undefined {
    const words = text.toLowerCase().split(/[^a-z0-9]+/);
    const squashed = words.join("");
    const matches = ROLES.filter(
        (r) => squashed.includes(r.replace("-", "")) || HINTS[r].some((hint) => words.includes(hint)),
    );
    return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The role `value` of stack `stackName`, or its problem: not one of `ROLES`, or one that the stack's name
 * contradicts (a stack named `db-account` with the role `app-account`).
 */
export function parseRole(
    value: string | undefined,
    stackName: string,
): { readonly role: Role } | { readonly problem: Problem } {
    const surface = configSurface(stackName);
    const halves = ROLES.map((r) => `${r} runs ${HALVES[r]}`).join("; ");
    const setIt = (role: string) => surface.fix(ROLE_KEY, role);
    const byName = roleNamedBy(stackName);
    const stack = `the stack's name ${render(stackName)}`;
    const known = ROLES.find((r) => r === value);
    if (known !== undefined) {
        // Only a stack named with the other role's own name contradicts the role: hints like "app" are too weak.
        const other = ROLES.find((r) => r !== known) as Role;
        if (!stackName.includes(other) || stackName.includes(known)) return { role: known };
        return {
            problem: problem(
                surface,
                ROLE_KEY,
                value,
                `${stack} says ${render(other)}: the role decides which half of the program runs (${halves}), and ` +
                    `this stack would run the ${value} half`,
                `${setIt(other)} Or, if this stack is meant to run the ${value} half, give it a name without ` +
                    `"${other}" (pulumi stack rename).`,
            ),
        };
    }
    const byValue = value === undefined ? undefined : roleNamedBy(value);
    const suggested = byValue ?? byName;
    const why =
        byValue !== undefined && byName === byValue
            ? `; ${render(value)} reads as ${render(byValue)}, and so does ${stack}`
            : byValue !== undefined
              ? `; ${render(value)} reads as ${render(byValue)}`
              : byName !== undefined
                ? `; ${stack} suggests ${render(byName)}`
                : "";
    return {
        problem: problem(
            surface,
            ROLE_KEY,
            value,
            `it must be one of ${ROLES.map((r) => render(r)).join(", ")}: the role decides which half of the program ` +
                `runs (${halves})${why}`,
            suggested !== undefined
                ? setIt(suggested)
                : `Set it with: pulumi config set ${ROLE_KEY} <${ROLES.join(" or ")}> --stack ${stackName}.`,
        ),
    };
}

/** Runs the stack selected by `rds-cross-account:role` and returns its outputs. */
export async function main(): Promise<Record<string, unknown>> {
    const stackName = pulumi.getStack();
    const parsed = parseRole(new pulumi.Config(NAMESPACE).get("role"), stackName);
    if ("problem" in parsed) throw new ConfigError(stackName, [parsed.problem]);
    switch (parsed.role) {
        case "db-account":
            return (await import("./db-account")).dbAccount();
        case "app-account":
            return (await import("./app-account")).appAccount();
    }
}
