// `npm run policy:check` end to end, as a pull-request job runs it: a separate process, no cloud credentials, no
// Pulumi CLI. Its exit code is what blocks a pull request.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

function policyCheck(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const env = { ...process.env };
    for (const key of Object.keys(env)) {
        if (key.startsWith("AWS_") || key === "PULUMI_ACCESS_TOKEN") {
            delete env[key];
        }
    }
    const result = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.join("tools", "policy-check.ts"), ...args],
        { cwd: ROOT, env, encoding: "utf8" },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run policy:check", function () {
    this.timeout(180_000);

    it("passes both stacks without credentials and says so", () => {
        const result = policyCheck();
        assert.equal(result.status, 0, result.stderr);
        const lines = result.stdout.trim().split("\n");
        assert.match(lines[0], /^db-account: \d+ resources, 0 diagnostics$/);
        assert.match(lines[1], /^app-account: \d+ resources, 0 diagnostics$/);
        assert.equal(lines[2], "policy:check passed: no mandatory violations, 0 other diagnostic(s).");
        assert.equal(lines.length, 3);
    });

    it("fails with each violation when a stack's config breaks a rule", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
        const file = path.join(dir, "Pulumi.app-account.yaml");
        const example = fs.readFileSync(path.join(ROOT, "Pulumi.app-account.yaml"), "utf8");
        assert.match(example, /^ {2}rds-cross-account:privateDns: true$/m);
        fs.writeFileSync(file, example.replace(/^( {2}rds-cross-account:privateDns:) true$/m, "$1 false"));
        try {
            const result = policyCheck("--stack-config", `app-account=${file}`);
            assert.equal(result.status, 1, result.stderr);
            const lines = result.stdout.trim().split("\n");
            assert.match(lines[0], /^db-account: \d+ resources, 0 diagnostics$/);
            assert.match(lines[1], /^app-account: \d+ resources, 1 diagnostics$/);
            assert.match(
                lines[2],
                /^ {2}\[mandatory\] database-endpoint-private-dns on urn:pulumi:app-account::rds-cross-account::.*aws:ec2\/vpcEndpoint:VpcEndpoint::app-account-endpoint-vpce$/,
            );
            assert.equal(
                lines[3],
                "    Interface endpoints to a database endpoint service, and Resource endpoints without private DNS, need a private hosted zone that answers the proxy's hostname, so clients can use sslmode=verify-full.",
            );
            assert.match(
                lines[4],
                /^ {4}aws:ec2\/vpcEndpoint:VpcEndpoint "app-account-endpoint-vpce" connects to the database endpoint service com\.amazonaws\.vpce\.eu-west-1\.vpce-svc-0123456789abcdef0, but the stack has no private hosted zone/,
            );
            assert.equal(lines[5], "policy:check failed: 1 mandatory violation(s), 0 other diagnostic(s).");
            assert.equal(lines.length, 6);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("stops with a clear message on a malformed --stack-config", () => {
        const result = policyCheck("--stack-config", "prod=Pulumi.prod.yaml");
        assert.equal(result.status, 2);
        assert.equal(
            result.stderr.trim(),
            '--stack-config needs <stack>=<file> with stack db-account or app-account; received "prod=Pulumi.prod.yaml".',
        );
    });

    it("stops with a clear message on a policy config with an unknown enforcement level", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
        const file = path.join(dir, "config.json");
        fs.writeFileSync(file, JSON.stringify({ "rds-no-public-access": "strict" }));
        try {
            const result = policyCheck("--policy-pack-config", file);
            assert.equal(result.status, 2);
            assert.equal(
                result.stderr.trim(),
                `${file}: rds-no-public-access is "strict"; use one of advisory, mandatory, remediate, disabled.`,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("stops with a clear message on a config for a policy the pack does not have", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
        const file = path.join(dir, "config.json");
        fs.writeFileSync(file, JSON.stringify({ "no-such-policy": "advisory" }));
        try {
            const result = policyCheck("--policy-pack-config", file);
            assert.equal(result.status, 2);
            assert.equal(result.stderr.trim(), "The pack has no policy named no-such-policy.");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("passes a db-account stack file with an existing VPC and arbitrary subnet IDs (lookups synthesized offline)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
        const file = path.join(dir, "Pulumi.db-account.yaml");
        const example = fs.readFileSync(path.join(ROOT, "Pulumi.db-account.yaml"), "utf8");
        const newVpc = "  rds-cross-account:network:\n    cidrBlock: 10.20.0.0/16\n    azCount: 3\n";
        assert.ok(example.includes(newVpc));
        fs.writeFileSync(
            file,
            example.replace(
                newVpc,
                "  rds-cross-account:network:\n    vpcId: vpc-0123456789abcdef0\n" +
                    "    subnetIds: [subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2, subnet-0ccccccccccccccc3]\n",
            ),
        );
        try {
            const result = policyCheck("--stack-config", `db-account=${file}`);
            assert.equal(result.status, 0, result.stderr);
            const lines = result.stdout.trim().split("\n");
            assert.match(lines[0], /^db-account: \d+ resources, 0 diagnostics$/);
            assert.match(lines[1], /^app-account: \d+ resources, 0 diagnostics$/);
            assert.equal(lines[2], "policy:check passed: no mandatory violations, 0 other diagnostic(s).");
            assert.equal(lines.length, 3);
            assert.equal(result.stderr, "");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("prints its usage on --help and exits 0", () => {
        const result = policyCheck("--help");
        assert.equal(result.status, 0, result.stderr);
        assert.match(
            result.stdout,
            /^Usage: npm run policy:check -- \[--policy-pack-config <file\.json>\] \[--stack-config <stack>=<file>\]\.\.\.\n/,
        );
        for (const option of [
            "--policy-pack-config <file.json>",
            "--stack-config <stack>=<file>",
            "-h, --help",
        ]) {
            assert.ok(result.stdout.includes(`  ${option}`), option);
        }
        assert.ok(result.stdout.includes("synthesized offline"));
        assert.equal(result.stderr, "");
    });

    const usageErrors: Array<[string, string[], string]> = [
        [
            "an unknown option",
            ["--policy-config", "x.json"],
            "Unknown option --policy-config. Run npm run policy:check -- --help for usage.",
        ],
        [
            "--stack-config without a value",
            ["--stack-config"],
            "Option --stack-config needs a value. Run npm run policy:check -- --help for usage.",
        ],
        [
            "--policy-pack-config without a value",
            ["--policy-pack-config"],
            "Option --policy-pack-config needs a value. Run npm run policy:check -- --help for usage.",
        ],
        [
            "a positional argument",
            ["db-account"],
            'Unexpected argument "db-account": this command takes options only. Run npm run policy:check -- --help for usage.',
        ],
        [
            "a missing --policy-pack-config file",
            ["--policy-pack-config", "no-such-config.json"],
            "--policy-pack-config names no-such-config.json, which cannot be read (ENOENT).",
        ],
        [
            "a missing --stack-config file",
            ["--stack-config", "db-account=Pulumi.no-such.yaml"],
            "--stack-config names Pulumi.no-such.yaml, which cannot be read (ENOENT).",
        ],
        [
            "a --stack-config that is a directory",
            ["--stack-config", "app-account=docs"],
            "--stack-config names docs, which cannot be read (not a file).",
        ],
        [
            "the same stack given twice",
            [
                "--stack-config",
                "db-account=Pulumi.db-account.yaml",
                "--stack-config",
                "db-account=Pulumi.db-account.yaml",
            ],
            "--stack-config is given twice for db-account; give one file per stack.",
        ],
    ];
    for (const [what, args, message] of usageErrors) {
        it(`exits 2 naming the option on ${what}`, () => {
            const result = policyCheck(...args);
            assert.equal(result.status, 2);
            assert.equal(result.stderr.trim(), message);
            assert.equal(result.stdout, "");
        });
    }
});
