export { DsqlCluster, dsqlConnectRoleResourceName, type DsqlClusterArgs } from "./cluster";
export { dsqlAdminPolicy, dsqlClusterPolicy, dsqlConnectPolicy } from "./policies";
