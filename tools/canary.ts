// npm run canary -- --stack app-account: invokes the app-account stack's canary (components/consumer/canary) once,
// synchronously, and prints one line per endpoint it checked. The function's name is the stack's output
// `canaryFunctionName` and its region the stack's `aws:region`, read with the Pulumi CLI (`pulumi stack output --json
// --stack <stack>`, `pulumi config get aws:region --stack <stack>`, run in the project's directory); `--function-name`
// (a name or an ARN) and `--region` skip the Pulumi CLI. Credentials are the AWS SDK's default chain, and the SDK's
// own endpoint resolution (AWS_ENDPOINT_URL_LAMBDA) is left alone.
//
// Lambda Invoke (AWS Lambda API Reference, "Invoke"): InvocationType `RequestResponse` "Invoke the function
// synchronously. Keep the connection open until the function returns a response or times out. The API response
// includes the function response and additional data"; `FunctionError` "If present, indicates that an error occurred
// during function execution. Details about the error are included in the response payload" (`errorType`,
// `errorMessage`). FunctionName: a name (1 to 64 characters: letters, digits, `-`, `_`) or an ARN (up to 140
// characters; a partial ARN is 170 at most, so 170 is the bound checked).
import { execFile } from "node:child_process";
import { OUTCOMES, type Outcome, type ProbeResult } from "../components/consumer/canary/connect";
import { matching, problem, ruleProblem, rule, type Surface } from "../vocabulary/rules";
import { regionRule } from "../vocabulary/identifiers";
import { parseCommandLine, UsageError, type Command } from "./cli/options";

/** Exit codes: every endpoint logged in; an endpoint failed or the invocation did; the command line or the lookup. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export const CANARY_COMMAND: Command = {
    invocation: "npm run canary --",
    usage: `Usage: npm run canary -- --stack <app-account stack> [--region R] [--json]
       npm run canary -- --function-name NAME|ARN [--region R] [--json]

Invokes the app-account stack's canary once, synchronously, and prints one line per endpoint it checked: the
outcome (ok, tls-name-mismatch, tls-untrusted, auth-failed, no-credential, timeout, unreachable, other), the
connect time of a successful login, and what the driver said. The function's name is the stack's output
canaryFunctionName and its region the stack's aws:region, read with the Pulumi CLI from the project's directory;
--function-name skips the Pulumi CLI. AWS credentials: the SDK's default chain (AWS_PROFILE, environment, SSO).

Options:
  --stack <stack>          the app-account stack whose canary to run (pulumi stack output --json --stack <stack>)
  --function-name NAME     the canary function's name or ARN, instead of --stack
  --region R               the function's region (default: the stack's aws:region; with --function-name, the
                           ARN's region, else AWS_REGION or AWS_DEFAULT_REGION)
  --json                   print the result as one JSON object
  --help                   print this help

Exit codes: 0 every endpoint logged in, 1 an endpoint failed or the invocation failed, 2 usage error or the
stack's outputs do not name a canary.`,
    options: {
        stack: { type: "string" },
        "function-name": { type: "string" },
        region: { type: "string" },
        json: { type: "boolean" },
    },
};

/** The Lambda client's one call the CLI makes: Invoke, as @aws-sdk/client-lambda answers it. */
export type Invoke = (
    region: string,
    input: { FunctionName: string; InvocationType: "RequestResponse"; Payload: Uint8Array },
) => Promise<{ StatusCode?: number; FunctionError?: string; Payload?: Uint8Array }>;

/** Where the CLI reads and writes; injectable for tests. */
export interface CanaryCliIo {
    out(line: string): void;
    err(line: string): void;
    /** The environment: AWS_REGION, and PATH to find `pulumi`. */
    env: Record<string, string | undefined>;
    /** @default Lambda's Invoke through @aws-sdk/client-lambda */
    invoke?: Invoke;
}

const OPTION_SURFACE: Surface = {
    key: (path) => `--${path}`,
    subject: (path) => `Option --${path}`,
    fix: (path, example) => `Pass such a value, for example --${path} ${example.replace(/^"(.*)"$/, "$1")}.`,
};

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):\d{12}:function:[\w-]{1,64}(:[\w$-]{1,128})?$/;
const functionNameRule = rule(
    matching(
        /^(?=.{1,170}$)([\w-]{1,64}|arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]+)?)$/,
    ),
    "a Lambda function name (1 to 64 letters, digits, - and _) or a function ARN",
    '"app-account-canary-fn-0a1b2c3"',
);

/** Runs `pulumi <args>` with the given environment; resolves to its stdout, or rejects with a usage error. */
function pulumi(args: string[], env: Record<string, string | undefined>): Promise<string> {
    const command = `pulumi ${args.join(" ")}`;
    return new Promise((resolve, reject) => {
        execFile(
            "pulumi",
            args,
            { env, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
            (err, stdout, stderr) => {
                if (!err) return resolve(stdout);
                const code = (err as NodeJS.ErrnoException).code;
                reject(
                    new UsageError(
                        code === "ENOENT"
                            ? `${command} could not run: pulumi is not on PATH. Install the Pulumi CLI, or pass ` +
                                  `--function-name and --region.`
                            : `${command} failed (exit ${String(code)}): ${stderr.trim() || err.message}. Check the stack's ` +
                                  `name (pulumi stack ls) and that you are logged in to its backend, or pass --function-name.`,
                    ),
                );
            },
        );
    });
}

/** The function's name and region from the stack's outputs and config. */
async function fromStack(
    stack: string,
    region: string | undefined,
    env: Record<string, string | undefined>,
): Promise<{ functionName: string; region: string }> {
    const text = await pulumi(["stack", "output", "--json", "--stack", stack], env);
    let outputs: unknown;
    try {
        outputs = JSON.parse(text);
    } catch {
        outputs = undefined;
    }
    const name = (outputs as Record<string, unknown> | undefined)?.canaryFunctionName;
    if (typeof name !== "string" || !functionNameRule.schema.safeParse(name).success) {
        const keys = outputs && typeof outputs === "object" ? Object.keys(outputs).sort().join(", ") : "";
        throw new UsageError(
            `Stack ${stack} has no output canaryFunctionName${keys ? ` (its outputs: ${keys})` : ""}: it is not an ` +
                `app-account stack, its canary is off (canary.enabled: false), or its producer's contract does not ` +
                `describe this account's login. Deploy the stack with the canary on, or name the function with --function-name.`,
        );
    }
    const stackRegion =
        region ?? (await pulumi(["config", "get", "aws:region", "--stack", stack], env)).trim();
    if (!regionRule.schema.safeParse(stackRegion).success) {
        throw new UsageError(
            `Stack ${stack}'s aws:region is ${JSON.stringify(stackRegion)}, which is not an AWS region code. Pass --region.`,
        );
    }
    return { functionName: name, region: stackRegion };
}

/** The function and region the options name; a usage error naming every bad option otherwise. */
export async function locate(
    values: Record<string, unknown>,
    env: Record<string, string | undefined>,
): Promise<{ functionName: string; region: string }> {
    const stack = values.stack as string | undefined;
    const functionName = values["function-name"] as string | undefined;
    const region = values.region as string | undefined;
    const problems: string[] = [];
    if ((stack === undefined) === (functionName === undefined)) {
        problems.push(
            problem(
                OPTION_SURFACE,
                "stack",
                stack,
                stack === undefined
                    ? "the command needs the stack whose canary to run, or the function itself"
                    : `--function-name is given too (${functionName}), and the command runs one function`,
                "Pass --stack <app-account stack>, or --function-name with --region, not both.",
            ).message,
        );
    }
    if (stack === "")
        problems.push(
            problem(OPTION_SURFACE, "stack", stack, "it must name a stack", "Pass --stack app-account.")
                .message,
        );
    if (region !== undefined && !regionRule.schema.safeParse(region).success) {
        problems.push(ruleProblem(OPTION_SURFACE, "region", region, regionRule).message);
    }
    const arnRegion = functionName === undefined ? undefined : FUNCTION_ARN.exec(functionName)?.[1];
    if (functionName !== undefined) {
        if (!functionNameRule.schema.safeParse(functionName).success) {
            problems.push(
                ruleProblem(OPTION_SURFACE, "function-name", functionName, functionNameRule).message,
            );
        } else if (region !== undefined && arnRegion !== undefined && region !== arnRegion) {
            problems.push(
                problem(
                    OPTION_SURFACE,
                    "region",
                    region,
                    `the function's ARN names region ${arnRegion}`,
                    "Leave --region out, or pass the ARN of the function in that region.",
                ).message,
            );
        }
    }
    if (problems.length > 0) throw new UsageError(problems.join("\n"));
    if (stack !== undefined) return fromStack(stack, region, env);
    const resolved = region ?? arnRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (resolved === undefined || !regionRule.schema.safeParse(resolved).success) {
        throw new UsageError(
            problem(
                OPTION_SURFACE,
                "region",
                resolved,
                "a function named without its ARN needs its region, and AWS_REGION names none",
                "Pass --region eu-west-1 (the app-account stack's aws:region), or the function's ARN.",
            ).message,
        );
    }
    return { functionName: functionName!, region: resolved };
}

/** The canary's answer as the handler returns it (`{ results: ProbeResult[] }`), or undefined when it is not. */
export function decodeResults(payload: unknown): ProbeResult[] | undefined {
    const results = (payload as { results?: unknown } | null)?.results;
    if (!Array.isArray(results) || results.length === 0) return undefined;
    const ok = results.every((r: Partial<ProbeResult> | null) => {
        if (!r || typeof r.endpoint !== "string" || typeof r.message !== "string") return false;
        if (!OUTCOMES.includes(r.outcome as Outcome)) return false;
        return r.connectMs === undefined || typeof r.connectMs === "number";
    });
    return ok ? (results as ProbeResult[]) : undefined;
}

/** One line per endpoint: `writer: ok in 41 ms: SELECT 1 as orders on … succeeded.` */
export function resultLine(r: ProbeResult): string {
    const took = r.outcome === "ok" && r.connectMs !== undefined ? ` in ${r.connectMs} ms` : "";
    return `${r.endpoint}: ${r.outcome}${took}: ${r.message}`;
}

/** Lambda's Invoke through the SDK, with the default credential chain and endpoint resolution. */
const sdkInvoke: Invoke = async (region, input) => {
    const { InvokeCommand, LambdaClient } = await import("@aws-sdk/client-lambda");
    const client = new LambdaClient({ region });
    try {
        return await client.send(new InvokeCommand(input));
    } finally {
        client.destroy();
    }
};

/** Runs the CLI; resolves to the exit code. */
export async function runCanaryCli(argv: string[], io: CanaryCliIo): Promise<number> {
    let target: { functionName: string; region: string };
    let json = false;
    try {
        const values = parseCommandLine(CANARY_COMMAND, argv);
        if (values === undefined) {
            io.out(CANARY_COMMAND.usage);
            return EXIT_OK;
        }
        json = values.json === true;
        target = await locate(values, io.env);
    } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        io.err(err.message);
        io.err(`Run ${CANARY_COMMAND.invocation} --help for usage.`);
        return EXIT_USAGE;
    }
    const fail = (error: string): number => {
        if (json) io.out(JSON.stringify({ ok: false, ...target, error }));
        io.err(`Error: ${error}`);
        return EXIT_FAILED;
    };
    let answer: Awaited<ReturnType<Invoke>>;
    try {
        answer = await (io.invoke ?? sdkInvoke)(target.region, {
            FunctionName: target.functionName,
            InvocationType: "RequestResponse",
            Payload: new TextEncoder().encode("{}"),
        });
    } catch (err) {
        const e = err as Error;
        return fail(`invoking ${target.functionName} in ${target.region} failed: ${e.name}: ${e.message}`);
    }
    const text = answer.Payload ? new TextDecoder().decode(answer.Payload) : "";
    let payload: unknown;
    try {
        payload = text ? JSON.parse(text) : undefined;
    } catch {
        payload = text;
    }
    if (answer.FunctionError) {
        const e = (payload ?? {}) as { errorType?: unknown; errorMessage?: unknown };
        const said = typeof e.errorMessage === "string" ? `${String(e.errorType)}: ${e.errorMessage}` : text;
        return fail(
            `the canary function ${target.functionName} failed (${answer.FunctionError}): ${said}. Its log says more ` +
                `(aws logs tail <its log group> --region ${target.region}); a broken environment means deploying the stack again.`,
        );
    }
    const results = decodeResults(payload);
    if (!results) {
        return fail(
            `${target.functionName} answered ${text.slice(0, 200) || "nothing"}, not the canary's {"results": [...]}: ` +
                `is it the canary of an app-account stack of this release?`,
        );
    }
    const failed = results.filter((r) => r.outcome !== "ok");
    if (json) {
        io.out(JSON.stringify({ ok: failed.length === 0, ...target, results }));
    } else {
        for (const r of results) io.out(resultLine(r));
        io.out(
            failed.length === 0
                ? `all ${results.length} endpoint(s) ok`
                : `${failed.length} of ${results.length} endpoint(s) failed: what each outcome means is in docs/app-account.md (Canary)`,
        );
    }
    return failed.length === 0 ? EXIT_OK : EXIT_FAILED;
}

if (require.main === module) {
    runCanaryCli(process.argv.slice(2), {
        out: (l) => console.log(l),
        err: (l) => console.error(l),
        env: process.env,
    }).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            console.error(`Error: ${String(err)}`);
            process.exitCode = EXIT_FAILED;
        },
    );
}
