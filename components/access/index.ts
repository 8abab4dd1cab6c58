/** Each consumer account's way into the database, as its access mode defines it (a connect role, a shared secret). */
export { ConsumerAccess, type ConsumerAccessArgs } from "./consumer-access";
export { ACCESS_BUILDERS, ROLE_NAME_SUFFIXES, type SharedSecret } from "./builder";
export { proxyDbUserArn } from "./iam";
export { PASSWORD_SPECIALS } from "./password";
