// Both stacks of this project, recorded under mocks with their example configs, through the pack as
// `pulumi preview --policy-pack policy-pack` would run it; then deliberately broken variants of each, to prove
// the rules see these graphs (a pass on a graph the rules cannot read would prove nothing).
//
// What this cannot prove: values only AWS computes (real ARNs, autonamed suffixes, endpoint DNS names) and the
// engine's property dependencies are mocked or absent here; see docs/policy.md for what the check cannot see.
import * as assert from "node:assert/strict";
import type { AnalyzedResource, Diagnostic } from "../../tools/policy/analyzer";
import { checkStack } from "../../tools/policy/check";
import { usePolicyPack, violation } from "./support/expect";
import { analyzerView } from "../../tools/policy/recorded";
import {
    recordAppAccount,
    recordBothStacks,
    recordDbAccount,
    type RecordedStack,
} from "../../tools/recording/stacks";

type View = ReturnType<typeof analyzerView>;

/** A copy of the view with `change` applied to the props of the named resource, in inputs and outputs alike. */
function mutate(
    view: View,
    name: string,
    type: string,
    change: (props: Record<string, unknown>) => Record<string, unknown>,
): View {
    let found = 0;
    const apply = (list: AnalyzedResource[]): AnalyzedResource[] =>
        list.map((r) => {
            if (r.name !== name || r.type !== type) {
                return r;
            }
            found++;
            return { ...r, props: change({ ...r.props }) };
        });
    const next = { inputs: apply(view.inputs), outputs: apply(view.outputs) };
    assert.equal(found, 2, `expected ${type} "${name}" in the recorded stack`);
    return next;
}

function urnOfRecorded(view: View, type: string, name: string): string {
    const r = view.outputs.find((x) => x.type === type && x.name === name);
    assert.ok(r?.urn, `expected ${type} "${name}" with a URN`);
    return r.urn;
}

/** The diagnostics without the bookkeeping field, sorted: registration order is not part of the contract. */
function strip(diags: Array<Diagnostic & { resource: string }>): Diagnostic[] {
    return sorted(diags.map(({ resource: _resource, ...d }) => d));
}

function sorted(diags: Diagnostic[]): Diagnostic[] {
    const key = (d: Diagnostic): string => `${d.policyName}\n${d.message}\n${d.urn}`;
    return [...diags].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

describe("policy pack: this project's stacks (recorded under mocks, through the analyzer)", function () {
    this.timeout(120_000);
    const pack = usePolicyPack();
    let dbAccount: RecordedStack;
    let appAccount: RecordedStack;
    before(async () => {
        ({ dbAccount, appAccount } = await recordBothStacks());
    });

    it("passes the db-account stack (example config) with no diagnostics at all", async () => {
        assert.deepEqual(await checkStack(pack(), analyzerView(dbAccount)), []);
    });

    it("passes the app-account stack (example config, against the db-account contract) with no diagnostics at all", async () => {
        assert.deepEqual(await checkStack(pack(), analyzerView(appAccount)), []);
    });

    it("passes the db-account stack with aurora-mysql", async () => {
        const mysql = await recordDbAccount({
            database: {
                engine: "aurora-mysql",
                engineVersion: "8.0.mysql_aurora.3.08.2",
                instanceClass: "db.r6g.large",
                readers: 1,
                databaseName: "app",
                deletionProtection: true,
                backupRetentionDays: 7,
            },
        });
        assert.deepEqual(await checkStack(pack(), analyzerView(mysql)), []);
    });

    it("passes the db-account stack publishing an existing instance, and its consumer", async () => {
        const existing = await recordDbAccount({
            network: {
                vpcId: "vpc-0123456789abcdef0",
                subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"],
            },
            database: { existing: { instanceIdentifier: "orders-db" } },
            // An instance has no readers, so no read-only endpoint (the example file asks for one).
            proxy: { idleClientTimeoutSeconds: 300 },
        });
        assert.ok(existing.run.resources.some((r) => r.type === "aws:rds/proxyTarget:ProxyTarget"));
        assert.deepEqual(await checkStack(pack(), analyzerView(existing)), []);
        const consumer = await recordAppAccount(existing.run.outputs.contract, {}, undefined, existing);
        assert.deepEqual(await checkStack(pack(), analyzerView(consumer)), []);
    });

    it("passes both stacks on the VPC Lattice path, with Aurora DSQL on, with no diagnostics at all", async () => {
        const lattice = await recordDbAccount({
            connectivity: "vpc-lattice",
            proxy: { idleClientTimeoutSeconds: 300, readOnlyEndpoint: true },
            endpointService: undefined,
            targetSync: undefined,
            dsql: { enabled: true },
        });
        const types = new Set(lattice.run.resources.map((r) => r.type));
        for (const type of [
            "aws:vpclattice/resourceGateway:ResourceGateway",
            "aws:vpclattice/resourceConfiguration:ResourceConfiguration",
            "aws:ram/resourceShare:ResourceShare",
            "aws:dsql/cluster:Cluster",
        ]) {
            assert.ok(types.has(type), `expected a ${type} in the Lattice graph`);
        }
        assert.deepEqual(await checkStack(pack(), analyzerView(lattice)), []);
        const consumer = await recordAppAccount(lattice.run.outputs.contract, {}, undefined, lattice);
        assert.ok(consumer.run.resources.some((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint"));
        assert.deepEqual(await checkStack(pack(), analyzerView(consumer)), []);
    });

    // Applies to db-account: every rule but database-endpoint-private-dns (its only interface endpoint is to an AWS
    // service) and the VPC Lattice rules (this graph is the privatelink-nlb path's). rds-parameter-group-required and rds-parameter-group-forces-tls need two variants: a cluster on a
    // default group has no group of the stack to judge.
    it("trips every rule that applies to a broken db-account stack", async () => {
        const SG_IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
        let view = analyzerView(dbAccount);
        view = mutate(view, "db-account-aurora-writer", "aws:rds/clusterInstance:ClusterInstance", (p) => ({
            ...p,
            publiclyAccessible: true,
        }));
        view = mutate(
            view,
            "db-account-link-targets-from-nlb-5432",
            SG_IN,
            ({ referencedSecurityGroupId: _r, ...p }) => ({
                ...p,
                cidrIpv4: "0.0.0.0/0",
            }),
        );
        view = mutate(
            view,
            "db-account-proxy-database-from-proxy",
            SG_IN,
            ({ referencedSecurityGroupId: _r, ...p }) => ({
                ...p,
                ipProtocol: "-1",
                cidrIpv6: "::/0",
            }),
        );
        view = mutate(view, "db-account-proxy", "aws:rds/proxy:Proxy", (p) => ({ ...p, requireTls: false }));
        view = mutate(
            view,
            "db-account-aurora-params",
            "aws:rds/clusterParameterGroup:ClusterParameterGroup",
            (p) => ({
                ...p,
                parameters: [{ applyMethod: "immediate", name: "rds.force_ssl", value: "0" }],
            }),
        );
        view = mutate(
            view,
            "db-account-link-service",
            "aws:ec2/vpcEndpointService:VpcEndpointService",
            (p) => ({
                ...p,
                allowedPrincipals: ["arn:aws:iam::222222222222:root", "*"],
            }),
        );
        view = mutate(view, "db-account-link-nlb", "aws:lb/loadBalancer:LoadBalancer", (p) => ({
            ...p,
            internal: false,
        }));
        view = mutate(view, "db-account-sync-rw-fn", "aws:lambda/function:Function", (p) => {
            const environment = p.environment as { variables: Record<string, unknown> };
            return {
                ...p,
                environment: {
                    variables: {
                        ...environment.variables,
                        DATABASE_URL:
                            "postgres://sync@db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com/app?sslmode=require",
                    },
                },
            };
        });

        const diags = strip(await checkStack(pack(), view));
        const allPorts = "ports 1433, 1521, 3306, 5432, 5439, 6379, 9042, 27017";
        const fixVpc =
            "Fix: use referencedSecurityGroupId (the clients' security group) or a private CIDR instead, and open only the ports they need.";
        assert.deepEqual(
            diags,
            sorted([
                violation(
                    "no-world-open-database-ports",
                    `${SG_IN} "db-account-link-targets-from-nlb-5432" allows tcp 5432 from 0.0.0.0/0, which opens database port 5432 to the whole internet. ${fixVpc}`,
                ),
                violation(
                    "endpoint-service-no-wildcard-principals",
                    `aws:ec2/vpcEndpointService:VpcEndpointService "db-account-link-service" allowedPrincipals[1] is "*", which lets any AWS account connect to the service. Fix: allow each consumer account explicitly (arn:aws:iam::<account-id>:root, or a role ARN), never a wildcard.`,
                ),
                violation(
                    "rds-no-public-access",
                    `aws:rds/clusterInstance:ClusterInstance "db-account-aurora-writer" sets publiclyAccessible: true, which gives it a public IP address. Fix: remove publiclyAccessible or set it to false; clients reach the database through RDS Proxy and PrivateLink.`,
                ),
                violation(
                    "no-world-open-database-ports",
                    `${SG_IN} "db-account-proxy-database-from-proxy" allows all traffic from ::/0, which opens database ${allPorts} to the whole internet. ${fixVpc}`,
                ),
                violation(
                    "connection-strings-verify-full",
                    `aws:lambda/function:Function "db-account-sync-rw-fn" environment.variables.DATABASE_URL holds a PostgreSQL URL with sslmode=require (needs sslmode=verify-full), so the client does not verify the server's certificate and host name. Fix: PostgreSQL clients need sslmode=verify-full (PGSSLMODE=verify-full), MySQL clients ssl-mode=VERIFY_IDENTITY, with the Amazon root CA (AmazonRootCA1) as the trusted root.`,
                ),
                violation(
                    "rds-proxy-require-tls",
                    `aws:rds/proxy:Proxy "db-account-proxy" sets requireTls: false, so clients can connect without TLS. Fix: set requireTls: true on the proxy.`,
                ),
                violation(
                    "no-world-open-listener-ports",
                    `${SG_IN} "db-account-proxy-database-from-proxy" allows all traffic from ::/0, which opens listener port 5433 (aws:lb/listener:Listener "db-account-link-ro") to the whole internet. ${fixVpc}`,
                    urnOfRecorded(view, SG_IN, "db-account-proxy-database-from-proxy"),
                ),
                violation(
                    "rds-parameter-group-forces-tls",
                    `aws:rds/clusterParameterGroup:ClusterParameterGroup "db-account-aurora-params" (family aurora-postgresql16), used by aws:rds/cluster:Cluster "db-account-aurora-cluster", sets rds.force_ssl=0, so the database accepts unencrypted connections. Fix: add the parameter { name: "rds.force_ssl", value: "1" } to the group.`,
                    urnOfRecorded(
                        view,
                        "aws:rds/clusterParameterGroup:ClusterParameterGroup",
                        "db-account-aurora-params",
                    ),
                ),
                // The reader listener is on 5433, which is no database port, but it forwards to a target group on 5432.
                violation(
                    "no-internet-facing-database-listener",
                    `aws:lb/listener:Listener "db-account-link-ro" forwards port 5433 to the database target group aws:lb/targetGroup:TargetGroup "db-account-link-ro" (port 5432) of the internet-facing load balancer aws:lb/loadBalancer:LoadBalancer "db-account-link-nlb" (internal is not true). Fix: set internal: true on the load balancer; consumers reach it through the VPC endpoint service.`,
                    urnOfRecorded(view, "aws:lb/listener:Listener", "db-account-link-ro"),
                ),
                violation(
                    "no-internet-facing-database-listener",
                    `aws:lb/listener:Listener "db-account-link-rw" listens on database port 5432 of the internet-facing load balancer aws:lb/loadBalancer:LoadBalancer "db-account-link-nlb" (internal is not true). Fix: set internal: true on the load balancer; consumers reach it through the VPC endpoint service.`,
                    urnOfRecorded(view, "aws:lb/listener:Listener", "db-account-link-rw"),
                ),
            ]),
        );
    });

    it("trips rds-parameter-group-required when the db-account cluster runs on a default group", async () => {
        const view = mutate(
            analyzerView(dbAccount),
            "db-account-aurora-cluster",
            "aws:rds/cluster:Cluster",
            (p) => ({
                ...p,
                dbClusterParameterGroupName: "default.aurora-postgresql16",
            }),
        );
        assert.deepEqual(strip(await checkStack(pack(), view)), [
            violation(
                "rds-parameter-group-required",
                `aws:rds/cluster:Cluster "db-account-aurora-cluster" sets dbClusterParameterGroupName to the default parameter group "default.aurora-postgresql16", which cannot be changed to force TLS. Fix: create an aws.rds.ClusterParameterGroup with rds.force_ssl=1 (PostgreSQL, SQL Server) or require_secure_transport=ON (MySQL, MariaDB) and set dbClusterParameterGroupName to its name.`,
            ),
        ]);
    });

    // Applies to app-account: the security-group rules and database-endpoint-private-dns. It has no RDS resources,
    // load balancers, listeners, endpoint services, Lattice or RAM resources or resources that hold connection
    // strings, and with no listener
    // there is no port for no-world-open-listener-ports to watch.
    it("trips every rule that applies to a broken app-account stack (private DNS off, world-open endpoint group)", async () => {
        const noDns = await recordAppAccount(dbAccount.run.outputs.contract, { privateDns: false });
        assert.equal(noDns.warnings.length, 1, "the stack itself warns that privateDns is off");
        const SG_IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
        const view = mutate(
            analyzerView(noDns),
            "app-account-endpoint-from-client-5432",
            SG_IN,
            ({ referencedSecurityGroupId: _r, ...p }) => ({
                ...p,
                cidrIpv4: "0.0.0.0/0",
            }),
        );
        const endpointUrn = urnOfRecorded(
            view,
            "aws:ec2/vpcEndpoint:VpcEndpoint",
            "app-account-endpoint-vpce",
        );
        assert.deepEqual(
            strip(await checkStack(pack(), view)),
            sorted([
                violation(
                    "no-world-open-database-ports",
                    `${SG_IN} "app-account-endpoint-from-client-5432" allows tcp 5432 from 0.0.0.0/0, which opens database port 5432 to the whole internet. Fix: use referencedSecurityGroupId (the clients' security group) or a private CIDR instead, and open only the ports they need.`,
                ),
                violation(
                    "database-endpoint-private-dns",
                    `aws:ec2/vpcEndpoint:VpcEndpoint "app-account-endpoint-vpce" connects to the database endpoint service com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0, but the stack has no private hosted zone for a proxy hostname within rds.amazonaws.com, so clients must use the endpoint's own DNS name, which the proxy's certificate does not cover, and sslmode=verify-full fails. Fix: create a private hosted zone (aws.route53.Zone with vpcs set to the consumer VPC) for the proxy's hostname and an alias A record for that hostname pointing at the endpoint's DNS name.`,
                    endpointUrn,
                ),
            ]),
        );
    });

    // Developer access: the instance sits in the client security group, whose egress reaches the database ports.
    it("passes the app-account stack with developer access on, and blocks its instance given a public IP and IMDSv1", async () => {
        const on = await recordAppAccount(dbAccount.run.outputs.contract, {
            developerAccess: { enabled: true },
        });
        const INSTANCE = "aws:ec2/instance:Instance";
        assert.ok(on.run.resources.some((r) => r.type === INSTANCE));
        assert.deepEqual(await checkStack(pack(), analyzerView(on)), []);
        const view = mutate(analyzerView(on), "app-account-developer-instance", INSTANCE, (p) => ({
            ...p,
            associatePublicIpAddress: true,
            metadataOptions: { httpTokens: "optional" },
        }));
        assert.deepEqual(strip(await checkStack(pack(), view)), [
            violation(
                "database-client-instances-private",
                `${INSTANCE} "app-account-developer-instance" is in the database client security group app-account-endpoint-client-sg-id and sets associatePublicIpAddress: true, which gives it a public IP address, and sets metadataOptions.httpTokens: "optional", so it answers IMDSv1. Fix: set associatePublicIpAddress: false and metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 }, and reach the instance through Session Manager instead of a public address.`,
                urnOfRecorded(view, INSTANCE, "app-account-developer-instance"),
            ),
        ]);
    });
});
