/**
 * The `dsql` key of the db-account config: its defaults, the admin principals (named roles and users only), the key
 * refused where it would have no effect, and every problem
 * reported at once with the key, the value, what is allowed and the fix.
 */
import * as assert from "assert";
import { readDbAccountConfig } from "../../stacks/config/db-account";
import { ConfigError } from "../../stacks/config/kit";
import { ConfigSource, Problems } from "../../stacks/config/read";

const F = "Pulumi.db-account.yaml";
const ADMIN = "arn:aws:iam::111111111111:role/dsql-operator";

const minimal: Record<string, unknown> = {
    role: "db-account",
    accountId: "111111111111",
    network: { cidrBlock: "10.20.0.0/16" },
    consumers: [{ name: "app", accountId: "222222222222" }],
};

function source(values: Record<string, unknown>): ConfigSource {
    const stored: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
        if (v !== undefined) stored[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return {
        get: (ns, key) => (ns === "aws" ? (key === "region" ? "eu-west-1" : undefined) : stored[key]),
        keys: () => Object.keys(stored),
    };
}

function read(values: Record<string, unknown>) {
    const problems = new Problems("db-account");
    const config = readDbAccountConfig(problems, source(values));
    try {
        problems.throwIfAny();
        return { config, problems: [] as string[] };
    } catch (err) {
        return { config, problems: (err as ConfigError).problems.map((p) => p.message) };
    }
}

describe("db-account config: dsql", () => {
    it("is off by default, with no admin principals", () => {
        assert.deepStrictEqual(read(minimal).config?.dsql, { enabled: false, adminPrincipals: [] });
    });

    it("reads enabled and the admin principals as set", () => {
        const { config, problems } = read({ ...minimal, dsql: { enabled: true, adminPrincipals: [ADMIN] } });
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(config?.dsql, { enabled: true, adminPrincipals: [ADMIN] });
    });

    it("is accepted with applicationAuth password: DSQL consumers always authenticate with IAM", () => {
        const { config, problems } = read({
            ...minimal,
            applicationAuth: "password",
            dsql: { enabled: true },
        });
        assert.deepStrictEqual(problems, []);
        assert.strictEqual(config?.applicationAuth, "password");
        assert.deepStrictEqual(config?.dsql, { enabled: true, adminPrincipals: [] });
    });

    it("refuses an account root and a wildcard by element, and an empty or repeated list as a whole", () => {
        const principals = (list: string[]) =>
            read({ ...minimal, dsql: { enabled: true, adminPrincipals: list } });
        for (const bad of ["arn:aws:iam::111111111111:root", "*"]) {
            assert.deepStrictEqual(principals([ADMIN, bad]).problems, [
                `Config 'rds-cross-account:dsql.adminPrincipals[1]' is ${JSON.stringify(bad)}, but it must be an IAM role or user ARN (a known partition; names of 1-64 characters; not an account root, not "*"). Set 'dsql.adminPrincipals[1]' in ${F} to such a value, for example "arn:aws:iam::111111111111:role/dsql-operator".`,
            ]);
        }
        for (const bad of [[], [ADMIN, ADMIN]]) {
            assert.strictEqual(principals(bad).problems.length, 1);
            assert.match(
                principals(bad).problems[0],
                /^Config 'rds-cross-account:dsql\.adminPrincipals(\[1\])?' .* a non-empty list of distinct IAM role or user ARNs \(no account root\)/,
            );
        }
    });

    it("refuses admin principals without a cluster, and a bad enabled, at once", () => {
        assert.deepStrictEqual(read({ ...minimal, dsql: { adminPrincipals: [ADMIN] } }).problems, [
            `Config 'rds-cross-account:dsql.adminPrincipals' is ["${ADMIN}"], but without 'dsql.enabled' true there is no DSQL cluster to administer, so it would have no effect. Set 'dsql.enabled' to true in ${F}, or remove 'dsql.adminPrincipals'.`,
        ]);
        assert.deepStrictEqual(read({ ...minimal, dsql: { enabled: "yes", extra: 1 } }).problems.length, 2);
    });

    it("refuses principals whose DSQL role's trust policy would pass IAM's limit, only with DSQL on", () => {
        const many = Array.from(
            { length: 25 },
            (_, i) => `arn:aws:iam::222222222222:role/${"r".repeat(58)}${10 + i}`,
        );
        const values = {
            ...minimal,
            applicationAuth: "password",
            consumers: [{ name: "app", accountId: "222222222222", principals: many }],
        };
        assert.deepStrictEqual(read(values).problems, []);
        const got = read({ ...values, dsql: { enabled: true } }).problems;
        assert.strictEqual(got.length, 1);
        assert.match(
            got[0],
            /^Config 'rds-cross-account:consumers\[0\]\.principals' is \[.*\], but with 'dsql\.enabled' its DSQL connect role's trust policy would be \d+ characters, and AWS allows 2048 \(a role's trust policy \(IAM's default quota\)\)\. List fewer principals in Pulumi\.db-account\.yaml\.$/,
        );
        const admins = many.map((a) => a.replace("222222222222", "111111111111"));
        assert.match(
            read({ ...minimal, dsql: { enabled: true, adminPrincipals: admins } }).problems.join("\n"),
            /^Config 'rds-cross-account:dsql\.adminPrincipals' is .*, but the DSQL admin role's trust policy would be \d+ characters/,
        );
    });
});
