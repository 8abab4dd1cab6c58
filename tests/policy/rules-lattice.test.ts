// The VPC Lattice rules of the policy pack, called in-process as the SDK calls them (see
// tools/mutation/in-process-policy): RAM share principals, Lattice resource policies, resource configurations that
// publish a database, the DNS preference of a consumer's Resource endpoint, and Resource endpoints without private
// DNS under database-endpoint-private-dns. Exact messages, violations and non-violations, unknown values next to known
// ones. Then the whole pack in-process on ways around them (support/constructs.ts); wire.test.ts proves each rule
// through the pack's real interface. What this cannot prove: that AWS reads these settings as their documentation
// (cited in the rules) says.
import * as assert from "node:assert/strict";
import { resourceGatewayEgressPrivate } from "../../policy-pack/rules/lattice-gateway";
import {
    latticeDatabaseResourceConfiguration,
    resourceEndpointPrivateDnsDomains,
} from "../../policy-pack/rules/lattice-resources";
import {
    latticeResourcePolicyNoOpenGrant,
    ramShareNamedPrincipals,
} from "../../policy-pack/rules/lattice-sharing";
import { databaseEndpointPrivateDns } from "../../policy-pack/rules/tls-endpoint-dns";
import {
    UNKNOWN,
    urnOf,
    validateResource,
    validateStack,
    type Outcome,
    type TestResource,
} from "../../tools/mutation/in-process-policy";
import { describeConstructs } from "./support/constructs";
import { useInProcessPack } from "./support/expect";
import {
    ENDPOINT,
    LATTICE_POLICY,
    RAM_EXCLUSIVE,
    RAM_PRINCIPAL,
    RECORD,
    RESOURCE_CONFIGURATION,
    RESOURCE_GATEWAY,
    SG,
    SG_RULE,
    VPC_EGRESS,
    ZONE,
} from "./support/tokens";

const NONE: Outcome = { violations: [] };
const only = (...messages: string[]): Outcome => ({ violations: messages.map((message) => ({ message })) });
/** A resource; a prop given as undefined is left out, as the engine leaves out an omitted input. */
const res = (type: string, name: string, props: Record<string, unknown>): TestResource => ({
    type,
    name,
    props: Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined)),
});

const ORG = "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5";
const OU = "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56";
const PROXY_HOST = "app-db.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com";
const RO_HOST = "app-db-ro.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com";
const RC_ARN = "arn:aws:vpc-lattice:eu-west-1:111122223333:resourceconfiguration/rcfg-0123456789abcdef0";

describe("policy rules in-process: ram-share-named-principals", () => {
    const FIX =
        "Fix: name each consumer account by its 12-digit ID (or an organization or OU ARN of arn:aws:organizations::<management-account>:…), never a wildcard.";
    const WILDCARD = "is a wildcard, which would share the resource with principals the stack does not name";
    const UNREAD =
        "is not an account ID, an organization or OU ARN, or an IAM role or user ARN, so the pack cannot tell whom the share admits";
    const SERVICE =
        "is a service principal without sources, which admits that service acting for any account";
    const association = (principal: unknown): TestResource =>
        res(RAM_PRINCIPAL, "consumer", { principal, resourceShareArn: "arn:aws:ram:share" });
    const refused = (principal: unknown, why: string): Outcome =>
        only(`${RAM_PRINCIPAL} "consumer" principal is ${JSON.stringify(principal)}, which ${why}. ${FIX}`);
    const table: Array<[unknown, Outcome]> = [
        ["111122223333", NONE],
        [ORG, NONE],
        [OU, NONE],
        ["arn:aws:iam::111122223333:role/app", NONE],
        ["arn:aws:iam::111122223333:user/path/ci", NONE],
        ["arn:aws-cn:organizations::111122223333:organization/o-a1b2c3d4e5", NONE],
        ["*", refused("*", WILDCARD)],
        ["arn:aws:iam::*:root", refused("arn:aws:iam::*:root", WILDCARD)],
        ["arn:aws:iam::111122223333:role/*", refused("arn:aws:iam::111122223333:role/*", WILDCARD)],
        ["11112222333", refused("11112222333", UNREAD)],
        [" 111122223333", refused(" 111122223333", UNREAD)],
        ["arn:aws:iam::111122223333:root", refused("arn:aws:iam::111122223333:root", UNREAD)],
        [
            "arn:aws:organizations::111122223333:organization/o-short",
            refused("arn:aws:organizations::111122223333:organization/o-short", UNREAD),
        ],
        ["ec2.amazonaws.com", refused("ec2.amazonaws.com", SERVICE)],
        ["1111222233334", refused("1111222233334", UNREAD)],
        [
            111122223333,
            refused(111122223333, "is not a string, so the pack cannot tell whom the share admits"),
        ],
    ];
    for (const [principal, expected] of table) {
        it(`judges the principal ${JSON.stringify(principal)}`, async () => {
            assert.deepEqual(
                await validateResource(ramShareNamedPrincipals, association(principal)),
                expected,
            );
        });
    }

    const exclusive = (props: Record<string, unknown>): TestResource =>
        res(RAM_EXCLUSIVE, "share", { resourceShareArn: "arn:aws:ram:share", ...props });
    it("judges every entry of an exclusive association's principals, each at its index", async () => {
        assert.deepEqual(
            await validateResource(
                ramShareNamedPrincipals,
                exclusive({ principals: ["111122223333", "*", ORG, "x"] }),
            ),
            only(
                `${RAM_EXCLUSIVE} "share" principals[1] is "*", which ${WILDCARD}. ${FIX}`,
                `${RAM_EXCLUSIVE} "share" principals[3] is "x", which ${UNREAD}. ${FIX}`,
            ),
        );
    });
    it("passes a service principal of an exclusive association whose sources name accounts, and not otherwise", async () => {
        const service = { principals: ["vpc-lattice.amazonaws.com"] };
        assert.deepEqual(
            await validateResource(
                ramShareNamedPrincipals,
                exclusive({ ...service, sources: ["111122223333"] }),
            ),
            NONE,
        );
        for (const sources of [undefined, [], ["*"], ["111122223333", "*"]]) {
            assert.deepEqual(
                await validateResource(ramShareNamedPrincipals, exclusive({ ...service, sources })),
                only(
                    `${RAM_EXCLUSIVE} "share" principals[0] is "vpc-lattice.amazonaws.com", which ${SERVICE}. ${FIX}`,
                ),
            );
        }
    });
    it("judges the known principals next to an unknown one, then reports that it could not finish", async () => {
        const outcome = await validateResource(
            ramShareNamedPrincipals,
            exclusive({ principals: [UNKNOWN.string, "*"] }),
        );
        assert.deepEqual(
            outcome.violations,
            only(`${RAM_EXCLUSIVE} "share" principals[1] is "*", which ${WILDCARD}. ${FIX}`).violations,
        );
        assert.ok(outcome.unknown !== undefined);
    });
    it("leaves other resources with a principals list alone", async () => {
        assert.deepEqual(
            await validateResource(
                ramShareNamedPrincipals,
                res("aws:ram/permission:Permission", "p", { principals: ["*"] }),
            ),
            NONE,
        );
    });
    it("leaves the share itself alone, allowExternalPrincipals included (the stack decides it)", async () => {
        assert.deepEqual(
            await validateResource(
                ramShareNamedPrincipals,
                res("aws:ram/resourceShare:ResourceShare", "share", { allowExternalPrincipals: true }),
            ),
            NONE,
        );
    });
});

describe("policy rules in-process: lattice-resource-policy-no-open-grant", () => {
    const FIX =
        'Fix: name the consumer accounts as principals ("AWS": "arn:aws:iam::<account-id>:root"), or keep "*" only with a Condition that bounds it (aws:PrincipalOrgID, aws:PrincipalAccount).';
    const WHO = `${LATTICE_POLICY} "share"`;
    const policyOf = (statement: unknown): TestResource =>
        res(LATTICE_POLICY, "share", {
            resourceArn: RC_ARN,
            policy: JSON.stringify({ Version: "2012-10-17", Statement: statement }),
        });
    const grant = {
        Effect: "Allow",
        Action: "vpc-lattice:CreateServiceNetworkVpcAssociation",
        Resource: RC_ARN,
    };
    const open = (principal: unknown, index = 0, sid = ""): string =>
        `${WHO} policy Statement[${index}]${sid} allows the principal ${JSON.stringify(principal)} without a Condition, which grants every AWS account. ${FIX}`;
    const table: Array<[string, TestResource, Outcome]> = [
        [
            "passes named accounts",
            policyOf([{ ...grant, Principal: { AWS: ["arn:aws:iam::111122223333:root"] } }]),
            NONE,
        ],
        [
            "passes * bounded by a condition",
            policyOf([
                {
                    ...grant,
                    Principal: "*",
                    Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
                },
            ]),
            NONE,
        ],
        ["passes a Deny to *", policyOf([{ ...grant, Effect: "Deny", Principal: "*" }]), NONE],
        ["blocks Principal *", policyOf([{ ...grant, Principal: "*" }]), only(open("*"))],
        [
            "blocks AWS *, as a single statement object",
            policyOf({ ...grant, Principal: { AWS: "*" } }),
            only(open({ AWS: "*" })),
        ],
        [
            "blocks * among named accounts, and names the Sid",
            policyOf([
                { ...grant, Principal: { AWS: "111122223333" } },
                { ...grant, Sid: "All", Principal: { AWS: ["111122223333", "*"] } },
            ]),
            only(open({ AWS: ["111122223333", "*"] }, 1, ' (Sid "All")')),
        ],
        [
            "passes a principal list at the top (not an IAM form) and a principal that is no string",
            policyOf([
                { ...grant, Principal: ["*"] },
                { ...grant, Principal: 7 },
            ]),
            NONE,
        ],
        [
            "skips a statement that is not an object",
            policyOf(["*", { ...grant, Principal: "*" }]),
            only(open("*", 1)),
        ],
        [
            "blocks a policy that is not a string",
            res(LATTICE_POLICY, "share", { resourceArn: RC_ARN, policy: 5 }),
            only(`${WHO} policy is not a JSON string, so the pack cannot tell whom it grants. ${FIX}`),
        ],
        [
            "blocks a document that is not an object",
            res(LATTICE_POLICY, "share", { resourceArn: RC_ARN, policy: "null" }),
            only(`${WHO} policy has no Statement, so the pack cannot tell whom it grants. ${FIX}`),
        ],
        [
            "blocks an empty Condition",
            policyOf([{ ...grant, Principal: "*", Condition: {} }]),
            only(open("*")),
        ],
        [
            "blocks an Allow with NotPrincipal",
            policyOf([{ ...grant, NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" } }]),
            only(
                `${WHO} policy Statement[0] allows with NotPrincipal, which grants every principal but the ones it names. ${FIX}`,
            ),
        ],
        [
            "blocks a policy that is not JSON",
            res(LATTICE_POLICY, "share", { resourceArn: RC_ARN, policy: "{" }),
            only(`${WHO} policy is not valid JSON, so the pack cannot tell whom it grants. ${FIX}`),
        ],
        [
            "blocks a document without Statement",
            res(LATTICE_POLICY, "share", { resourceArn: RC_ARN, policy: "{}" }),
            only(`${WHO} policy has no Statement, so the pack cannot tell whom it grants. ${FIX}`),
        ],
        [
            "leaves auth policies alone (they do not apply to resource configurations)",
            res("aws:vpclattice/authPolicy:AuthPolicy", "auth", {
                resourceIdentifier: "sn-1",
                policy: JSON.stringify({ Statement: [{ ...grant, Principal: "*" }] }),
            }),
            NONE,
        ],
    ];
    for (const [title, resource, expected] of table) {
        it(title, async () => {
            assert.deepEqual(await validateResource(latticeResourcePolicyNoOpenGrant, resource), expected);
        });
    }
    it("cannot judge a policy unknown during preview: advisory, not a pass", async () => {
        const outcome = await validateResource(
            latticeResourcePolicyNoOpenGrant,
            res(LATTICE_POLICY, "share", { resourceArn: RC_ARN, policy: UNKNOWN.string }),
        );
        assert.deepEqual(outcome.violations, []);
        assert.ok(outcome.unknown !== undefined);
    });
});

/** A resource configuration fronting the proxy's writer, as the Lattice path builds it. */
function configuration(props: Record<string, unknown> = {}): TestResource {
    return res(RESOURCE_CONFIGURATION, "writer", {
        type: "SINGLE",
        resourceGatewayIdentifier: "rgw-0123",
        resourceConfigurationDefinition: { dnsResource: { domainName: PROXY_HOST, ipAddressType: "IPV4" } },
        portRanges: ["5432"],
        protocol: "TCP",
        customDomainName: PROXY_HOST,
        ...props,
    });
}

describe("policy rules in-process: lattice-database-resource-configuration", () => {
    const WHO = `${RESOURCE_CONFIGURATION} "writer" publishes the database ${PROXY_HOST}`;
    const PORT_FIX = 'Fix: list the engine\'s port alone (for example "5432").';
    const run = (resource: TestResource, config: Record<string, unknown> = {}): Promise<Outcome> =>
        validateResource(latticeDatabaseResourceConfiguration, resource, config);
    const uncovered = (name: string): string =>
        `${WHO}, and sets customDomainName: ${JSON.stringify(name)}, which the proxy's certificate (*.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com) does not cover, so sslmode=verify-full fails on the name consumers dial. Fix: use one label under proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com, such as the proxy's own hostname.`;
    const table: Array<[string, TestResource, Outcome]> = [
        ["passes the writer's configuration", configuration(), NONE],
        [
            "passes the read-only name as the custom domain",
            configuration({ customDomainName: RO_HOST }),
            NONE,
        ],
        [
            "passes a custom domain in another letter case with a final dot",
            configuration({ customDomainName: `${PROXY_HOST.toUpperCase()}.` }),
            NONE,
        ],
        [
            "passes no custom domain (the consumer's own zone may answer)",
            configuration({ customDomainName: undefined }),
            NONE,
        ],
        ["passes a range of one port", configuration({ portRanges: ["5432-5432"] }), NONE],
        [
            "passes protocol and the shareable setting given as null",
            configuration({ protocol: null, allowAssociationToShareableServiceNetwork: null }),
            NONE,
        ],
        [
            "blocks ranges that are no ports: 0, above 65535, reversed, padded",
            configuration({ portRanges: ["0", "70000", "5440-5432", " 5432"] }),
            only(
                ...["0", "70000", "5440-5432", " 5432"].map(
                    (entry, i) =>
                        `${WHO}, and portRanges[${i}] is ${JSON.stringify(entry)}, which the pack cannot read as a port or a port range. ${PORT_FIX}`,
                ),
            ),
        ],
        [
            "passes allowAssociationToShareableServiceNetwork false",
            configuration({ allowAssociationToShareableServiceNetwork: false }),
            NONE,
        ],
        [
            "blocks a range of two ports",
            configuration({ portRanges: ["5432-5433"] }),
            only(
                `${WHO}, and portRanges[0] is "5432-5433", which exposes 2 ports of the target. ${PORT_FIX}`,
            ),
        ],
        [
            "blocks every port, and an unreadable entry, each at its index",
            configuration({ portRanges: ["5432", "1-65535", "5432,3306"] }),
            only(
                `${WHO}, and portRanges[1] is "1-65535", which exposes 65535 ports of the target. ${PORT_FIX}`,
                `${WHO}, and portRanges[2] is "5432,3306", which the pack cannot read as a port or a port range. ${PORT_FIX}`,
            ),
        ],
        [
            "blocks a protocol other than TCP",
            configuration({ protocol: "UDP" }),
            only(
                `${WHO}, and sets protocol: "UDP". Fix: set protocol: "TCP", the protocol of database connections.`,
            ),
        ],
        ...(["True", true, "yes"] as unknown[]).map((value): [string, TestResource, Outcome] => [
            `blocks allowAssociationToShareableServiceNetwork ${JSON.stringify(value)}`,
            configuration({ allowAssociationToShareableServiceNetwork: value }),
            only(
                `${WHO}, and sets allowAssociationToShareableServiceNetwork: ${JSON.stringify(value)}, which lets it be added to service networks shared with accounts the RAM share does not name. Fix: remove the setting or set it to false; consumers reach the database through their own Resource endpoints.`,
            ),
        ]),
        [
            "blocks a custom domain of another proxy",
            configuration({ customDomainName: "app-db.proxy-zzzzzzzzzzzz.eu-west-1.rds.amazonaws.com" }),
            only(uncovered("app-db.proxy-zzzzzzzzzzzz.eu-west-1.rds.amazonaws.com")),
        ],
        [
            "blocks a custom domain two labels deep",
            configuration({ customDomainName: `ro.endpoint.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com` }),
            only(uncovered("ro.endpoint.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com")),
        ],
        [
            "blocks a custom domain of the company",
            configuration({ customDomainName: "db.example.com" }),
            only(uncovered("db.example.com")),
        ],
        [
            "blocks the proxy's domain itself",
            configuration({ customDomainName: "proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com" }),
            only(uncovered("proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com")),
        ],
        [
            "blocks a wildcard custom domain",
            configuration({ customDomainName: "*.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com" }),
            only(uncovered("*.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com")),
        ],
        [
            "judges an IP resource by its database port",
            res(RESOURCE_CONFIGURATION, "ip", {
                resourceConfigurationDefinition: { ipResource: { ipAddress: "10.0.1.5" } },
                portRanges: ["3300-3310"],
            }),
            only(
                `${RESOURCE_CONFIGURATION} "ip" publishes a database port, and portRanges[0] is "3300-3310", which exposes 11 ports of the target. ${PORT_FIX}`,
            ),
        ],
        [
            "judges an RDS ARN resource",
            res(RESOURCE_CONFIGURATION, "arn", {
                type: "ARN",
                resourceConfigurationDefinition: {
                    arnResource: { arn: "arn:aws:rds:eu-west-1:111122223333:db:app" },
                },
                allowAssociationToShareableServiceNetwork: true,
            }),
            only(
                `${RESOURCE_CONFIGURATION} "arn" publishes the database arn:aws:rds:eu-west-1:111122223333:db:app, and sets allowAssociationToShareableServiceNetwork: true, which lets it be added to service networks shared with accounts the RAM share does not name. Fix: remove the setting or set it to false; consumers reach the database through their own Resource endpoints.`,
            ),
        ],
        [
            "does not judge the custom domain of an RDS target that is not a proxy",
            configuration({
                resourceConfigurationDefinition: {
                    dnsResource: {
                        domainName: "app.abcdefghijkl.eu-west-1.rds.amazonaws.com",
                        ipAddressType: "IPV4",
                    },
                },
                customDomainName: "db.example.com",
            }),
            NONE,
        ],
        [
            "does not judge the custom domain of an RDS ARN target",
            res(RESOURCE_CONFIGURATION, "arn", {
                resourceConfigurationDefinition: {
                    arnResource: { arn: "arn:aws:rds:eu-west-1:111122223333:db:app" },
                },
                customDomainName: "db.example.com",
            }),
            NONE,
        ],
        ...(
            [
                [
                    "another service's ARN",
                    { arnResource: { arn: "arn:aws:ec2:eu-west-1:111122223333:instance/i-1" } },
                ],
                [
                    "an RDS ARN not at the start",
                    { arnResource: { arn: "x-arn:aws:rds:eu-west-1:111122223333:db:app" } },
                ],
                ["an ARN that is no string", { arnResource: { arn: 5 } }],
                ["an IP resource on an unreadable range", { ipResource: { ipAddress: "10.0.1.5" } }],
                ["no definition", undefined],
            ] as Array<[string, unknown]>
        ).map(([what, definition]): [string, TestResource, Outcome] => [
            `leaves a configuration of ${what} alone`,
            res(RESOURCE_CONFIGURATION, "other", {
                resourceConfigurationDefinition: definition,
                portRanges: ["abc"],
                allowAssociationToShareableServiceNetwork: true,
            }),
            NONE,
        ]),
        [
            "leaves other resource types alone",
            {
                ...configuration({ portRanges: ["1-65535"] }),
                type: "aws:vpclattice/resourceGateway:ResourceGateway",
            },
            NONE,
        ],
        [
            "leaves a configuration that publishes no database alone",
            res(RESOURCE_CONFIGURATION, "web", {
                resourceConfigurationDefinition: {
                    dnsResource: { domainName: "api.example.com", ipAddressType: "IPV4" },
                },
                portRanges: ["443-444"],
                allowAssociationToShareableServiceNetwork: true,
            }),
            NONE,
        ],
    ];
    for (const [title, resource, expected] of table) {
        it(title, async () => {
            assert.deepEqual(await run(resource), expected);
        });
    }
    it("counts extraPorts as database ports", async () => {
        const resource = res(RESOURCE_CONFIGURATION, "ip", {
            resourceConfigurationDefinition: { ipResource: { ipAddress: "10.0.1.5" } },
            portRanges: ["6430-6440"],
        });
        assert.deepEqual(await run(resource), NONE);
        assert.equal((await run(resource, { extraPorts: [6432] })).violations.length, 1);
    });
    it("judges the known port ranges and settings next to unknown ones, then reports that it could not finish", async () => {
        const outcome = await run(
            configuration({
                portRanges: [UNKNOWN.string, "5432-5440"],
                protocol: UNKNOWN.string,
                customDomainName: "db.example.com",
            }),
        );
        assert.deepEqual(
            outcome.violations,
            only(
                `${WHO}, and portRanges[1] is "5432-5440", which exposes 9 ports of the target. ${PORT_FIX}`,
                uncovered("db.example.com"),
            ).violations,
        );
        assert.ok(outcome.unknown !== undefined);
    });
    it("cannot tell whether an IP resource publishes a database while its only port range is unknown: advisory", async () => {
        const outcome = await run(
            res(RESOURCE_CONFIGURATION, "ip", {
                resourceConfigurationDefinition: { ipResource: { ipAddress: "10.0.1.5" } },
                portRanges: [UNKNOWN.string],
                allowAssociationToShareableServiceNetwork: true,
            }),
        );
        assert.deepEqual(outcome.violations, []);
        assert.ok(outcome.unknown !== undefined);
    });
    it("judges an IP resource whose known range holds a database port next to an unknown range", async () => {
        const outcome = await run(
            res(RESOURCE_CONFIGURATION, "ip", {
                resourceConfigurationDefinition: { ipResource: { ipAddress: "10.0.1.5" } },
                portRanges: [UNKNOWN.string, "5432"],
                allowAssociationToShareableServiceNetwork: true,
            }),
        );
        assert.equal(outcome.violations.length, 1);
        assert.match(
            outcome.violations[0].message,
            /"ip" publishes a database port, and sets allowAssociationToShareableServiceNetwork: true/,
        );
        assert.ok(outcome.unknown !== undefined);
    });
});

/** A consumer's Resource endpoint with `props` over the safe DNS settings. */
function resourceEndpoint(props: Record<string, unknown> = {}): TestResource {
    return res(ENDPOINT, "writer", {
        vpcEndpointType: "Resource",
        resourceConfigurationArn: RC_ARN,
        vpcId: "vpc-0app",
        privateDnsEnabled: true,
        dnsOptions: {
            privateDnsPreference: "SPECIFIED_DOMAINS_ONLY",
            privateDnsSpecifiedDomains: [PROXY_HOST, RO_HOST],
        },
        ...props,
    });
}

describe("policy rules in-process: resource-endpoint-private-dns-domains", () => {
    const FIX =
        'Fix: set dnsOptions { privateDnsPreference: "SPECIFIED_DOMAINS_ONLY", privateDnsSpecifiedDomains: [the proxy\'s hostnames] }.';
    const WHO = `${ENDPOINT} "writer" has privateDnsEnabled`;
    const run = (resource: TestResource, config: Record<string, unknown> = {}): Promise<Outcome> =>
        validateResource(resourceEndpointPrivateDnsDomains, resource, config);
    const domain = (index: number, value: unknown, why: string): string =>
        `${WHO}, and dnsOptions.privateDnsSpecifiedDomains[${index}] is ${JSON.stringify(value)}, which ${why}. ${FIX}`;
    const NOT_FULL =
        "is not one full RDS hostname (<proxy>.proxy-<id>.<region>.rds.amazonaws.com), so either verify-full fails on it or the zone answers names of other databases";
    const preference = (value: string, why: string): string =>
        `${WHO} and dnsOptions.privateDnsPreference ${JSON.stringify(value)}, ${why}. ${FIX}`;
    const table: Array<[string, TestResource, Outcome]> = [
        ["passes the proxy's hostnames, specified only", resourceEndpoint(), NONE],
        [
            "passes privateDnsEnabled as the string true",
            resourceEndpoint({ privateDnsEnabled: "true" }),
            NONE,
        ],
        [
            "leaves an endpoint without private DNS to database-endpoint-private-dns",
            resourceEndpoint({ privateDnsEnabled: false, dnsOptions: undefined }),
            NONE,
        ],
        [
            "leaves interface endpoints alone",
            res(ENDPOINT, "svc", {
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                serviceName: "com.amazonaws.eu-west-1.sts",
            }),
            NONE,
        ],
        [
            "blocks ALL_DOMAINS",
            resourceEndpoint({ dnsOptions: { privateDnsPreference: "ALL_DOMAINS" } }),
            only(
                preference(
                    "ALL_DOMAINS",
                    "which makes VPC Lattice answer every custom domain name the resource's owner sets, verified or not, inside the VPC",
                ),
            ),
        ],
        [
            "blocks VERIFIED_DOMAINS_ONLY",
            resourceEndpoint({ dnsOptions: { privateDnsPreference: "VERIFIED_DOMAINS_ONLY" } }),
            only(
                preference(
                    "VERIFIED_DOMAINS_ONLY",
                    "which admits whatever domain the resource's owner has verified, and never the proxy's name under rds.amazonaws.com, which no AWS customer can verify",
                ),
            ),
        ],
        [
            "blocks VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS, even with the proxy's names",
            resourceEndpoint({
                dnsOptions: {
                    privateDnsPreference: "VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS",
                    privateDnsSpecifiedDomains: [PROXY_HOST],
                },
            }),
            only(
                preference(
                    "VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS",
                    "which admits, besides the specified domains, whatever domain the resource's owner has verified",
                ),
            ),
        ],
        [
            "blocks a preference in another letter case (the API's values are exact)",
            resourceEndpoint({
                dnsOptions: {
                    privateDnsPreference: "specified_domains_only",
                    privateDnsSpecifiedDomains: [PROXY_HOST],
                },
            }),
            only(preference("specified_domains_only", "which is not a preference the pack knows")),
        ],
        [
            "blocks an omitted preference",
            resourceEndpoint({ dnsOptions: undefined }),
            only(
                `${WHO} and no dnsOptions.privateDnsPreference, so the pack cannot tell which domains VPC Lattice answers inside the VPC. ${FIX}`,
            ),
        ],
        [
            "blocks a preference given as null",
            resourceEndpoint({ dnsOptions: { privateDnsPreference: null } }),
            only(
                `${WHO} and no dnsOptions.privateDnsPreference, so the pack cannot tell which domains VPC Lattice answers inside the VPC. ${FIX}`,
            ),
        ],
        [
            "blocks a specified domain that is not a string",
            resourceEndpoint({
                dnsOptions: {
                    privateDnsPreference: "SPECIFIED_DOMAINS_ONLY",
                    privateDnsSpecifiedDomains: [5],
                },
            }),
            only(domain(0, 5, "is not a string")),
        ],
        [
            "leaves other resource types with the endpoint's settings alone",
            {
                ...resourceEndpoint({ dnsOptions: { privateDnsPreference: "ALL_DOMAINS" } }),
                type: RESOURCE_CONFIGURATION,
            },
            NONE,
        ],
        [
            "blocks SPECIFIED_DOMAINS_ONLY without domains",
            resourceEndpoint({ dnsOptions: { privateDnsPreference: "SPECIFIED_DOMAINS_ONLY" } }),
            only(
                `${WHO} and SPECIFIED_DOMAINS_ONLY but no dnsOptions.privateDnsSpecifiedDomains, so no zone answers the proxy's hostname. ${FIX}`,
            ),
        ],
        [
            "blocks a parent of the proxy's hostname, a wildcard and another domain, each at its index",
            resourceEndpoint({
                dnsOptions: {
                    privateDnsPreference: "SPECIFIED_DOMAINS_ONLY",
                    privateDnsSpecifiedDomains: [
                        PROXY_HOST,
                        "rds.amazonaws.com",
                        "*.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com",
                        "db.example.com",
                    ],
                },
            }),
            only(
                domain(1, "rds.amazonaws.com", NOT_FULL),
                domain(
                    2,
                    "*.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com",
                    "is a wildcard, which admits every name below it that the resource owner chooses",
                ),
                domain(3, "db.example.com", NOT_FULL),
            ),
        ],
    ];
    for (const [title, resource, expected] of table) {
        it(title, async () => {
            assert.deepEqual(await run(resource), expected);
        });
    }
    it("only counts the configured resourceConfigurationArns when set", async () => {
        const open = resourceEndpoint({ dnsOptions: { privateDnsPreference: "ALL_DOMAINS" } });
        assert.deepEqual(await run(open, { resourceConfigurationArns: ["arn:other"] }), NONE);
        assert.equal((await run(open, { resourceConfigurationArns: [RC_ARN] })).violations.length, 1);
    });
    it("rejects a resourceConfigurationArns value that is not a list of non-empty strings, naming the policy and key", async () => {
        await assert.rejects(run(resourceEndpoint(), { resourceConfigurationArns: "x" }), {
            message:
                'Policy config resource-endpoint-private-dns-domains.resourceConfigurationArns must be a list of non-empty strings; received "x".',
        });
    });
});

describe("policy rules in-process: database-endpoint-private-dns, Resource endpoints", () => {
    const run = (resources: TestResource[], config: Record<string, unknown> = {}): Promise<Outcome> =>
        validateStack(databaseEndpointPrivateDns, resources, config);
    const withoutDns = resourceEndpoint({ privateDnsEnabled: undefined, dnsOptions: undefined });
    const blocked: Outcome = {
        violations: [
            {
                message:
                    `${ENDPOINT} "writer" connects to the resource configuration ${RC_ARN} without privateDnsEnabled, but the stack has no private hosted zone for a proxy hostname within rds.amazonaws.com, ` +
                    `so clients must use the endpoint's own DNS name, which the proxy's certificate does not cover, and sslmode=verify-full fails. ` +
                    "Fix: set privateDnsEnabled: true with dnsOptions { privateDnsPreference: \"SPECIFIED_DOMAINS_ONLY\", privateDnsSpecifiedDomains: [the proxy's hostnames] }, or create a private hosted zone for the proxy's hostname with an alias record pointing at the endpoint's DNS name.",
                urn: urnOf(ENDPOINT, "writer"),
            },
        ],
    };
    it("blocks a Resource endpoint without private DNS (the provider's default) and without a zone of the stack", async () => {
        assert.deepEqual(await run([withoutDns]), blocked);
        assert.deepEqual(
            await run([{ ...withoutDns, props: { ...withoutDns.props, privateDnsEnabled: "false" } }]),
            blocked,
        );
    });
    it("passes one with private DNS on (the DNS preference is resource-endpoint-private-dns-domains')", async () => {
        assert.deepEqual(await run([resourceEndpoint()]), NONE);
    });
    it("passes one without private DNS next to a private zone of the stack that answers the proxy's hostname", async () => {
        assert.deepEqual(
            await run([
                withoutDns,
                res(ZONE, "z", { name: PROXY_HOST, vpcs: [{ vpcId: "vpc-0app" }] }),
                res(RECORD, "r", {
                    name: PROXY_HOST,
                    type: "A",
                    aliases: [{ name: "vpce-1.example", zoneId: "Z1" }],
                }),
            ]),
            NONE,
        );
    });
    it("only counts the configured resourceConfigurationArns when set", async () => {
        assert.deepEqual(await run([withoutDns], { resourceConfigurationArns: ["arn:other"] }), NONE);
        assert.deepEqual(await run([withoutDns], { resourceConfigurationArns: [RC_ARN] }), blocked);
    });
    it("cannot tell an endpoint whose privateDnsEnabled is unknown during preview: advisory, not a pass", async () => {
        const outcome = await run([resourceEndpoint({ privateDnsEnabled: UNKNOWN.bool })]);
        assert.deepEqual(outcome.violations, []);
        assert.ok(outcome.unknown !== undefined);
    });
});

describe("policy rules in-process: resource-gateway-egress-private", () => {
    const FIX =
        "Fix: allow egress only to the proxy's security group (referencedSecurityGroupId, or securityGroups inline) on the engine port.";
    const OF = `from the security group ${SG} "gateway" of the resource gateway ${RESOURCE_GATEWAY} "db"`;
    const gateway = (
        props: Record<string, unknown> = {},
        deps: Record<string, string[]> = { securityGroupIds: ["gateway"] },
    ): TestResource => ({
        type: RESOURCE_GATEWAY,
        name: "db",
        props: { vpcId: "vpc-0db", subnetIds: ["subnet-a", "subnet-b"], ...props },
        propertyDependencies: deps,
    });
    const group = (props: Record<string, unknown> = {}): TestResource =>
        res(SG, "gateway", { id: "sg-0gateway", ...props });
    const egressRule = (props: Record<string, unknown>, deps?: Record<string, string[]>): TestResource => ({
        type: VPC_EGRESS,
        name: "out",
        props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, ...props },
        ...(deps === undefined ? {} : { propertyDependencies: deps }),
    });
    const open = (where: string, cidrs: string, urn: string) => ({
        message: `${where} allows egress to ${cidrs} ${OF}, which lets the gateway connect to addresses outside private space. ${FIX}`,
        urn,
    });
    const run = (resources: TestResource[]): Promise<Outcome> =>
        validateStack(resourceGatewayEgressPrivate, resources);
    const table: Array<[string, TestResource[], Outcome]> = [
        [
            "passes egress to the proxy's security group",
            [
                gateway(),
                group(),
                egressRule({ referencedSecurityGroupId: "sg-0proxy" }, { securityGroupId: ["gateway"] }),
            ],
            NONE,
        ],
        [
            "passes inline egress to a private block",
            [
                gateway(),
                group({
                    egress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] }],
                }),
            ],
            NONE,
        ],
        [
            "blocks inline egress to 0.0.0.0/0 and ::/0",
            [
                gateway(),
                group({
                    egress: [
                        { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] },
                        {
                            protocol: "-1",
                            fromPort: 0,
                            toPort: 0,
                            cidrBlocks: ["0.0.0.0/0"],
                            ipv6CidrBlocks: ["::/0"],
                        },
                    ],
                }),
            ],
            { violations: [open(`${SG} "gateway" egress[1]`, "0.0.0.0/0, ::/0", urnOf(SG, "gateway"))] },
        ],
        [
            "blocks a vpc egress rule to a public /32, linked by dependency",
            [gateway(), group(), egressRule({ cidrIpv4: "8.8.8.8/32" }, { securityGroupId: ["gateway"] })],
            { violations: [open(`${VPC_EGRESS} "out"`, "8.8.8.8/32", urnOf(VPC_EGRESS, "out"))] },
        ],
        [
            "blocks an egress SecurityGroupRule with an unreadable block, linked by ID",
            [
                gateway({ securityGroupIds: ["sg-0gateway"] }, {}),
                group(),
                res(SG_RULE, "out", {
                    type: "egress",
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    securityGroupId: "sg-0gateway",
                    cidrBlocks: ["10.0.0.1/8"],
                }),
            ],
            {
                violations: [
                    open(
                        `${SG_RULE} "out"`,
                        '"10.0.0.1/8" (unreadable: host bits set (the network address of /8 is 10.0.0.0))',
                        urnOf(SG_RULE, "out"),
                    ),
                ],
            },
        ],
        [
            "links groups and rules by ID only to their own group, and never by an empty ID",
            [
                gateway({ securityGroupIds: ["", "sg-0gateway"] }, {}),
                group(),
                res(SG, "app", { id: "sg-0app", egress: [{ protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] }),
                res(SG, "blank", { id: "", egress: [{ protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] }),
                res(SG_RULE, "app-out", {
                    type: "egress",
                    protocol: "-1",
                    securityGroupId: "sg-0app",
                    cidrBlocks: ["0.0.0.0/0"],
                }),
                res(SG_RULE, "blank-out", {
                    type: "egress",
                    protocol: "-1",
                    securityGroupId: "",
                    cidrBlocks: ["0.0.0.0/0"],
                }),
                res(VPC_EGRESS, "gw-out", {
                    ipProtocol: "tcp",
                    securityGroupId: "sg-0gateway",
                    cidrIpv4: "8.8.8.8/32",
                }),
            ],
            { violations: [open(`${VPC_EGRESS} "gw-out"`, "8.8.8.8/32", urnOf(VPC_EGRESS, "gw-out"))] },
        ],
        [
            "does not link a rule by ID when the engine says it depends on another group",
            [
                gateway(),
                group(),
                res(SG, "app", {}),
                egressRule(
                    { securityGroupId: "sg-0gateway", cidrIpv4: "0.0.0.0/0" },
                    { securityGroupId: ["app"] },
                ),
            ],
            NONE,
        ],
        [
            "ignores an ingress SecurityGroupRule of the group",
            [
                gateway(),
                group(),
                res(SG_RULE, "in", {
                    type: "ingress",
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    cidrBlocks: ["0.0.0.0/0"],
                }),
            ],
            NONE,
        ],
        [
            "ignores open egress of another group of the stack",
            [
                gateway(),
                group(),
                res(SG, "app", {
                    id: "sg-0app",
                    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
                }),
                egressRule({ cidrIpv4: "0.0.0.0/0" }, { securityGroupId: ["app"] }),
            ],
            NONE,
        ],
        [
            "blocks a gateway without security groups",
            [gateway({}, {})],
            {
                violations: [
                    {
                        message: `${RESOURCE_GATEWAY} "db" names no securityGroupIds, so no security group of the stack bounds where it connects. Fix: give it its own security group whose egress reaches only the proxy's security group on the engine port.`,
                        urn: urnOf(RESOURCE_GATEWAY, "db"),
                    },
                ],
            },
        ],
        [
            "leaves a group from outside the stack alone",
            [gateway({ securityGroupIds: ["sg-0shared"] }, {})],
            NONE,
        ],
        [
            "judges nothing in a stack without a resource gateway",
            [group({ egress: [{ protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] })],
            NONE,
        ],
    ];
    for (const [title, resources, expected] of table) {
        it(title, async () => {
            assert.deepEqual(await run(resources), expected);
        });
    }
    it("judges the known egress rules next to an unknown block, then reports that it could not finish", async () => {
        const outcome = await run([
            gateway(),
            group({ egress: [{ protocol: "tcp", cidrBlocks: [UNKNOWN.string] }] }),
            egressRule({ cidrIpv4: "0.0.0.0/0" }, { securityGroupId: ["gateway"] }),
        ]);
        assert.deepEqual(outcome.violations, [
            open(`${VPC_EGRESS} "out"`, "0.0.0.0/0", urnOf(VPC_EGRESS, "out")),
        ]);
        assert.ok(outcome.unknown !== undefined);
    });
});

describe("policy pack in-process: the Lattice rules, whole pack", () => {
    const pack = useInProcessPack();
    it("passes the Lattice path's producer and consumer resources with no diagnostic from any policy", async () => {
        const resources = [
            configuration({ allowAssociationToShareableServiceNetwork: false }),
            res(RAM_PRINCIPAL, "consumer", {
                principal: "111122223333",
                resourceShareArn: "arn:aws:ram:share",
            }),
            resourceEndpoint(),
            res(SG, "gateway", {}),
            {
                type: RESOURCE_GATEWAY,
                name: "db",
                props: { vpcId: "vpc-0db", subnetIds: ["subnet-a", "subnet-b"] },
                propertyDependencies: { securityGroupIds: [urnOf(SG, "gateway")] },
            },
            {
                type: VPC_EGRESS,
                name: "to-proxy",
                props: {
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    referencedSecurityGroupId: "sg-0proxy",
                },
                propertyDependencies: { securityGroupId: [urnOf(SG, "gateway")] },
            },
        ];
        for (const r of resources) {
            assert.deepEqual(await pack().analyze(r), []);
        }
        assert.deepEqual(await pack().analyzeStack(resources), []);
    });
});

describeConstructs(
    "policy pack in-process: the Lattice rules, ways around them",
    [
        {
            group: "sharing a database with principals the stack does not name",
            constructs: [
                {
                    title: "a RAM principal association with *",
                    resources: [
                        res(RAM_PRINCIPAL, "all", { principal: "*", resourceShareArn: "arn:aws:ram:share" }),
                    ],
                    caughtBy: "ram-share-named-principals",
                },
                {
                    title: "a wildcard account in an exclusive association",
                    resources: [
                        res(RAM_EXCLUSIVE, "all", {
                            principals: ["arn:aws:iam::*:root"],
                            resourceShareArn: "arn:aws:ram:share",
                        }),
                    ],
                    caughtBy: "ram-share-named-principals",
                },
                {
                    title: "a Lattice resource policy granting {AWS: *} without a condition",
                    resources: [
                        res(LATTICE_POLICY, "all", {
                            resourceArn: RC_ARN,
                            policy: JSON.stringify({
                                Statement: [
                                    {
                                        Effect: "Allow",
                                        Principal: { AWS: ["*"] },
                                        Action: "*",
                                        Resource: "*",
                                    },
                                ],
                            }),
                        }),
                    ],
                    caughtBy: "lattice-resource-policy-no-open-grant",
                },
                {
                    title: "a resource configuration that may join a shareable service network",
                    resources: [configuration({ allowAssociationToShareableServiceNetwork: "1" })],
                    caughtBy: "lattice-database-resource-configuration",
                },
            ],
        },
        {
            group: "names a consumer's VPC answers for the producer",
            constructs: [
                {
                    title: "a Resource endpoint with ALL_DOMAINS",
                    resources: [resourceEndpoint({ dnsOptions: { privateDnsPreference: "ALL_DOMAINS" } })],
                    caughtBy: "resource-endpoint-private-dns-domains",
                },
                {
                    title: "a Resource endpoint specifying the region's whole RDS domain",
                    resources: [
                        resourceEndpoint({
                            dnsOptions: {
                                privateDnsPreference: "SPECIFIED_DOMAINS_ONLY",
                                privateDnsSpecifiedDomains: ["eu-west-1.rds.amazonaws.com"],
                            },
                        }),
                    ],
                    caughtBy: "resource-endpoint-private-dns-domains",
                },
                {
                    title: "a Resource endpoint with private DNS off given as a string, and no zone",
                    resources: [resourceEndpoint({ privateDnsEnabled: "False", dnsOptions: undefined })],
                    caughtBy: "database-endpoint-private-dns",
                },
                {
                    title: "a custom domain name the proxy's certificate does not cover",
                    resources: [configuration({ customDomainName: "db.internal.example" })],
                    caughtBy: "lattice-database-resource-configuration",
                },
                {
                    title: "a resource gateway whose group allows egress to the internet in two /1s",
                    resources: [
                        { type: SG, name: "gateway", props: {} },
                        {
                            type: RESOURCE_GATEWAY,
                            name: "db",
                            props: { vpcId: "vpc-0db", subnetIds: ["subnet-a"] },
                            propertyDependencies: { securityGroupIds: [urnOf(SG, "gateway")] },
                        },
                        {
                            type: VPC_EGRESS,
                            name: "half",
                            props: { ipProtocol: "-1", cidrIpv4: "128.0.0.0/1" },
                            propertyDependencies: { securityGroupId: [urnOf(SG, "gateway")] },
                        },
                    ],
                    caughtBy: "resource-gateway-egress-private",
                },
                {
                    title: "a port range around the engine port",
                    resources: [configuration({ portRanges: ["5000-6000"] })],
                    caughtBy: "lattice-database-resource-configuration",
                },
            ],
        },
    ],
    [
        {
            group: "what the Lattice path builds, and look-alikes",
            constructs: [
                { title: "the writer's resource configuration", resources: [configuration()] },
                {
                    title: "a share with an organization, an OU and an account",
                    resources: [
                        res(RAM_EXCLUSIVE, "share", {
                            principals: [ORG, OU, "111122223333"],
                            resourceShareArn: "arn:aws:ram:share",
                        }),
                    ],
                },
                {
                    title: "the consumer's Resource endpoint for the writer and read-only names",
                    resources: [resourceEndpoint()],
                },
                {
                    title: "a resource policy whose * is bounded by aws:PrincipalOrgID",
                    resources: [
                        res(LATTICE_POLICY, "org", {
                            resourceArn: RC_ARN,
                            policy: JSON.stringify({
                                Statement: [
                                    {
                                        Effect: "Allow",
                                        Principal: "*",
                                        Action: "*",
                                        Resource: "*",
                                        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
                                    },
                                ],
                            }),
                        }),
                    ],
                },
            ],
        },
    ],
);
