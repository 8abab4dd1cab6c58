/** Each consumer account's way into the database: a connect role (IAM) or a shared secret (password). */
export {
    ConsumerAccess,
    type ConsumerAccessArgs,
    type AccessMode,
    PASSWORD_SPECIALS,
    proxyDbUserArn,
} from "./consumer-access";
