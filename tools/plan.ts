// npm run plan — what each stack would create, without AWS and without the Pulumi CLI (as `cdk synth` does for the
// CDK): the resource tree, each resource's security-relevant inputs, the program's warnings and the stack outputs.
//
// The stacks are recorded under Pulumi's mocks (tools/recording): lookups are synthesized offline from the stack
// file, and values only AWS computes (IDs, ARNs, endpoint names) are placeholders. The app-account stack is
// recorded against the contract the db-account stack exported, as policy:check does.
import { EXIT_OK, parseCommandLine, UsageError, runTool, stackFiles, type Command } from "./cli/options";
import { toWire } from "./policy/recorded";
import type { RecordedResource } from "./recording/harness";
import { STACK_NAMES, type StackName } from "./recording/stack-files";
import { recordBothStacks, type RecordedStack } from "./recording/stacks";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

export const PLAN: Command = {
    invocation: "npm run plan --",
    usage: `Usage: npm run plan -- [--stack db-account|app-account] [--stack-config <stack>=<file>]... [--json]

Shows what each stack would create, without an AWS account and without the Pulumi CLI: the resource tree
(type and name, indented under its parent), each resource's security-relevant inputs, the program's warnings
and the stack outputs. The stacks run offline under Pulumi's mocks: lookups (AZs, subnets, VPCs, route tables,
security groups) are synthesized offline, and values only AWS computes (IDs, ARNs, endpoint names) are
placeholders. The app-account stack is planned against the contract the db-account stack would export.

Options:
  --stack <stack>                 Only this stack: db-account or app-account. Default: both, db-account first.
  --stack-config <stack>=<file>   Plan stack db-account or app-account with this stack file instead of
                                  Pulumi.<stack>.yaml (plain values only, no secure: entries). Repeatable.
  --json                          Machine-readable output (one JSON document).
  -h, --help                      Print this help.

Exit codes: 0 planned, 1 a stack the program refused (its message is printed), 2 a usage error.
`,
    options: {
        stack: { type: "string" },
        "stack-config": { type: "string", multiple: true },
        json: { type: "boolean" },
    },
};

/** What the top of the plan says about where its values come from. */
export const PLAN_NOTE =
    "Planned offline under Pulumi's mocks: no AWS account and no Pulumi CLI were used. Lookups (AZs, subnets, " +
    "VPCs, route tables, security groups) were synthesized offline; values only AWS computes (IDs, ARNs, " +
    "endpoint names) are placeholders.";

/** Inputs shown for each resource, whatever its type: those that decide who can reach what, and how. */
export const SECURITY_INPUTS: readonly string[] = [
    "allowedAccountIds",
    "region",
    "cidrBlock",
    "availabilityZoneNames",
    "enableDnsSupport",
    "enableDnsHostnames",
    "natGateways",
    "ingress",
    "egress",
    "ipProtocol",
    "fromPort",
    "toPort",
    "cidrIpv4",
    "cidrIpv6",
    "prefixListId",
    "referencedSecurityGroupId",
    "engine",
    "publiclyAccessible",
    "storageEncrypted",
    "iamDatabaseAuthenticationEnabled",
    "deletionProtection",
    "parameters",
    "requireTls",
    "defaultAuthScheme",
    "auths",
    "internal",
    "loadBalancerType",
    "port",
    "protocol",
    "targetType",
    "acceptanceRequired",
    "allowedPrincipals",
    "serviceName",
    "vpcEndpointType",
    "privateDnsEnabled",
    "name",
    "vpcs",
    "aliases",
    "enableKeyRotation",
    "serverSideEncryption",
    "assumeRolePolicy",
    "policy",
    "principal",
    "sourceArn",
    "environment",
];

/** One resource of the plan. */
export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    /** `type::name` of the parent component; null at the top of the stack. */
    readonly parent: string | null;
    /** The security-relevant inputs it was given (of `SECURITY_INPUTS`), secrets as "[secret]". */
    readonly inputs: Record<string, unknown>;
}

/** One stack of the plan. */
export interface PlannedStack {
    readonly stack: StackName;
    /** The stack file the config came from. */
    readonly file: string;
    readonly resources: PlannedResource[];
    readonly warnings: string[];
    readonly outputs: Record<string, unknown>;
}

/** A value as the plan shows it: wire form, secrets hidden, JSON policy documents parsed. */
function shown(value: unknown): unknown {
    const wire = toWire(value);
    const hide = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(hide);
        if (v !== null && typeof v === "object") {
            const record = v as Record<string, unknown>;
            if (record[specialSigKey] === specialSecretSig) return "[secret]";
            return Object.fromEntries(Object.entries(record).map(([k, x]) => [k, hide(x)]));
        }
        if (typeof v === "string" && v.startsWith("{")) {
            try {
                return JSON.parse(v) as unknown;
            } catch {
                return v;
            }
        }
        return v;
    };
    return hide(wire);
}

/** The parent of a resource: the resource whose URN is the child's type chain minus its last type. */
function parentOf(
    resource: RecordedResource,
    all: readonly RecordedResource[],
): RecordedResource | undefined {
    const chain = resource.urn.split("::")[2]?.split("$") ?? [];
    if (chain.length < 2) return undefined;
    const parentChain = chain.slice(0, -1).join("$");
    const candidates = all.filter((r) => r !== resource && r.urn.split("::")[2] === parentChain);
    // Children are named after their parent (`${name}-proxy`): the longest matching name is the parent.
    return candidates
        .filter((c) => resource.name.startsWith(c.name))
        .sort((a, b) => b.name.length - a.name.length)[0];
}

/** The plan of one recorded stack. */
export function planOf(stack: StackName, file: string, recorded: RecordedStack): PlannedStack {
    const all = recorded.run.resources;
    const resources = all.map((r) => {
        const parent = parentOf(r, all);
        const inputs: Record<string, unknown> = {};
        for (const key of SECURITY_INPUTS) {
            if (r.inputs[key] !== undefined) inputs[key] = shown(r.inputs[key]);
        }
        return {
            type: r.type,
            name: r.name,
            parent: parent === undefined ? null : `${parent.type}::${parent.name}`,
            inputs,
        };
    });
    return {
        stack,
        file,
        resources,
        warnings: [...recorded.warnings],
        outputs: shown(recorded.run.outputs) as Record<string, unknown>,
    };
}

function compact(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** The plan of one stack as text: the tree, two spaces per level, inputs under each resource. */
export function renderStack(plan: PlannedStack): string[] {
    const lines = [`== ${plan.stack} (${plan.file}): ${plan.resources.length} resources`];
    const walk = (parent: string | null, depth: number) => {
        for (const r of plan.resources.filter((x) => x.parent === parent)) {
            const indent = "  ".repeat(depth);
            lines.push(`${indent}${r.type} ${r.name}`);
            for (const [key, value] of Object.entries(r.inputs)) {
                lines.push(`${indent}    ${key}: ${compact(value)}`);
            }
            walk(`${r.type}::${r.name}`, depth + 1);
        }
    };
    walk(null, 0);
    lines.push(`Warnings: ${plan.warnings.length === 0 ? "none" : ""}`.trimEnd());
    for (const w of plan.warnings) lines.push(`  - ${w}`);
    lines.push("Outputs:");
    for (const [key, value] of Object.entries(plan.outputs)) lines.push(`  ${key}: ${compact(value)}`);
    return lines;
}

async function main(argv: readonly string[]): Promise<number> {
    const values = parseCommandLine(PLAN, argv);
    if (values === undefined) {
        process.stdout.write(PLAN.usage);
        return EXIT_OK;
    }
    const only = values.stack as string | undefined;
    if (only !== undefined && !STACK_NAMES.includes(only as StackName)) {
        throw new UsageError(`--stack is "${only}"; use db-account or app-account.`);
    }
    const files = stackFiles(values["stack-config"] as string[] | undefined);
    const recorded = await recordBothStacks(files);
    const plans = STACK_NAMES.filter((s) => only === undefined || s === only).map((s) =>
        planOf(
            s,
            files[s] ?? `Pulumi.${s}.yaml`,
            s === "db-account" ? recorded.dbAccount : recorded.appAccount,
        ),
    );
    if (values.json === true) {
        console.log(JSON.stringify({ note: PLAN_NOTE, stacks: plans }, null, 2));
    } else {
        console.log([PLAN_NOTE, "", ...plans.flatMap((p) => [...renderStack(p), ""])].join("\n").trimEnd());
    }
    return EXIT_OK;
}

if (require.main === module) {
    runTool(() => main(process.argv.slice(2)));
}
