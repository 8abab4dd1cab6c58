import * as assert from "node:assert/strict";
import {
    diffInputs,
    hasDrift,
    pickInputs,
    UNKNOWN,
    validateInputs,
    type TargetRegistrationInputs,
} from "../../components/target-sync/provider";
import { parseDnsServer } from "../../components/target-sync/sources/dns";
import { proxyEniDescription } from "../../components/target-sync/sources/eni";

const ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/writer/0123456789abcdef";
const good: TargetRegistrationInputs = {
    targetGroupArn: ARN,
    port: 5432,
    source: "eni",
    proxyName: "app-proxy",
    vpcId: "vpc-0123456789abcdef0",
    missesBeforeDeregister: 3,
    region: "eu-west-1",
};

describe("target-sync dynamic provider: check (validateInputs)", () => {
    it("accepts valid eni and dns inputs", () => {
        assert.deepEqual(validateInputs(good), []);
        assert.deepEqual(
            validateInputs({
                ...good,
                source: "dns",
                vpcId: undefined,
                proxyEndpoint: "app-proxy.proxy-abc.eu-west-1.rds.amazonaws.com",
                dnsServer: "127.0.0.1:5353",
                assumeRoleArn: "arn:aws:iam::123456789012:role/deployer",
                stateTableName: "sync-state-1",
            }),
            [],
        );
    });

    it("skips values that are unknown during preview", () => {
        assert.deepEqual(
            validateInputs({ ...good, targetGroupArn: UNKNOWN, vpcId: UNKNOWN, port: UNKNOWN }),
            [],
        );
    });

    const table: [string, Record<string, unknown>, [string, string][]][] = [
        [
            "reports every missing required input at once",
            {},
            [
                ["targetGroupArn", "targetGroupArn is required."],
                ["port", "port is required."],
                ["source", 'source is required ("eni" or "dns").'],
                ["proxyName", "proxyName is required."],
                ["missesBeforeDeregister", "missesBeforeDeregister is required."],
                ["region", "region is required."],
            ],
        ],
        [
            "names the bad value and what is allowed",
            { ...good, port: 70000, source: "route53", missesBeforeDeregister: 0, region: "Ireland" },
            [
                ["port", "port must be an integer from 1 to 65535, got 70000."],
                ["source", 'source must be "eni" or "dns", got "route53".'],
                ["missesBeforeDeregister", "missesBeforeDeregister must be an integer of at least 1, got 0."],
                ["region", 'region must be an AWS region such as eu-west-1, got "Ireland".'],
            ],
        ],
        [
            "eni needs the VPC, dns needs the endpoint",
            { ...good, vpcId: undefined },
            [["vpcId", 'vpcId is required when source is "eni".']],
        ],
        [
            "dns without endpoint",
            { ...good, source: "dns" },
            [["proxyEndpoint", 'proxyEndpoint is required when source is "dns".']],
        ],
        [
            "malformed identifiers",
            {
                ...good,
                targetGroupArn: "tg-1",
                proxyName: "bad--name",
                vpcId: "vpc-x",
                assumeRoleArn: "deployer",
                dnsServer: "127.0.0.1:99999",
            },
            [
                [
                    "targetGroupArn",
                    'targetGroupArn must be an ELBv2 target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID), got "tg-1".',
                ],
                [
                    "proxyName",
                    'proxyName must be an RDS Proxy name (1-63 letters, digits and single hyphens, starting with a letter), got "bad--name".',
                ],
                ["vpcId", 'vpcId must look like vpc-0123456789abcdef0, got "vpc-x".'],
                [
                    "dnsServer",
                    'dnsServer must be HOST or HOST:PORT (such as 10.0.0.2:53), got "127.0.0.1:99999".',
                ],
                [
                    "assumeRoleArn",
                    'assumeRoleArn must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME), got "deployer".',
                ],
            ],
        ],
    ];
    for (const [name, inputs, expected] of table) {
        it(name, () => {
            assert.deepEqual(
                validateInputs(inputs).map((p) => [p.property, p.reason]),
                expected,
            );
        });
    }
});

describe("target-sync dynamic provider: diff logic", () => {
    it("no input change: no changes, no replacement", () => {
        assert.deepEqual(diffInputs(good, { ...good }), { changed: [], replaces: [], unknown: false });
    });

    it("proxy name, source or threshold changes are updates", () => {
        const d = diffInputs(good, { ...good, proxyName: "other", missesBeforeDeregister: 5 });
        assert.deepEqual(d, {
            changed: ["proxyName", "missesBeforeDeregister"],
            replaces: [],
            unknown: false,
        });
    });

    it("another target group, port or region replaces", () => {
        const d = diffInputs(good, {
            ...good,
            targetGroupArn: `${ARN}0`,
            port: 3306,
            region: "eu-central-1",
        });
        assert.deepEqual(d.replaces, ["targetGroupArn", "port", "region"]);
    });

    it("an unknown new input is a change without a lookup", () => {
        const d = diffInputs(good, { ...good, proxyName: UNKNOWN });
        assert.deepEqual(d, { changed: ["proxyName"], replaces: [], unknown: true });
    });

    it("drift is any registration, deregistration or kept missing IP", () => {
        assert.equal(hasDrift({ registered: [], deregistered: [], kept: [] }), false);
        assert.equal(hasDrift({ registered: ["10.0.0.1"], deregistered: [], kept: [] }), true);
        assert.equal(
            hasDrift({ registered: [], deregistered: [{ ip: "10.0.0.1", reason: "missed" }], kept: [] }),
            true,
        );
        assert.equal(
            hasDrift({ registered: [], deregistered: [], kept: [{ ip: "10.0.0.1", misses: 1 }] }),
            true,
        );
    });

    it("pickInputs drops outputs and the serialized provider", () => {
        const props = { ...good, targets: ["10.0.0.1"], misses: {}, __provider: "code" };
        assert.deepEqual(pickInputs(props), good);
    });
});

describe("target-sync IP source helpers", () => {
    it("matches the exact RDS Proxy interface description", () => {
        assert.equal(proxyEniDescription("app"), "Network interface for DBProxy app");
    });

    it("parses DNS server addresses", () => {
        assert.deepEqual(parseDnsServer("10.0.0.2"), { host: "10.0.0.2", port: 53 });
        assert.deepEqual(parseDnsServer("127.0.0.1:5353"), { host: "127.0.0.1", port: 5353 });
        assert.deepEqual(parseDnsServer("[::1]:53"), { host: "::1", port: 53 });
        assert.throws(() => parseDnsServer("a b"), {
            message: 'dnsServer must be HOST or HOST:PORT (such as 10.0.0.2:53), got "a b".',
        });
    });
});
