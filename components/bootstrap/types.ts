/**
 * What the DatabaseUsers component and the bootstrap function exchange (the function's environment, the
 * Invocation's input, the summary it returns), and what the function plans and runs internally (the users to
 * converge, the cluster's current state, the statements). Types and constants only (and `plain`, the statement
 * constructor both protocols use, and `dialectOf`): the component imports them without loading the function's
 * drivers.
 *
 * The input is recorded in the stack's graph (the Invocation's `input`): its shape is a wire format.
 */
import type { AccessKind } from "../../vocabulary/access";
import { protocolOf, type Engine } from "../../vocabulary/engines";

/** The environment variables the component sets. */
export const ENV = {
    /** ARN of the cluster's RDS-managed master secret (`{"username","password"}`). */
    masterSecretArn: "MASTER_SECRET_ARN",
    /** The cluster's writer endpoint: the name dialled and verified in the server's certificate. */
    host: "DB_HOST",
    /** The cluster's port. */
    port: "DB_PORT",
    /** The bootstrap's marker role (names.ts `markerRoleRule`): it marks the users this bootstrap manages. */
    markerRole: "MARKER_ROLE",
} as const;

/** How applications authenticate: the consumers' access mode (vocabulary/access), by name. */
export type ApplicationAuth = AccessKind;

/** The MySQL server family: Aurora MySQL 3 and RDS for MySQL 8.0 are MySQL 8.0; RDS for MariaDB is MariaDB. */
export type MysqlFlavor = "mysql" | "mariadb";

/** The SQL the bootstrap speaks: PostgreSQL's, or one of the MySQL family's (mysql.ts). */
export type SqlDialect = "postgresql" | MysqlFlavor;

/**
 * The dialect of `engine`: the protocol decides PostgreSQL or MySQL, and among the MySQL engines only MariaDB differs
 * (roles without a host, `SET DEFAULT ROLE … FOR`, the lock kept in `mysql.global_priv`: mysql.ts).
 */
export function dialectOf(engine: Engine): SqlDialect {
    if (protocolOf(engine) === "postgresql") return "postgresql";
    return engine === "mariadb" ? "mariadb" : "mysql";
}

/** One user of the event: no password, only where to read it. */
export interface BootstrapUser {
    readonly name: string;
    /** An existing database role the user becomes a member of. @default none: connect only */
    readonly databaseRole?: string;
    /** Password mode: ARN of the user's secret (`{"username","password"}`). */
    readonly secretArn?: string;
    /** Password mode: the secret's version to read; a new version changes the input, so the function runs again. @default the current version */
    readonly secretVersionId?: string;
    /**
     * Take over a user that exists without this bootstrap's mark (made by hand, by an earlier release before the
     * mark, or by another bootstrap): without it such a user is refused. See tenancy.ts. @default false
     */
    readonly adopt?: boolean;
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
    /** Users of removed consumers that existed unlocked and are now locked (listed, removed since the previous input, or marked). */
    readonly locked: string[];
    /** Statements run. */
    readonly statements: number;
}

/** One consumer's database user. */
export interface ConsumerUser {
    /** The database user's name. */
    readonly name: string;
    /** The user's password, in password mode only (read from the consumer's secret). */
    readonly password?: string;
    /** An existing database role the user becomes a member of. @default none: the user may connect only */
    readonly databaseRole?: string;
    /** Take over the user if it exists without this bootstrap's mark (`BootstrapUser.adopt`). @default false */
    readonly adopt?: boolean;
}

/** What the bootstrap is asked to converge to. */
export interface UsersInput {
    readonly engine: Engine;
    readonly applicationAuth: ApplicationAuth;
    /** The application database the users may connect to (PostgreSQL `GRANT CONNECT`). */
    readonly database: string;
    /** The users of the consumers in config. */
    readonly users: readonly ConsumerUser[];
    /**
     * The bootstrap's marker role (`markerRoleRule`): marks every user in `users` (PostgreSQL: a role, created if
     * missing, made a member of the user; MySQL: a row in the record, a schema of that name); the marked users
     * that `users` no longer names are locked and stay marked.
     */
    readonly markerRole: string;
    /**
     * Users to lock besides the marked ones config no longer names: users of consumers removed from config, also
     * those created before the marker existed. Locked if they exist. @default none
     */
    readonly lockedUsers?: readonly string[];
}

/** One statement of a plan. */
export interface Statement {
    /** The SQL text; a MySQL password is in it as an escaped literal (MySQL takes no placeholder there). */
    readonly sql: string;
    /** Bound parameters ($1, $2 …), PostgreSQL only. */
    readonly values?: readonly string[];
    /** The statement as it may be logged or shown in an error: without any password. */
    readonly shown: string;
    /** Values that must never appear in a log or an error message. */
    readonly secrets?: readonly string[];
}

/** A statement without parameters or secrets: shown as it runs. */
export function plain(sql: string): Statement {
    return { sql, shown: sql };
}

/** The statements for one engine, in order. */
export interface UsersPlan {
    readonly engine: Engine;
    /** True when the plan must run in one transaction (PostgreSQL: the password setting is transaction-local). */
    readonly transactional: boolean;
    readonly statements: readonly Statement[];
}

/** One role granted to a user on MySQL: the role's name and host (`""` for a MariaDB role, which has none). */
export interface RoleGrant {
    readonly user: string;
    readonly role: string;
    readonly host: string;
}

/** What the cluster holds now, as `currentState` reads it: what the plan starts from. */
export interface CurrentState {
    /** The user the bootstrap is connected as (the master user): never configured, locked or unmarked. */
    readonly sessionUser: string;
    /** Which of the names asked about exist as users (MySQL: at host `%`). */
    readonly existing: readonly string[];
    /**
     * The users the marker marks (MySQL: recorded in its record, or holding the marker role as the previous release
     * marked them), other than the session user; a membership by admin option does not mark
     * (PostgreSQL 16 grants a role WITH ADMIN OPTION to its non-superuser creator, MariaDB records its creator with
     * `Admin_option = 'Y'`: that is the master user, never a consumer).
     */
    readonly marked: readonly string[];
    /** MySQL only: every role granted to the configured users (PostgreSQL revokes inside its `DO` block). */
    readonly roleGrants: readonly RoleGrant[];
    /** Every role and account of the cluster and who is a member of what: what tenancy.ts judges. */
    readonly catalog: Catalog;
}

/** One role (PostgreSQL) or account (MySQL: a user or role at one host) as the tenancy checks see it. */
export interface CatalogRole {
    readonly name: string;
    /** MySQL: the account's host (`""` for a MariaDB role); PostgreSQL: `""`. */
    readonly host: string;
    /** Whether it is a role made to log in (PostgreSQL `rolcanlogin`; MySQL: a user, not a role). */
    readonly login: boolean;
    /** Whether it is locked now (PostgreSQL: NOLOGIN; MySQL: `account_locked`). */
    readonly locked: boolean;
    /**
     * What it holds that reaches beyond one tenant's data: PostgreSQL's attributes (`SUPERUSER`, `CREATEROLE`,
     * `CREATEDB`, `REPLICATION`, `BYPASSRLS`); MySQL's privileges on `*.*` and dynamic privileges.
     */
    readonly powers: readonly string[];
}

/** One membership: `member` (at `memberHost` on MySQL) is a member of `role`, which it can then become. */
export interface CatalogEdge {
    readonly role: string;
    /** MySQL 8.0: the role's host; PostgreSQL and MariaDB roles: `""`. */
    readonly roleHost: string;
    readonly member: string;
    /** MySQL: the grantee's host; PostgreSQL: `""`. */
    readonly memberHost: string;
    /** Held only by admin option (PostgreSQL 16's grant back to a creator, MariaDB's creator row). */
    readonly adminOnly: boolean;
}

/** MySQL: `user` is recorded as managed in the record of the bootstrap whose marker is `marker` (mysql.ts). */
export interface CatalogMark {
    readonly marker: string;
    readonly user: string;
}

/** The cluster's roles and memberships (`currentState`). */
export interface Catalog {
    readonly roles: readonly CatalogRole[];
    readonly edges: readonly CatalogEdge[];
    /** MySQL: every bootstrap's record rows. @default none (PostgreSQL marks by membership) */
    readonly marks?: readonly CatalogMark[];
}
