/**
 * Invoke answers and computed state shared by the stack tests, layered on the tools' offline answers, with the
 * fixed IDs and the error cases the tests assert. `exampleConfig` reads Pulumi.db-account.yaml and
 * Pulumi.app-account.yaml so the examples themselves are tested.
 */
import { offlineAwsAnswers, type Zones } from "../../tools/recording/aws-answers";
import { dbAccountStateIn } from "../../tools/recording/computed-state";
import { defaultRegion, type CallHandler } from "../../tools/recording/harness";

export { newVpcRouteTableIds, newVpcSubnetIds } from "../../tools/recording/computed-state";
export { exampleConfig, parseStackConfig } from "../../tools/recording/stack-files";

/** AZs of eu-west-1 as the database account sees them (names map to IDs per account). */
export const dbAccountZones = {
    names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    zoneIds: ["euw1-az3", "euw1-az1", "euw1-az2"],
};

/** Subnets the existing-VPC variants look up: id → { vpcId, az name, az id }. */
export const knownSubnets: Record<
    string,
    { vpcId: string; availabilityZone: string; availabilityZoneId: string }
> = {
    "subnet-0a000000000000001": {
        vpcId: "vpc-0a000000000000001",
        availabilityZone: "eu-west-1a",
        availabilityZoneId: "euw1-az3",
    },
    "subnet-0a000000000000002": {
        vpcId: "vpc-0a000000000000001",
        availabilityZone: "eu-west-1b",
        availabilityZoneId: "euw1-az1",
    },
    "subnet-0a000000000000003": {
        vpcId: "vpc-0a000000000000001",
        availabilityZone: "eu-west-1c",
        availabilityZoneId: "euw1-az2",
    },
    "subnet-0a000000000000004": {
        vpcId: "vpc-0a000000000000001",
        availabilityZone: "eu-west-1a",
        availabilityZoneId: "euw1-az3",
    },
    "subnet-0d000000000000001": {
        vpcId: "vpc-0a0000000000000d0",
        availabilityZone: "eu-west-1a",
        availabilityZoneId: "euw1-az3",
    },
    "subnet-0d000000000000002": {
        vpcId: "vpc-0a0000000000000d0",
        availabilityZone: "eu-west-1b",
        availabilityZoneId: "euw1-az1",
    },
    "subnet-0b000000000000001": {
        vpcId: "vpc-0b000000000000001",
        availabilityZone: "eu-west-1a",
        availabilityZoneId: "euw1-az3",
    },
};

/**
 * Answers the invokes the stacks make: the tools' synthesized answers (VPC attributes, anything else), with the
 * cases the tests need on top: AZs as `zones`, only `knownSubnets` exist (any other ID fails as AWS fails),
 * subnet 1 has its own route table, and one VPC has DNS hostnames off.
 */
export const awsCalls = (zones: Zones = dbAccountZones): CallHandler => {
    const offline = offlineAwsAnswers({ region: defaultRegion });
    return (token, inputs) => {
        switch (token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return { ...zones, id: defaultRegion, groupNames: [] };
            case "aws:ec2/getSubnet:getSubnet": {
                const id = String(inputs.id);
                const subnet = knownSubnets[id];
                if (!subnet)
                    throw new Error(`InvalidSubnetID.NotFound: The subnet ID '${id}' does not exist`);
                return { id, ...subnet };
            }
            case "aws:ec2/getRouteTables:getRouteTables": {
                // Subnet 1 has its own table; the others use the main table.
                const filter = (inputs.filters as { name: string; values: string[] }[])[0];
                const ids =
                    filter.name === "association.main"
                        ? ["rtb-0a00000000000main"]
                        : filter.values[0] === "subnet-0a000000000000001"
                          ? ["rtb-0a000000000000001"]
                          : [];
                return { id: String(inputs.vpcId), ids, vpcId: inputs.vpcId };
            }
            case "aws:ec2/getVpc:getVpc": {
                // One VPC of the fixtures has DNS hostnames off.
                const vpc = offline(token, inputs) as Record<string, unknown>;
                return vpc.id === "vpc-0a0000000000000d0" ? { ...vpc, enableDnsHostnames: false } : vpc;
            }
            default:
                return offline(token, inputs);
        }
    };
};

/** What AWS would compute for the db-account stack's resources in the tests' region, as mocked state. */
export const dbAccountState = dbAccountStateIn(defaultRegion);

/** The consumer's side: the producer stack the app-account tests read, and the names and ARNs its contract carries. */
export const consumerFixture = {
    producerStack: "organization/rds-cross-account/db-account",
    producerAccountId: "111111111111",
    accountId: "222222222222",
    /** The writer's name, which the proxy's certificate covers. */
    writer: "db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
    /** The read-only endpoint as clients dial it: a one-label alias under proxy-<id>. */
    reader: "db-account-proxy-ro.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
    /** The read-only endpoint's real name, which IAM tokens for it are signed for. */
    readerReal: "db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
    service: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
    connectRole: "arn:aws:iam::111111111111:role/db-account-connect-orders",
    secret: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-account-orders-AbCdEf",
    secretKey: "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000001",
    writerConfiguration:
        "arn:aws:vpc-lattice:eu-west-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0",
    readerConfiguration:
        "arn:aws:vpc-lattice:eu-west-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef1",
    share: "arn:aws:ram:eu-west-1:111111111111:resource-share/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d",
} as const;

/** Options of {@link consumerContract}. */
export interface ConsumerContractOptions {
    /** Which path, and so which version: version 1 is the PrivateLink path's flat form. */
    readonly form: "v1" | "v2-privatelink" | "v2-lattice";
    readonly readOnly?: boolean;
    /** How this account's applications authenticate (the contract lists another account too). @default iam */
    readonly auth?: "iam" | "password";
    /** PrivateLink: the regions besides eu-west-1 the endpoint service is offered in. */
    readonly supportedRegions?: string[];
    /** Lattice: the accounts RAM sends an invitation. @default this account */
    readonly invitedAccountIds?: string[];
}

/**
 * A contract of the tests' producer (eu-west-1, aurora-postgresql on 5432, account 111111111111) as the db-account
 * stack exports it: version 1 (flat, the PrivateLink path), or version 2 with either path.
 */
export function consumerContract(o: ConsumerContractOptions): Record<string, unknown> {
    const f = consumerFixture;
    const readOnly = o.readOnly ?? true;
    const own =
        (o.auth ?? "iam") === "iam"
            ? { accountId: f.accountId, databaseUser: "orders", auth: "iam", connectRoleArn: f.connectRole }
            : {
                  accountId: f.accountId,
                  databaseUser: "orders",
                  auth: "password",
                  secretArn: f.secret,
                  secretKeyArn: f.secretKey,
              };
    const common = {
        producerAccountId: f.producerAccountId,
        region: "eu-west-1",
        engine: "aurora-postgresql",
        port: 5432,
        proxyEndpoint: f.writer,
        ...(readOnly ? { readOnlyEndpoint: f.reader, readOnlyProxyEndpoint: f.readerReal } : {}),
        idleTimeoutSeconds: 300,
        databaseName: "app",
        consumers: [
            {
                accountId: "333333333333",
                databaseUser: "billing",
                auth: "iam",
                connectRoleArn: "arn:aws:iam::111111111111:role/db-account-connect-billing",
            },
            own,
        ],
        tls: { sslmode: "verify-full" },
    };
    const privateLink = {
        endpointServiceName: f.service,
        availabilityZoneIds: ["euw1-az3", "euw1-az1", "euw1-az2"],
        ...(readOnly ? { readOnlyPort: 5433 } : {}),
        ...(o.supportedRegions ? { supportedRegions: o.supportedRegions } : {}),
    };
    switch (o.form) {
        case "v1":
            return { version: 1, ...common, ...privateLink };
        case "v2-privatelink":
            return { version: 2, ...common, connectivity: { kind: "privatelink-nlb", ...privateLink } };
        case "v2-lattice":
            return {
                version: 2,
                ...common,
                connectivity: {
                    kind: "vpc-lattice",
                    resourceConfigurationArn: f.writerConfiguration,
                    ...(readOnly ? { readOnlyResourceConfigurationArn: f.readerConfiguration } : {}),
                    resourceShareArn: f.share,
                    invitedAccountIds: o.invitedAccountIds ?? [f.accountId],
                },
            };
    }
}

/** An account's view of a region: its AZs, and the subnets and security groups of its one existing VPC. */
export interface ConsumerAccountView {
    readonly region: string;
    readonly zones: Zones;
    readonly vpcId: string;
    /** Subnet ID → AZ ID. */
    readonly subnets: Record<string, string>;
    readonly groups: readonly string[];
    /** Whether the VPC has enableDnsHostnames off. @default on */
    readonly dnsHostnamesOff?: boolean;
}

/** Answers the app-account stack's invokes as `view` says; any other subnet, VPC or group fails as AWS fails. */
export function consumerCalls(view: ConsumerAccountView): CallHandler {
    return (token, inputs) => {
        const id = String(inputs.id);
        switch (token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return { ...view.zones, id: view.region, groupNames: [] };
            case "aws:ec2/getSubnet:getSubnet":
                if (!view.subnets[id])
                    throw new Error(`InvalidSubnetID.NotFound: The subnet ID '${id}' does not exist`);
                return { id, vpcId: view.vpcId, availabilityZoneId: view.subnets[id] };
            case "aws:ec2/getVpc:getVpc":
                if (id !== view.vpcId)
                    throw new Error(`InvalidVpcID.NotFound: The vpc ID '${id}' does not exist`);
                return {
                    id,
                    cidrBlock: "10.40.0.0/16",
                    enableDnsSupport: true,
                    enableDnsHostnames: !view.dnsHostnamesOff,
                };
            case "aws:ec2/getSecurityGroup:getSecurityGroup":
                if (!view.groups.includes(id))
                    throw new Error(`InvalidGroup.NotFound: The security group '${id}' does not exist`);
                return { id, vpcId: view.vpcId };
            default:
                return undefined;
        }
    };
}

/** Subnet IDs the mocked awsx VPC of the app-account stack reports, one per AZ it was given. */
export const consumerNewVpcSubnets = [
    "subnet-0f000000000000001",
    "subnet-0f000000000000002",
    "subnet-0f000000000000003",
];

/** What AWS computes for the app-account stack's resources: the new VPC's IDs, endpoint DNS entries, ARNs. */
export function consumerState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
): Record<string, unknown> {
    switch (type) {
        case "awsx:ec2:Vpc": {
            const count = (inputs.availabilityZoneNames as string[]).length;
            return {
                vpcId: "vpc-0f000000000000001",
                isolatedSubnetIds: consumerNewVpcSubnets.slice(0, count),
            };
        }
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return {
                dnsEntries: [{ dnsName: `${name}.vpce.amazonaws.com`, hostedZoneId: "Z38GZ743OKFT7T" }],
            };
        case "aws:route53/zone:Zone":
            return { zoneId: `Z-${name}` };
        case "aws:iam/policy:Policy":
            return { arn: `arn:aws:iam::222222222222:policy/${name}` };
        default:
            return {};
    }
}
