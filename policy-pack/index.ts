// Assembles the CrossGuard pack. The rules live in rules/, one module per family; this file only lists them.
// It is the one module that calls `new PolicyPack` (which starts the analyzer server), so nothing imports it.
import { PolicyPack } from "@pulumi/policy";
import { endpointServiceNoWildcardPrincipals } from "./rules/endpoint-services";
import { noInternetFacingDatabaseListener } from "./rules/load-balancers";
import { noOpenPrefixListsOnDatabasePorts } from "./rules/prefix-lists";
import { rdsNoPublicAccess } from "./rules/public-rds";
import { noWorldOpenDatabasePorts, noWorldOpenListenerPorts } from "./rules/security-groups";
import { connectionStringsVerifyFull } from "./rules/tls-connection-strings";
import { databaseEndpointPrivateDns } from "./rules/tls-endpoint-dns";
import { rdsParameterGroupForcesTls, rdsParameterGroupRequired } from "./rules/tls-parameter-groups";
import { rdsProxyRequireTls } from "./rules/tls-proxy";

new PolicyPack("rds-cross-account", {
    enforcementLevel: "mandatory",
    policies: [
        rdsNoPublicAccess,
        noWorldOpenDatabasePorts,
        noWorldOpenListenerPorts,
        noOpenPrefixListsOnDatabasePorts,
        rdsProxyRequireTls,
        rdsParameterGroupRequired,
        rdsParameterGroupForcesTls,
        connectionStringsVerifyFull,
        databaseEndpointPrivateDns,
        endpointServiceNoWildcardPrincipals,
        noInternetFacingDatabaseListener,
    ],
});
