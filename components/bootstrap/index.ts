/** The database-user bootstrap: name rules, quoting, the per-engine plans and their runner (pure: it runs in a Lambda). */
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
