/**
 * Planning: from the users config wants and what the cluster holds now, which users to create or update and which
 * to lock, and the statements that do it. Pure: no Pulumi, no AWS, no connection (the engines' statements are in
 * postgres.ts and mysql.ts).
 *
 * Which users are removed does not depend on the Invocation's previous input: every user the bootstrap manages is
 * marked by its marker (`names.ts`; PostgreSQL: a role without privileges made a member of the user, postgres.ts;
 * MySQL: a row of the bootstrap's record, a schema named after the marker, mysql.ts), and every run locks the marked users that config no longer names; they stay marked. `lockedUsers`
 * (and the previous input, `usersToLock`) still lock users created before the mark existed. Users are locked,
 * never dropped: their objects and grants stay, and re-adding the consumer unlocks them. Before any of it, the
 * catalog is checked (tenancy.ts): nothing runs when it holds something the bootstrap must refuse.
 */
import { checkAgainstState, checkUsersInput, isString } from "./input";
import { mysqlStatements } from "./mysql";
import { postgresStatements } from "./postgres";
import { checkTenancy } from "./tenancy";
import {
    dialectOf,
    type BootstrapEvent,
    type BootstrapInput,
    type CurrentState,
    type UsersInput,
    type UsersPlan,
} from "./types";

/** The users to lock: those of the previous run that are no longer in config. */
export function removedUsers(previous: readonly string[], current: readonly string[]): string[] {
    const keep = new Set(current);
    return [...new Set(previous)].filter((name) => !keep.has(name));
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

/**
 * The users a run locks: `lockedUsers`, and the marked users that config no longer names; never a configured
 * user, never the session user.
 */
export function usersToLockNow(input: UsersInput, current: CurrentState): string[] {
    const keep = new Set([...input.users.map((u) => u.name), current.sessionUser]);
    return [...new Set([...(input.lockedUsers ?? []), ...current.marked])].filter((n) => !keep.has(n));
}

/** What a run did to the configured users and the locked ones, as its summary reports it. */
export interface UsersOutcome {
    /** Configured users that did not exist (neither as users nor as members of the marker) before the run. */
    readonly created: string[];
    /** Configured users that existed before the run. */
    readonly updated: string[];
    /** Users locked by the run that existed, unlocked, before it. */
    readonly locked: string[];
}

/**
 * Which configured users a run creates and updates, and which existing users it locks that were not locked before
 * (a locked user keeps its mark and is locked again on every run, which the summary does not repeat).
 */
export function usersOutcome(input: UsersInput, current: CurrentState): UsersOutcome {
    const names = input.users.map((u) => u.name);
    // A MySQL record may name a user that has no account (a run that failed after marking it): not there before.
    const accounts = new Set(current.catalog.roles.map((r) => r.name));
    const before = new Set([...current.existing, ...current.marked.filter((n) => accounts.has(n))]);
    const open = new Set(current.catalog.roles.filter((r) => !r.locked).map((r) => r.name));
    return {
        created: names.filter((n) => !before.has(n)),
        updated: names.filter((n) => before.has(n)),
        locked: usersToLockNow(input, current).filter((n) => before.has(n) && open.has(n)),
    };
}

/**
 * The plan for `input` from `current` (what `currentState` read), after checking both (the names, the session
 * user, and tenancy.ts against the catalog); throws one error listing every problem, before any statement runs.
 */
export function planUsers(input: UsersInput, current: CurrentState): UsersPlan {
    const problems = [...checkUsersInput(input), ...checkAgainstState(input, current)];
    // The catalog is judged only for valid names: a bad name's message is enough.
    if (problems.length === 0) problems.push(...checkTenancy(input, current));
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("\n"));
    return usersSql(input, current);
}

/**
 * The plan for `input` from `current` without checking them. Its quoting alone keeps any name a single token;
 * `planUsers` is what the bootstrap calls. Exported so that the tests can prove the quoting on names the rules
 * would refuse.
 */
export function usersSql(input: UsersInput, current: CurrentState): UsersPlan {
    const locked = usersToLockNow(input, current);
    return dialectOf(input.engine) === "postgresql"
        ? {
              engine: input.engine,
              transactional: true,
              statements: postgresStatements(input, locked, current.marked),
          }
        : { engine: input.engine, transactional: false, statements: mysqlStatements(input, current, locked) };
}
