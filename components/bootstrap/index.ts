/**
 * The database-user bootstrap: name rules, quoting, the input checks, the plan and its per-engine statements, the
 * runner (they run in the Lambda, whose handler imports them directly), and the DatabaseUsers component that ships
 * and invokes that Lambda.
 */
export {
    DEFAULT_BOOTSTRAP_LOG_RETENTION_DAYS,
    DatabaseUsers,
    type DatabaseUserArgs,
    type DatabaseUsersArgs,
} from "./component";
export {
    maxNameLength,
    databaseNameRule,
    databasePasswordRule,
    databaseRoleRule,
    databaseUserRule,
} from "./names";
export { mysqlAccount, mysqlIdent, mysqlLiteral, pgDollarQuote, pgIdent, pgLiteral } from "./quote";
export { applyUsers } from "./apply";
export type { SqlClient } from "./client";
export { checkUsersInput } from "./input";
export { checkTenancy } from "./tenancy";
export { planUsers, removedUsers, usersSql } from "./plan";
export {
    ENV as BOOTSTRAP_ENV,
    type ApplicationAuth,
    type BootstrapEvent,
    type BootstrapInput,
    type BootstrapSummary,
    type ConsumerUser,
    type Statement,
    type UsersInput,
    type UsersPlan,
} from "./types";
