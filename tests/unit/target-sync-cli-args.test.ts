import * as assert from "node:assert/strict";
import { EXIT_USAGE, parseCli, runCli } from "../../components/target-sync/cli";

const ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/writer/0123456789abcdef";
const base = ["--target-group-arn", ARN, "--proxy-name", "app", "--vpc-id", "vpc-0123456789abcdef0"];

describe("target-sync CLI argument parsing", () => {
    it("applies the documented defaults", () => {
        const parsed = parseCli(base, { AWS_REGION: "eu-west-1" });
        assert.deepEqual(parsed, {
            inputs: {
                targetGroupArn: ARN,
                proxyName: "app",
                vpcId: "vpc-0123456789abcdef0",
                source: "eni",
                port: 5432,
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
            '--port: value must be an integer from 1 to 65535, got "abc".',
        ],
        ["a bad source", [...base, "--source", "api"], '--source: value must be "eni" or "dns", got "api".'],
        [
            "a zero threshold",
            [...base, "--misses-before-deregister", "0"],
            "--misses-before-deregister: value must be an integer of at least 1, got 0.",
        ],
        [
            "dns without endpoint",
            [...base, "--source", "dns"],
            '--proxy-endpoint: value is required when source is "dns".',
        ],
        ["no region anywhere", base, "--region: value is required."],
        [
            "a missing target group",
            ["--proxy-name", "app", "--vpc-id", "vpc-0123456789abcdef0", "--region", "eu-west-1"],
            "--target-group-arn: value is required.",
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
