/**
 * The database-user bootstrap: name rules, quoting, the per-engine plans and their runner (pure: they run in the
 * Lambda, whose handler imports them directly), and the DatabaseUsers component that ships and invokes that Lambda.
 */
export {
    DEFAULT_BOOTSTRAP_LOG_RETENTION_DAYS,
    DatabaseUsers,
    type DatabaseUserArgs,
    type DatabaseUsersArgs,
} from "./component";
export {
    ENV as BOOTSTRAP_ENV,
    type BootstrapEvent,
    type BootstrapInput,
    type BootstrapSummary,
} from "./handler";
export {
    MAX_NAME_LENGTH,
    databaseNameRule,
    databasePasswordRule,
    databaseRoleRule,
    databaseUserRule,
} from "./names";
export { mysqlAccount, mysqlIdent, mysqlLiteral, pgDollarQuote, pgIdent, pgLiteral } from "./quote";
export {
    applyUsers,
    checkUsersInput,
    planUsers,
    removedUsers,
    usersSql,
    type ApplicationAuth,
    type ConsumerUser,
    type SqlClient,
    type Statement,
    type UsersInput,
    type UsersPlan,
} from "./sql";
