/** The database: a private, encrypted Aurora cluster that refuses unencrypted connections. */
export { AuroraCluster, type AuroraClusterArgs } from "./aurora-cluster";
