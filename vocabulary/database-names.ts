/**
 * What a database user, role, database and password from config may be, per engine, as rules in the project's
 * idiom (./rules.ts), for the config, the contract, the components and the bootstrap. The bootstrap refuses a bad
 * value before any SQL exists; its quoting (components/bootstrap/quote.ts) is the second, independent line of defence.
 *
 * The rules are deliberately narrower than what either engine accepts in a quoted identifier:
 * - a user name is also an IAM resource (`arn:aws:rds-db:…:dbuser:<proxy resource id>/<user>`), where `*` and
 *   `?` are wildcards, and a key in Secrets Manager's JSON; lowercase letters, digits and `_` mean the same in
 *   SQL, IAM, JSON, a connection string and the IAM token, and PostgreSQL does not fold their case;
 * - PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1) with only a NOTICE, so two long names could
 *   become one role; MySQL 8.0 (Aurora MySQL 3, RDS for MySQL) refuses user names longer than 32 characters, MariaDB
 *   those longer than 80 (`MAX_LENGTH` below);
 * - PostgreSQL reserves role names starting with `pg_` and the names `public` and `none`; RDS keeps its own
 *   accounts and roles (`rdsadmin`, `rdsproxyadmin`, `rds_superuser`, `rds_iam`, …) under the `rds` prefix; MySQL's
 *   administrator is `root`. None of them may be a consumer's user.
 */
import { ENGINES, protocolOf, type Engine, type Protocol } from "./engines";
import { matching, rule, type Rule } from "./rules";

/**
 * The longest user or role name per engine (a role is an account on MySQL and MariaDB, so the same limit):
 * - PostgreSQL (Aurora and RDS): 63 bytes, NAMEDATALEN - 1 ("Identifiers and Key Words", PostgreSQL documentation);
 * - MySQL 8.0 (Aurora MySQL 3, RDS for MySQL 8.0): "The maximum length for user names in MySQL 8.0 is 32 characters"
 *   (MySQL 8.0 Reference Manual, "Replication and User Name Length"; 16 before MySQL 5.7.8);
 * - MariaDB: 80 characters, what every MariaDB version RDS offers holds: the grant tables' `User` column is
 *   `char(80)` since MariaDB 5.5.31 (MDEV-4332; "User names: … MariaDB has 80", MariaDB KB "ColumnStore Naming
 *   Conventions"; a longer name is refused with "String '…' is too long for user name (should be no longer than
 *   80)", reported for 10.3), and `char(128)` in later versions (measured on MariaDB 10.11, which takes 128 and
 *   refuses 129). The longer limit is not taken: the contract does not say the server's version.
 * RDS Proxy documents no limit of its own on user names (Amazon RDS User Guide, "Quotas and limitations for RDS
 * Proxy"); were it narrower for MariaDB's longer names, such a user would be refused at login, never another's.
 */
const MAX_LENGTH: Record<Engine, number> = {
    "aurora-postgresql": 63,
    postgres: 63,
    "aurora-mysql": 32,
    mysql: 32,
    mariadb: 80,
};

/** The longest user or role name of `engine`. */
export function maxNameLength(engine: Engine): number {
    return MAX_LENGTH[engine];
}

/** The longest user name of any engine: what the shape every engine shares allows (`databaseUserShapeRule`). */
export const MAX_USER_NAME_LENGTH = Math.max(...ENGINES.map(maxNameLength));

/**
 * The longest database name per protocol: PostgreSQL's 63 bytes; on MySQL and MariaDB deliberately 32 (the servers
 * take 64), so that a database name fits wherever a user name of every MySQL engine does.
 */
const MAX_DATABASE_NAME_LENGTH: Record<Protocol, number> = { postgresql: 63, mysql: 32 };

function namePattern(engine: Engine, reserved: string): RegExp {
    const rest = maxNameLength(engine) - 1;
    return new RegExp(`^(?!${reserved})[a-z][a-z0-9_]{0,${rest}}$`);
}

/** Also reserved for both: the prefix of the bootstrap's marker roles (below), `rcx_bootstrap_`. */
const RESERVED_USER: Record<Protocol, string> = {
    postgresql: "pg_|rds|rcx_bootstrap_|(public|none)$",
    mysql: "rds|rcx_bootstrap_|(root|mysql)$",
};

/** The database user of a consumer (`consumers[].databaseUser`). */
export function databaseUserRule(engine: Engine): Rule<string> {
    const max = maxNameLength(engine);
    const reserved =
        protocolOf(engine) === "postgresql"
            ? 'not starting with "pg_", "rds" or "rcx_bootstrap_" and not "public" or "none"'
            : 'not starting with "rds" or "rcx_bootstrap_" and not "root" or "mysql"';
    return rule(
        matching(namePattern(engine, RESERVED_USER[protocolOf(engine)])),
        `a database user name of 1-${max} lowercase letters, digits and underscores, starting with a letter, ${reserved}`,
        '"orders_app"',
    );
}

/** What no databaseRole may be, per engine (see `databaseRoleRule`). */
const RESERVED_ROLE: Record<Protocol, string> = {
    postgresql: "pg_|rds|rcx_bootstrap_|(public|none|current_user|current_role|session_user)$",
    mysql: "rds|rcx_bootstrap_|(root|mysql|none|public)$",
};

/**
 * An existing database role a consumer's user becomes a member of (`consumers[].databaseRole`): a role made for
 * applications, never one that reaches the server, other sessions or other tenants. Refused by name:
 * - PostgreSQL's predefined roles, all named `pg_*` ([Predefined
 *   Roles](https://www.postgresql.org/docs/current/predefined-roles.html): `pg_execute_server_program` runs
 *   programs on the server, `pg_read_server_files`/`pg_write_server_files` read and write its files,
 *   `pg_signal_backend` ends other sessions, `pg_monitor`/`pg_read_all_stats` show other sessions' queries,
 *   `pg_read_all_data`/`pg_write_all_data` reach every tenant's tables, `pg_database_owner` cannot be granted);
 *   `public` and `none` ([Role Membership](https://www.postgresql.org/docs/current/role-membership.html): the
 *   role specification keywords `PUBLIC`, `CURRENT_ROLE`, `CURRENT_USER`, `SESSION_USER`);
 * - MariaDB's `NONE` (`SET ROLE NONE`, https://mariadb.com/kb/en/set-role/) and `PUBLIC` (MariaDB 10.11's
 *   `GRANT … TO PUBLIC`, https://mariadb.com/kb/en/grant/#public), and MySQL's `root` and `mysql.*`;
 * - RDS's own roles (`rds*`) and the bootstrap's markers.
 * What only the cluster can tell (a login role, a consumer's user, a role with server-level attributes or
 * privileges, or one that is a member of such) the bootstrap refuses before its first change
 * (components/bootstrap/tenancy.ts).
 */
export function databaseRoleRule(engine: Engine): Rule<string> {
    const max = maxNameLength(engine);
    const reserved =
        protocolOf(engine) === "postgresql"
            ? 'not starting with "pg_" (PostgreSQL\'s predefined roles), "rds" or "rcx_bootstrap_" and not "public", "none", "current_user", "current_role" or "session_user"'
            : 'not starting with "rds" or "rcx_bootstrap_" and not "root", "mysql", "none" or "public"';
    return rule(
        matching(namePattern(engine, RESERVED_ROLE[protocolOf(engine)])),
        `an existing database role name of 1-${max} lowercase letters, digits and underscores, starting with a letter, ${reserved}`,
        '"app_readwrite"',
    );
}

/** The database users are granted CONNECT on (PostgreSQL); same shape as a role name. */
export function databaseNameRule(engine: Engine): Rule<string> {
    const max = MAX_DATABASE_NAME_LENGTH[protocolOf(engine)];
    return rule(
        matching(new RegExp(`^[a-z][a-z0-9_]{0,${max - 1}}$`)),
        `a database name of 1-${max} lowercase letters, digits and underscores, starting with a letter`,
        '"appdb"',
    );
}

/**
 * A password in password mode: 16-128 printable ASCII characters without quotes, backslash, `/`, `@` or space
 * (RDS refuses `/`, `'`, `"` and `@` in master passwords; the same set keeps a password usable in a connection
 * string). Generated passwords must exclude these characters.
 */
export const databasePasswordRule: Rule<string> = rule(
    matching(/^[!#-&(-.0-?A-[\]-~]{16,128}$/),
    "16-128 printable ASCII characters other than space, ', \", \\, / and @",
    '"Zx8#kLq2!vW9$mRt4&pN"',
);

/**
 * Every bootstrap's marker role starts with this: a NOLOGIN role without privileges whose members are the users
 * that bootstrap manages (plan.ts). No consumer's user or databaseRole may start with it, and the revocation of
 * memberships config no longer names keeps every role that does, so that two bootstraps on one cluster never take
 * each other's mark away.
 */
export const MARKER_ROLE_PREFIX = "rcx_bootstrap_";

/**
 * The marker role of one bootstrap: the prefix, then lowercase letters, digits and underscores, 32 characters at
 * most (MySQL 8.0's limit for a role name, which is an account name).
 */
export const markerRoleRule: Rule<string> = rule(
    matching(new RegExp(`^${MARKER_ROLE_PREFIX}[a-z0-9_]{1,${32 - MARKER_ROLE_PREFIX.length}}$`)),
    `"${MARKER_ROLE_PREFIX}" followed by 1-${32 - MARKER_ROLE_PREFIX.length} lowercase letters, digits and underscores`,
    `"${MARKER_ROLE_PREFIX}orders"`,
);

/**
 * The shape every engine's database user has, without the engine's own limits and reserved names: what a component
 * that does not know the engine (the access, the proxy's grants) and the contract's field rule check. The engine's
 * own rule (`databaseUserRule`) is applied where the engine is known.
 */
export const databaseUserShapeRule: Rule<string> = rule(
    matching(new RegExp(`^[a-z][a-z0-9_]{0,${MAX_USER_NAME_LENGTH - 1}}$`)),
    `a database user name of 1-${MAX_USER_NAME_LENGTH} lowercase letters, digits and underscores, starting with a letter`,
    '"orders_app"',
);
