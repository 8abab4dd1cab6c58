/** RDS Proxy in front of the database: TLS required, least-privilege access to the database secret. */
export { RdsProxy, type RdsProxyArgs } from "./rds-proxy";
export { readOnlyAliasOf } from "./read-only-alias";
