// npm run policy:check — the policy check for pull requests that get no cloud secrets (such as those from forks).
//
// Records both stacks under Pulumi's mocks (no cloud credentials, no Pulumi CLI; lookups are synthesized offline),
// serves the policy pack through the same runner and gRPC analyzer interface `pulumi preview --policy-pack
// policy-pack` uses, sends Analyze for every resource and AnalyzeStack for each stack, prints every diagnostic and
// exits 1 when any is mandatory. What it cannot see is listed in docs/policy.md: values only the provider or AWS
// computes are placeholders, and the engine's property dependencies are absent.
import {
    EXIT_FAILED,
    EXIT_OK,
    parseCommandLine,
    readableFile,
    runTool,
    stackFiles,
    type Command,
} from "./cli/options";
import { PolicyPackProcess } from "./policy/analyzer";
import { checkStack } from "./policy/check";
import { readPolicyConfig } from "./policy/pack-config";
import { analyzerView } from "./policy/recorded";
import { recordBothStacks } from "./recording/stacks";

export const POLICY_CHECK: Command = {
    invocation: "npm run policy:check --",
    usage: `Usage: npm run policy:check -- [--policy-pack-config <file.json>] [--stack-config <stack>=<file>]...

Records both stacks offline under Pulumi's mocks (no AWS account, no Pulumi CLI; lookups such as subnets and
AZs are synthesized offline), runs the policy pack over them as \`pulumi preview --policy-pack policy-pack\` would,
and prints every diagnostic.

Options:
  --policy-pack-config <file.json>  Policy settings, in the format \`pulumi preview --policy-pack-config\` takes:
                                    policy name to an enforcement level, or to an object with enforcementLevel
                                    and the policy's settings.
  --stack-config <stack>=<file>     Check stack db-account or app-account with this stack file instead of
                                    Pulumi.<stack>.yaml (plain values only, no secure: entries). Repeatable.
  -h, --help                        Print this help.

Exit codes: 0 no mandatory violation, 1 a mandatory violation or a stack the program refused, 2 a usage error or
the check could not run.
`,
    options: {
        "policy-pack-config": { type: "string" },
        "stack-config": { type: "string", multiple: true },
    },
};

async function main(argv: readonly string[]): Promise<number> {
    const values = parseCommandLine(POLICY_CHECK, argv);
    if (values === undefined) {
        process.stdout.write(POLICY_CHECK.usage);
        return EXIT_OK;
    }
    const configFile = values["policy-pack-config"] as string | undefined;
    const config =
        configFile === undefined ? {} : readPolicyConfig(readableFile("--policy-pack-config", configFile));
    const stacks = await recordBothStacks(stackFiles(values["stack-config"] as string[] | undefined));
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
    return mandatory > 0 ? EXIT_FAILED : EXIT_OK;
}

if (require.main === module) {
    runTool(() => main(process.argv.slice(2)));
}
