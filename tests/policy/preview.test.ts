// Values unknown during preview and secrets, on the wire as the engine sends them. The SDK turns a read of an
// unknown value into an advisory diagnostic; these tests prove each rule reads the value (rather than passing
// silently) and still reports what it can prove from the known values next to it.
import * as assert from "node:assert/strict";
import { secret, UNKNOWN, urnOf } from "../../tools/policy/analyzer";
import { cannotRunDuringPreview, usePolicyPack, violation } from "./support/expect";
import { LB, LISTENER, SG, VPC_INGRESS } from "./support/tokens";

describe("policy pack: unknown values and secrets (through the analyzer)", () => {
    const pack = usePolicyPack();

    it("reports publiclyAccessible unknown as advisory, not as a pass", async () => {
        const diags = await pack().analyze({
            type: "aws:rds/clusterInstance:ClusterInstance",
            name: "writer",
            props: { publiclyAccessible: UNKNOWN.bool },
        });
        assert.deepEqual(diags, [
            cannotRunDuringPreview("rds-no-public-access", "boolean value at .publiclyAccessible"),
        ]);
    });

    it("reports an unknown ingress list as advisory", async () => {
        const diags = await pack().analyze({ type: SG, name: "db", props: { ingress: UNKNOWN.array } });
        assert.deepEqual(diags, [
            cannotRunDuringPreview("no-world-open-database-ports", "Array value at .ingress"),
        ]);
    });

    it("reports the known world-open rules next to an unknown one, then the advisory", async () => {
        const diags = await pack().analyze({
            type: SG,
            name: "db",
            props: {
                ingress: [
                    { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] },
                    UNKNOWN.object,
                    { protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: [UNKNOWN.string] },
                    { protocol: "tcp", fromPort: 3306, toPort: 3306, ipv6CidrBlocks: ["::/0"] },
                ],
            },
        });
        const fix =
            "Fix: allow the clients' security group (securityGroups) or a private CIDR instead, and open only the ports they need.";
        assert.deepEqual(diags, [
            violation(
                "no-world-open-database-ports",
                `${SG} "db" ingress[0] allows tcp 5432 from 0.0.0.0/0, which opens database port 5432 to the whole internet. ${fix}`,
            ),
            violation(
                "no-world-open-database-ports",
                `${SG} "db" ingress[3] allows tcp 3306 from ::/0, which opens database port 3306 to the whole internet. ${fix}`,
            ),
            cannotRunDuringPreview("no-world-open-database-ports", "Object value at .ingress.1"),
        ]);
    });

    it("reports an unknown cidrIpv4 of a vpc ingress rule as advisory", async () => {
        const diags = await pack().analyze({
            type: VPC_INGRESS,
            name: "from-app",
            props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: UNKNOWN.string },
        });
        assert.deepEqual(diags, [
            cannotRunDuringPreview("no-world-open-database-ports", "string value at .cidrIpv4"),
        ]);
    });

    it("still reports a world-open IPv6 CIDR when the rule's IPv4 CIDR is unknown", async () => {
        const diags = await pack().analyze({
            type: VPC_INGRESS,
            name: "dual",
            props: {
                ipProtocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                cidrIpv4: UNKNOWN.string,
                cidrIpv6: "::/0",
            },
        });
        assert.deepEqual(diags, [
            violation(
                "no-world-open-database-ports",
                `${VPC_INGRESS} "dual" allows tcp 5432 from ::/0, which opens database port 5432 to the whole internet. Fix: use referencedSecurityGroupId (the clients' security group) or a private CIDR instead, and open only the ports they need.`,
            ),
            cannotRunDuringPreview("no-world-open-database-ports", "string value at .cidrIpv4"),
        ]);
    });

    it("reports a world-open IPv4 block next to an unknown IPv6 list of the same inline rule", async () => {
        const diags = await pack().analyze({
            type: SG,
            name: "db",
            props: {
                ingress: [
                    {
                        protocol: "tcp",
                        fromPort: 5432,
                        toPort: 5432,
                        cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"],
                        ipv6CidrBlocks: UNKNOWN.array,
                    },
                ],
            },
        });
        assert.deepEqual(diags, [
            violation(
                "no-world-open-database-ports",
                `${SG} "db" ingress[0] allows tcp 5432 from 0.0.0.0/0, which opens database port 5432 to the whole internet. Fix: allow the clients' security group (securityGroups) or a private CIDR instead, and open only the ports they need.`,
            ),
            cannotRunDuringPreview(
                "no-world-open-database-ports",
                "Array value at .ingress.0.ipv6CidrBlocks",
            ),
        ]);
    });

    it("reports an unknown SSM value as advisory", async () => {
        const diags = await pack().analyze({
            type: "aws:ssm/parameter:Parameter",
            name: "db-url",
            props: { type: "String", value: UNKNOWN.string },
        });
        assert.deepEqual(diags, [
            cannotRunDuringPreview("connection-strings-verify-full", "string value at .value"),
        ]);
    });

    it("reports a secret whose value is unknown as advisory", async () => {
        const diags = await pack().analyze({
            type: "aws:secretsmanager/secretVersion:SecretVersion",
            name: "creds",
            props: { secretString: secret(UNKNOWN.string) },
        });
        assert.deepEqual(diags, [
            cannotRunDuringPreview("connection-strings-verify-full", "string value at .secretString"),
        ]);
    });

    it("reports a weak Lambda variable next to an unknown one, then the advisory", async () => {
        const diags = await pack().analyze({
            type: "aws:lambda/function:Function",
            name: "api",
            props: {
                environment: {
                    variables: {
                        DB_HOST: UNKNOWN.string,
                        DATABASE_URL: secret("postgres://api@db.example/app?sslmode=require"),
                    },
                },
            },
        });
        assert.deepEqual(diags, [
            violation(
                "connection-strings-verify-full",
                `aws:lambda/function:Function "api" environment.variables.DATABASE_URL holds a PostgreSQL URL with sslmode=require (needs sslmode=verify-full), so the client does not verify the server's certificate and host name. Fix: PostgreSQL clients need sslmode=verify-full (PGSSLMODE=verify-full), MySQL clients ssl-mode=VERIFY_IDENTITY, with the Amazon root CA (AmazonRootCA1) as the trusted root.`,
            ),
            cannotRunDuringPreview(
                "connection-strings-verify-full",
                "string value at .environment.variables.DB_HOST",
            ),
        ]);
    });

    it("reads a secret requireTls: true as true", async () => {
        const diags = await pack().analyze({
            type: "aws:rds/proxy:Proxy",
            name: "proxy",
            props: { requireTls: secret(true) },
        });
        assert.deepEqual(diags, []);
    });

    it("reports an unknown requireTls as advisory", async () => {
        const diags = await pack().analyze({
            type: "aws:rds/proxy:Proxy",
            name: "proxy",
            props: { requireTls: UNKNOWN.bool },
        });
        assert.deepEqual(diags, [
            cannotRunDuringPreview("rds-proxy-require-tls", "boolean value at .requireTls"),
        ]);
    });

    it("reports an unknown parameter group name as advisory", async () => {
        const diags = await pack().analyze({
            type: "aws:rds/cluster:Cluster",
            name: "db",
            props: { dbClusterParameterGroupName: UNKNOWN.string },
        });
        assert.deepEqual(diags, [
            cannotRunDuringPreview(
                "rds-parameter-group-required",
                "string value at .dbClusterParameterGroupName",
            ),
        ]);
    });

    it("reports a wildcard principal next to an unknown one, then the advisory", async () => {
        const diags = await pack().analyze({
            type: "aws:ec2/vpcEndpointService:VpcEndpointService",
            name: "db",
            props: { allowedPrincipals: [UNKNOWN.string, "*"] },
        });
        assert.deepEqual(diags, [
            violation(
                "endpoint-service-no-wildcard-principals",
                `aws:ec2/vpcEndpointService:VpcEndpointService "db" allowedPrincipals[1] is "*", which lets any AWS account connect to the service. Fix: allow each consumer account explicitly (arn:aws:iam::<account-id>:root, or a role ARN), never a wildcard.`,
            ),
            cannotRunDuringPreview(
                "endpoint-service-no-wildcard-principals",
                "string value at .allowedPrincipals.0",
            ),
        ]);
    });

    it("reports an unknown internal flag of a load balancer as advisory (stack)", async () => {
        const diags = await pack().analyzeStack([
            { type: LB, name: "nlb", props: { internal: UNKNOWN.bool } },
            {
                type: LISTENER,
                name: "writer",
                props: { protocol: "TCP", port: 5432 },
                propertyDependencies: { loadBalancerArn: [urnOf(LB, "nlb")] },
            },
        ]);
        assert.deepEqual(diags, [
            cannotRunDuringPreview("no-internet-facing-database-listener", "boolean value at .internal"),
        ]);
    });

    it("reports an unknown listener port as advisory and still checks the known ports (stack)", async () => {
        const diags = await pack().analyzeStack([
            { type: LB, name: "nlb", props: { internal: true } },
            {
                type: LISTENER,
                name: "writer",
                props: { protocol: "TCP", port: UNKNOWN.number },
                propertyDependencies: { loadBalancerArn: [urnOf(LB, "nlb")] },
            },
            {
                type: LISTENER,
                name: "reader",
                props: { protocol: "TCP", port: 15433 },
                propertyDependencies: { loadBalancerArn: [urnOf(LB, "nlb")] },
            },
            { type: VPC_INGRESS, name: "wide", props: { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" } },
        ]);
        assert.deepEqual(diags, [
            violation(
                "no-world-open-listener-ports",
                `${VPC_INGRESS} "wide" allows all traffic from 0.0.0.0/0, which opens listener port 15433 (${LISTENER} "reader") to the whole internet. Fix: use referencedSecurityGroupId (the clients' security group) or a private CIDR instead, and open only the ports they need.`,
                urnOf(VPC_INGRESS, "wide"),
            ),
            cannotRunDuringPreview("no-world-open-listener-ports", "number value at .port"),
            // The prefix-list rule watches the stack's listener ports too, so it cannot run fully either.
            cannotRunDuringPreview("no-open-prefix-lists-on-database-ports", "number value at .port"),
        ]);
    });

    it("reports an unknown endpoint service name as advisory (stack)", async () => {
        const diags = await pack().analyzeStack([
            {
                type: "aws:ec2/vpcEndpoint:VpcEndpoint",
                name: "db",
                props: { vpcEndpointType: "Interface", serviceName: UNKNOWN.string },
            },
        ]);
        assert.deepEqual(diags, [
            cannotRunDuringPreview("database-endpoint-private-dns", "string value at .serviceName"),
        ]);
    });

    it("judges a known database endpoint next to one whose service name is unknown (stack)", async () => {
        const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
        const service = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0";
        const diags = await pack().analyzeStack([
            {
                type: ENDPOINT,
                name: "later",
                props: { vpcEndpointType: "Interface", serviceName: UNKNOWN.string },
            },
            { type: ENDPOINT, name: "db", props: { vpcEndpointType: "Interface", serviceName: service } },
        ]);
        assert.deepEqual(diags, [
            violation(
                "database-endpoint-private-dns",
                `${ENDPOINT} "db" connects to the database endpoint service ${service}, but the stack has no private hosted zone for a proxy hostname within rds.amazonaws.com, so clients must use the endpoint's own DNS name, which the proxy's certificate does not cover, and sslmode=verify-full fails. Fix: create a private hosted zone (aws.route53.Zone with vpcs set to the consumer VPC) for the proxy's hostname and an alias A record for that hostname pointing at the endpoint's DNS name.`,
                urnOf(ENDPOINT, "db"),
            ),
            cannotRunDuringPreview("database-endpoint-private-dns", "string value at .serviceName"),
        ]);
    });

    it("passes a database endpoint with an answering zone even when another zone's name is unknown (stack)", async () => {
        const host = "db-proxy.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com";
        const diags = await pack().analyzeStack([
            {
                type: "aws:ec2/vpcEndpoint:VpcEndpoint",
                name: "db",
                props: {
                    vpcEndpointType: "Interface",
                    serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0abc",
                },
            },
            {
                type: "aws:route53/zone:Zone",
                name: "other",
                props: { name: UNKNOWN.string, vpcs: [{ vpcId: "vpc-1" }] },
            },
            {
                type: "aws:route53/zone:Zone",
                name: "proxy",
                props: { name: host, vpcs: [{ vpcId: UNKNOWN.string }] },
            },
            {
                type: "aws:route53/record:Record",
                name: "proxy",
                props: {
                    name: host,
                    type: "A",
                    zoneId: UNKNOWN.string,
                    aliases: [{ name: UNKNOWN.string, zoneId: UNKNOWN.string }],
                },
            },
        ]);
        assert.deepEqual(diags, []);
    });

    it("reports nothing but the advisory when the zone that could answer is unknown (stack)", async () => {
        const diags = await pack().analyzeStack([
            {
                type: "aws:ec2/vpcEndpoint:VpcEndpoint",
                name: "db",
                props: {
                    vpcEndpointType: "Interface",
                    serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0abc",
                },
            },
            {
                type: "aws:route53/zone:Zone",
                name: "proxy",
                props: { name: UNKNOWN.string, vpcs: [{ vpcId: "vpc-1" }] },
            },
        ]);
        assert.deepEqual(diags, [
            cannotRunDuringPreview("database-endpoint-private-dns", "string value at .name"),
        ]);
    });

    it("judges listeners of known load balancers next to one whose internal flag is unknown (stack)", async () => {
        const diags = await pack().analyzeStack([
            { type: LB, name: "unknown", props: { internal: UNKNOWN.bool } },
            { type: LB, name: "public", props: { internal: false } },
            {
                type: LISTENER,
                name: "pg",
                props: { protocol: "TCP", port: 5432 },
                propertyDependencies: { loadBalancerArn: [urnOf(LB, "public")] },
            },
        ]);
        assert.deepEqual(diags, [
            violation(
                "no-internet-facing-database-listener",
                `${LISTENER} "pg" listens on database port 5432 of the internet-facing load balancer ${LB} "public" (internal is not true). Fix: set internal: true on the load balancer; consumers reach it through the VPC endpoint service.`,
                urnOf(LISTENER, "pg"),
            ),
            cannotRunDuringPreview("no-internet-facing-database-listener", "boolean value at .internal"),
        ]);
    });

    it("judges the group of a known cluster next to a cluster whose group name is unknown (stack)", async () => {
        const PG = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
        const diags = await pack().analyzeStack([
            {
                type: "aws:rds/cluster:Cluster",
                name: "later",
                props: { dbClusterParameterGroupName: UNKNOWN.string },
            },
            { type: "aws:rds/cluster:Cluster", name: "db", props: { dbClusterParameterGroupName: "db-tls" } },
            {
                type: PG,
                name: "db-tls",
                props: { name: "db-tls", family: "aurora-mysql8.0", parameters: [] },
            },
        ]);
        assert.deepEqual(diags, [
            violation(
                "rds-parameter-group-forces-tls",
                `${PG} "db-tls" (family aurora-mysql8.0), used by aws:rds/cluster:Cluster "db", does not set require_secure_transport, so the database accepts unencrypted connections. Fix: add the parameter { name: "require_secure_transport", value: "ON" } to the group.`,
                urnOf(PG, "db-tls"),
            ),
            cannotRunDuringPreview(
                "rds-parameter-group-forces-tls",
                "string value at .dbClusterParameterGroupName",
            ),
        ]);
    });

    it("reports an unknown parameter list of a group in the stack as advisory (stack)", async () => {
        const diags = await pack().analyzeStack([
            { type: "aws:rds/cluster:Cluster", name: "db", props: { dbClusterParameterGroupName: "db-tls" } },
            {
                type: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
                name: "db-tls",
                props: { name: "db-tls", family: "aurora-postgresql16", parameters: UNKNOWN.array },
            },
        ]);
        assert.deepEqual(diags, [
            cannotRunDuringPreview("rds-parameter-group-forces-tls", "Array value at .parameters"),
        ]);
    });
});
