import * as assert from "node:assert/strict";
import { EXIT_USAGE, parseCli, runCli } from "../../components/target-sync/cli";

const ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/writer/0123456789abcdef";
const base = [
    "--target-group-arn",
    ARN,
    "--proxy-name",
    "app",
    "--proxy-subnet-ids",
    "subnet-0123456789abcdef0,subnet-0123456789abcdef1",
    "--proxy-security-group-ids",
    "sg-0123456789abcdef0",
];

describe("target-sync CLI argument parsing", () => {
    it("applies the documented defaults", () => {
        const parsed = parseCli(base, { AWS_REGION: "eu-west-1" });
        assert.deepEqual(parsed, {
            inputs: {
                targetGroupArn: ARN,
                proxyName: "app",
                proxySubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
                proxySecurityGroupIds: ["sg-0123456789abcdef0"],
                source: "eni",
                missesBeforeDeregister: 3,
                region: "eu-west-1",
            },
            dryRun: false,
            json: false,
        });
    });

    it("leaves the proxy's subnets and security groups to RDS when they are not given", () => {
        const parsed = parseCli(["--target-group-arn", ARN, "--proxy-name", "app"], {
            AWS_REGION: "eu-west-1",
        });
        assert.deepEqual(parsed, {
            inputs: {
                targetGroupArn: ARN,
                proxyName: "app",
                source: "eni",
                missesBeforeDeregister: 3,
                region: "eu-west-1",
            },
            dryRun: false,
            json: false,
        });
    });

    const usage: [string, string[], string][] = [
        ["an unknown option", [...base, "--force"], "Unknown option '--force'"],
        [
            "a non-numeric port",
            [...base, "--port", "abc"],
            'Option --port is "abc", but it must be a TCP port from 1 to 65535. Pass such a value, for example --port 5432.',
        ],
        [
            "a bad source",
            [...base, "--source", "api"],
            'Option --source is "api", but it must be one of "eni", "dns". Pass such a value, for example --source dns.',
        ],
        [
            "a zero threshold",
            [...base, "--misses-before-deregister", "0"],
            'Option --misses-before-deregister is "0", but it must be a whole number from 1 to 100. Pass such a value, ' +
                "for example --misses-before-deregister 3.",
        ],
        [
            "dns without endpoint",
            [...base, "--source", "dns"],
            'Option --proxy-endpoint is not set, but it is required when source is "dns". Pass such a value, for example ' +
                "--proxy-endpoint db.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com.",
        ],
        [
            "no region anywhere",
            base,
            "Option --region is not set, but it must be an AWS region code. Pass such a value, for example --region eu-west-1.",
        ],
        [
            "a threshold beyond the stack's range",
            [...base, "--region", "eu-west-1", "--misses-before-deregister", "100000"],
            'Option --misses-before-deregister is "100000", but it must be a whole number from 1 to 100.',
        ],
        [
            "a missing target group",
            ["--proxy-name", "app", "--vpc-id", "vpc-0123456789abcdef0", "--region", "eu-west-1"],
            "Option --target-group-arn is not set, but it must be an ELBv2 target group ARN",
        ],
        [
            "a DNS server that only looks like an address",
            [
                ...base,
                "--region",
                "eu-west-1",
                "--source",
                "dns",
                "--proxy-endpoint",
                "a.proxy-x.eu-west-1.rds.amazonaws.com",
                "--dns-server",
                "999.1.1.1:53",
            ],
            'Option --dns-server is "999.1.1.1:53", but it must be an IP address with an optional port: IPV4[:PORT] or ' +
                "[IPV6]:PORT. Pass such a value, for example --dns-server 10.0.0.2:53.",
        ],
        [
            "a malformed security group",
            [...base, "--region", "eu-west-1", "--proxy-security-group-ids", "sg-1,sg-1"],
            'Option --proxy-security-group-ids is "sg-1,sg-1", but it must be one or more distinct security group IDs',
        ],
    ];
    for (const [name, argv, message] of usage) {
        it(`exits ${EXIT_USAGE} naming the option on ${name}`, async () => {
            const err: string[] = [];
            const code = await runCli(argv, { out: () => undefined, err: (l) => err.push(l), env: {} });
            assert.equal(code, EXIT_USAGE);
            assert.ok(err[0].includes(message), `expected "${message}" in: ${err.join("\n")}`);
        });
    }
});
