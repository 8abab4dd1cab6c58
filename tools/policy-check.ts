// npm run policy:check — the policy check for pull requests that get no cloud secrets (such as those from forks).
//
// Records both stacks under Pulumi's mocks with their example configs (no cloud credentials, no Pulumi CLI), serves
// the policy pack through the same runner and gRPC analyzer interface `pulumi preview --policy-pack policy-pack`
// uses, sends Analyze for every resource and AnalyzeStack for each stack, prints every diagnostic and exits
// non-zero when any is mandatory. What it cannot see is listed in docs/policy.md: values only the provider or AWS
// computes are mocked, and the engine's property dependencies are absent.
//
// Usage: npm run policy:check [-- [--policy-pack-config <file.json>] [--stack-config <stack>=<Pulumi.<stack>.yaml>]]
// The policy config file has the shape `pulumi preview --policy-pack-config` takes: policy name to an enforcement
// level string, or to an object with `enforcementLevel` and the policy's knobs. `--stack-config` (once per stack,
// db-account or app-account) checks the stack with another stack file than the project's example; the file must
// hold plain values (no secure: entries).
import * as fs from "node:fs";
import { PolicyPackProcess, type EnforcementLevel } from "./policy/analyzer";
import { checkStack } from "./policy/check";
import { analyzerView } from "./policy/recorded";
import { recordBothStacks } from "./recording/stacks";

type PolicyConfig = Record<string, { enforcementLevel?: EnforcementLevel } & Record<string, unknown>>;

const LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

function readConfig(argv: readonly string[]): PolicyConfig {
    const flag = argv.indexOf("--policy-pack-config");
    if (flag < 0) {
        return {};
    }
    const file = argv[flag + 1];
    if (file === undefined) {
        throw new Error(
            "--policy-pack-config needs a file: npm run policy:check -- --policy-pack-config config.json.",
        );
    }
    const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    const config: PolicyConfig = {};
    for (const [policy, value] of Object.entries(raw)) {
        if (typeof value === "string") {
            if (!LEVELS.includes(value)) {
                throw new Error(`${file}: ${policy} is "${value}"; use one of ${LEVELS.join(", ")}.`);
            }
            config[policy] = { enforcementLevel: value as EnforcementLevel };
        } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            config[policy] = value as PolicyConfig[string];
        } else {
            throw new Error(`${file}: ${policy} must be an enforcement level or an object of settings.`);
        }
    }
    return config;
}

function readStackFiles(argv: readonly string[]): Partial<Record<"db-account" | "app-account", string>> {
    const files: Partial<Record<"db-account" | "app-account", string>> = {};
    argv.forEach((arg, i) => {
        if (arg !== "--stack-config") {
            return;
        }
        const value = argv[i + 1] ?? "";
        const eq = value.indexOf("=");
        const stack = value.slice(0, eq);
        const file = value.slice(eq + 1);
        if (eq < 0 || file === "" || (stack !== "db-account" && stack !== "app-account")) {
            throw new Error(
                `--stack-config needs <stack>=<file> with stack db-account or app-account; received "${value}".`,
            );
        }
        files[stack] = file;
    });
    return files;
}

async function main(): Promise<number> {
    const argv = process.argv.slice(2);
    const config = readConfig(argv);
    const stacks = await recordBothStacks(readStackFiles(argv));
    const pack = await PolicyPackProcess.start();
    let mandatory = 0;
    let total = 0;
    try {
        await pack.configure(config);
        for (const [name, stack] of [
            ["db-account", stacks.dbAccount],
            ["app-account", stacks.appAccount],
        ] as const) {
            const diagnostics = await checkStack(pack, analyzerView(stack));
            console.log(
                `${name}: ${stack.run.resources.length} resources, ${diagnostics.length} diagnostics`,
            );
            for (const d of diagnostics) {
                total++;
                if (d.enforcementLevel === "mandatory") {
                    mandatory++;
                }
                console.log(`  [${d.enforcementLevel}] ${d.policyName} on ${d.resource}`);
                for (const line of d.message.split("\n")) {
                    console.log(`    ${line}`);
                }
            }
        }
    } finally {
        await pack.stop();
    }
    console.log(
        mandatory > 0
            ? `policy:check failed: ${mandatory} mandatory violation(s), ${total - mandatory} other diagnostic(s).`
            : `policy:check passed: no mandatory violations, ${total} other diagnostic(s).`,
    );
    return mandatory > 0 ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(2);
    },
);
