/** RDS Proxy in front of the cluster: TLS required, least-privilege access to the database secret. */
export { RdsProxy, readOnlyAliasOf, type RdsProxyArgs } from "./rds-proxy";
