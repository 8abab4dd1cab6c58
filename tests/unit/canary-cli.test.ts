/**
 * `npm run canary` (tools/canary.ts) without AWS and without the Pulumi CLI: its options and their messages, the
 * `pulumi stack output` and `pulumi config get` calls (a fake `pulumi` script first on PATH, which logs its
 * arguments), the lines and exit codes for each answer of the function (an injected Invoke), and once end to end
 * through the npm script's command with the AWS SDK's own Invoke against a loopback server standing in for Lambda.
 *
 * What this cannot prove: Lambda running the real function (moto runs none), and IAM allowing the operator's
 * `lambda:InvokeFunction`.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { ProbeResult } from "../../components/consumer/canary";
import {
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    runCanaryCli,
    type CanaryCliIo,
    type Invoke,
} from "../../tools/canary";

const ROOT = path.resolve(__dirname, "..", "..");
const FN = "app-account-canary-fn-5d2e7a1";
const ARN = `arn:aws:lambda:eu-central-1:222222222222:function:${FN}`;
const WRITER: ProbeResult = {
    endpoint: "writer",
    outcome: "ok",
    connectMs: 41,
    message: "SELECT 1 as orders on db-proxy.proxy-c1a2b3.eu-west-1.rds.amazonaws.com:5432 succeeded.",
};
const READER_DENIED: ProbeResult = {
    endpoint: "reader",
    outcome: "auth-failed",
    message:
        'db-proxy-ro.proxy-c1a2b3.eu-west-1.rds.amazonaws.com:5433 as orders: password authentication failed for user "orders"',
};

/** A directory holding a fake `pulumi` that logs its arguments and answers from files beside it. */
function fakePulumi(o: { outputs?: unknown; region?: string; fail?: string }): {
    dir: string;
    log: () => string[];
} {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
    fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(o.outputs ?? {}));
    const script = [
        "#!/bin/sh",
        `echo "$*" >> "${dir}/calls"`,
        o.fail ? `echo "${o.fail}" >&2; exit 255` : "",
        'case "$1 $2" in',
        `  "stack output") cat "${dir}/outputs.json" ;;`,
        `  "config get") echo "${o.region ?? "eu-west-1"}" ;;`,
        '  *) echo "unexpected: $*" >&2; exit 3 ;;',
        "esac",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "pulumi"), `${script}\n`, { mode: 0o755 });
    const calls = path.join(dir, "calls");
    return {
        dir,
        log: () => (fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n") : []),
    };
}

interface Run {
    code: number;
    out: string[];
    err: string[];
    invoked: { region: string; input: Parameters<Invoke>[1] }[];
}

/** Runs the CLI in process with `env` and an Invoke answering `answer`. */
async function run(
    argv: string[],
    env: Record<string, string | undefined>,
    answer: Awaited<ReturnType<Invoke>> | Error = payload({ results: [WRITER] }),
): Promise<Run> {
    const r: Run = { code: -1, out: [], err: [], invoked: [] };
    const io: CanaryCliIo = {
        out: (l) => r.out.push(l),
        err: (l) => r.err.push(l),
        env,
        invoke: (region, input) => {
            r.invoked.push({ region, input });
            return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
        },
    };
    r.code = await runCanaryCli(argv, io);
    return r;
}

function payload(value: unknown, functionError?: string): Awaited<ReturnType<Invoke>> {
    return {
        StatusCode: 200,
        ...(functionError ? { FunctionError: functionError } : {}),
        Payload: new TextEncoder().encode(JSON.stringify(value)),
    };
}

const withPath = (dir: string) => ({ PATH: `${dir}:${process.env.PATH ?? ""}` });

describe("npm run canary", () => {
    describe("finds the function through the Pulumi CLI", () => {
        it("reads canaryFunctionName from the stack's outputs and aws:region from its config, then invokes it synchronously", async () => {
            const fake = fakePulumi({
                outputs: { canaryFunctionName: FN, vpcId: "vpc-1" },
                region: "eu-central-1",
            });
            const r = await run(
                ["--stack", "app-account"],
                withPath(fake.dir),
                payload({ results: [WRITER] }),
            );
            assert.deepEqual(fake.log(), [
                "stack output --json --stack app-account",
                "config get aws:region --stack app-account",
            ]);
            assert.equal(r.invoked.length, 1);
            assert.equal(r.invoked[0].region, "eu-central-1");
            assert.equal(r.invoked[0].input.FunctionName, FN);
            assert.equal(r.invoked[0].input.InvocationType, "RequestResponse");
            assert.equal(new TextDecoder().decode(r.invoked[0].input.Payload), "{}");
            assert.deepEqual(r.out, [`writer: ok in 41 ms: ${WRITER.message}`, "all 1 endpoint(s) ok"]);
            assert.deepEqual([r.code, r.err], [EXIT_OK, []]);
        });

        it("takes --region instead of the stack's config", async () => {
            const fake = fakePulumi({ outputs: { canaryFunctionName: FN } });
            const r = await run(
                ["--stack", "org/rds-cross-account/app-account", "--region", "us-east-2"],
                withPath(fake.dir),
            );
            assert.deepEqual(fake.log(), ["stack output --json --stack org/rds-cross-account/app-account"]);
            assert.equal(r.invoked[0].region, "us-east-2");
            assert.equal(r.code, EXIT_OK);
        });

        it("says why when the stack has no canary, naming its outputs, and invokes nothing", async () => {
            const fake = fakePulumi({ outputs: { endpointId: "vpce-1", vpcId: "vpc-1" } });
            const r = await run(["--stack", "app-account"], withPath(fake.dir));
            assert.equal(r.code, EXIT_USAGE);
            assert.equal(r.invoked.length, 0);
            assert.match(
                r.err[0],
                /^Stack app-account has no output canaryFunctionName \(its outputs: endpointId, vpcId\): it is not an app-account stack, its canary is off \(canary.enabled: false\)/,
            );
        });

        it("passes on what pulumi said when it fails, and says so when it is not installed", async () => {
            const failing = fakePulumi({ fail: "error: no stack named 'app-acount' found" });
            const r = await run(["--stack", "app-acount"], withPath(failing.dir));
            assert.equal(r.code, EXIT_USAGE);
            assert.equal(
                r.err[0],
                "pulumi stack output --json --stack app-acount failed (exit 255): error: no stack named 'app-acount' found. Check the stack's name (pulumi stack ls) and that you are logged in to its backend, or pass --function-name.",
            );
            const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-"));
            const missing = await run(["--stack", "app-account"], { PATH: empty });
            assert.equal(missing.code, EXIT_USAGE);
            assert.match(
                missing.err[0],
                /could not run: pulumi is not on PATH\. Install the Pulumi CLI, or pass --function-name and --region\.$/,
            );
        });

        it("refuses a region in the stack's config that is no region", async () => {
            const fake = fakePulumi({ outputs: { canaryFunctionName: FN }, region: "" });
            const r = await run(["--stack", "app-account"], withPath(fake.dir));
            assert.equal(r.code, EXIT_USAGE);
            assert.equal(
                r.err[0],
                `Stack app-account's aws:region is "", which is not an AWS region code. Pass --region.`,
            );
        });
    });

    describe("prints one line per endpoint and exits non-zero on any failure", () => {
        const byName = ["--function-name", FN, "--region", "eu-west-1"];

        it("an endpoint that failed: its outcome and message, and exit 1", async () => {
            const r = await run(byName, {}, payload({ results: [WRITER, READER_DENIED] }));
            assert.deepEqual(r.out, [
                `writer: ok in 41 ms: ${WRITER.message}`,
                `reader: auth-failed: ${READER_DENIED.message}`,
                "1 of 2 endpoint(s) failed: what each outcome means is in docs/app-account.md (Canary)",
            ]);
            assert.equal(r.code, EXIT_FAILED);
        });

        it("a function error: its type and message, and exit 1", async () => {
            const r = await run(
                byName,
                {},
                payload(
                    {
                        errorType: "Error",
                        errorMessage:
                            "The canary's environment variable CANARY_SETTINGS is not the JSON its component sets",
                    },
                    "Unhandled",
                ),
            );
            assert.equal(r.code, EXIT_FAILED);
            assert.deepEqual(r.out, []);
            assert.match(
                r.err[0],
                new RegExp(
                    `^Error: the canary function ${FN} failed \\(Unhandled\\): Error: The canary's environment variable CANARY_SETTINGS`,
                ),
            );
        });

        it("an invocation AWS refused, and an answer that is not the canary's: exit 1", async () => {
            const denied = Object.assign(new Error(`Function not found: ${ARN}`), {
                name: "ResourceNotFoundException",
            });
            const r = await run(byName, {}, denied);
            assert.equal(r.code, EXIT_FAILED);
            assert.equal(
                r.err[0],
                `Error: invoking ${FN} in eu-west-1 failed: ResourceNotFoundException: Function not found: ${ARN}`,
            );
            for (const answer of [
                { results: [] },
                { results: [{ endpoint: "writer", outcome: "fine", message: "" }] },
                "hello",
            ]) {
                const other = await run(byName, {}, payload(answer));
                assert.equal(other.code, EXIT_FAILED, JSON.stringify(answer));
                assert.match(other.err[0], /not the canary's \{"results": \[\.\.\.\]\}/);
            }
        });

        it("--json: one object with the function, region and results, or the error", async () => {
            const ok = await run([...byName, "--json"], {}, payload({ results: [WRITER, READER_DENIED] }));
            assert.deepEqual(JSON.parse(ok.out[0]), {
                ok: false,
                functionName: FN,
                region: "eu-west-1",
                results: [WRITER, READER_DENIED],
            });
            assert.deepEqual([ok.out.length, ok.code], [1, EXIT_FAILED]);
            const err = await run(
                [...byName, "--json"],
                {},
                payload({ errorType: "Runtime.ExitError", errorMessage: "exited" }, "Unhandled"),
            );
            const parsed = JSON.parse(err.out[0]) as Record<string, unknown>;
            assert.equal(parsed.ok, false);
            assert.match(String(parsed.error), /failed \(Unhandled\): Runtime\.ExitError: exited/);
        });
    });

    describe("options", () => {
        it("--function-name: the ARN's region, else --region, else AWS_REGION", async () => {
            assert.equal((await run(["--function-name", ARN], {})).invoked[0].region, "eu-central-1");
            assert.equal(
                (await run(["--function-name", FN], { AWS_REGION: "ap-south-1" })).invoked[0].region,
                "ap-south-1",
            );
            assert.equal(
                (await run(["--function-name", FN, "--region", "eu-north-1"], { AWS_REGION: "ap-south-1" }))
                    .invoked[0].region,
                "eu-north-1",
            );
        });

        const usage = async (argv: string[], env: Record<string, string> = {}) => {
            const r = await run(argv, env);
            assert.equal(r.code, EXIT_USAGE, argv.join(" "));
            assert.equal(r.invoked.length, 0);
            assert.equal(r.err.at(-1), "Run npm run canary -- --help for usage.");
            return r.err.slice(0, -1);
        };

        it("refuses every bad option at once, naming each, its value and the fix", async () => {
            assert.deepEqual(await usage(["--function-name", "my function", "--region", "europe"]), [
                [
                    'Option --region is "europe", but it must be an AWS region code. Pass such a value, for example --region eu-west-1.',
                    'Option --function-name is "my function", but it must be a Lambda function name (1 to 64 letters, digits, - and _) or a function ARN. Pass such a value, for example --function-name app-account-canary-fn-0a1b2c3.',
                ].join("\n"),
            ]);
            assert.deepEqual(await usage(["--function-name", ARN, "--region", "eu-west-1"]), [
                'Option --region is "eu-west-1", but the function\'s ARN names region eu-central-1. Leave --region out, or pass the ARN of the function in that region.',
            ]);
        });

        it("needs exactly one of --stack and --function-name, and a region for a bare name", async () => {
            assert.deepEqual(await usage([]), [
                "Option --stack is not set, but the command needs the stack whose canary to run, or the function itself. Pass --stack <app-account stack>, or --function-name with --region, not both.",
            ]);
            assert.deepEqual(await usage(["--stack", "app-account", "--function-name", FN]), [
                `Option --stack is "app-account", but --function-name is given too (${FN}), and the command runs one function. Pass --stack <app-account stack>, or --function-name with --region, not both.`,
            ]);
            assert.deepEqual(await usage(["--function-name", FN]), [
                "Option --region is not set, but a function named without its ARN needs its region, and AWS_REGION names none. Pass --region eu-west-1 (the app-account stack's aws:region), or the function's ARN.",
            ]);
            assert.deepEqual(await usage(["--stack", "app-account", "--dry-run"]), [
                "Unknown option --dry-run. Run npm run canary -- --help for usage.",
            ]);
        });

        it("--help prints the usage and exits 0", async () => {
            const r = await run(["--help"], {});
            assert.equal(r.code, EXIT_OK);
            assert.match(r.out[0], /^Usage: npm run canary -- --stack <app-account stack>/);
            assert.equal(r.invoked.length, 0);
        });
    });

    it("end to end through the npm script's command: the SDK's Invoke, with Lambda's function-error header", async function () {
        this.timeout(60_000);
        const script = (
            JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
                scripts: Record<string, string>;
            }
        ).scripts.canary;
        assert.equal(script, "ts-node --transpile-only tools/canary.ts");
        const requests: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] =
            [];
        let functionError = false;
        const server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c: Buffer) => (body += c.toString()));
            req.on("end", () => {
                requests.push({ method: req.method, url: req.url, headers: req.headers, body });
                res.writeHead(200, {
                    "content-type": "application/json",
                    ...(functionError ? { "x-amz-function-error": "Unhandled" } : {}),
                });
                res.end(
                    JSON.stringify(
                        functionError
                            ? { errorType: "Error", errorMessage: "boom" }
                            : { results: [WRITER, READER_DENIED] },
                    ),
                );
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const fake = fakePulumi({ outputs: { canaryFunctionName: FN } });
        const env = {
            ...process.env,
            ...withPath(fake.dir),
            AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
            AWS_SECRET_ACCESS_KEY: "example",
            AWS_PROFILE: undefined,
            AWS_REGION: undefined,
        };
        const cli = (): Promise<{ code: number | null; stdout: string; stderr: string }> =>
            new Promise((resolve) => {
                const child = spawn(
                    process.execPath,
                    [
                        require.resolve("ts-node/dist/bin.js"),
                        "--transpile-only",
                        "tools/canary.ts",
                        "--stack",
                        "app-account",
                    ],
                    { cwd: ROOT, env },
                );
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
                child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
                child.on("close", (code) => resolve({ code, stdout, stderr }));
            });
        try {
            const failed = await cli();
            assert.equal(failed.code, EXIT_FAILED, failed.stderr);
            assert.deepEqual(failed.stdout.trim().split("\n"), [
                `writer: ok in 41 ms: ${WRITER.message}`,
                `reader: auth-failed: ${READER_DENIED.message}`,
                "1 of 2 endpoint(s) failed: what each outcome means is in docs/app-account.md (Canary)",
            ]);
            assert.equal(requests[0].method, "POST");
            assert.equal(requests[0].url, `/2015-03-31/functions/${FN}/invocations`);
            assert.equal(requests[0].headers["x-amz-invocation-type"], "RequestResponse");
            assert.match(
                String(requests[0].headers.authorization),
                /Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request/,
            );
            assert.equal(requests[0].body, "{}");
            functionError = true;
            const crashed = await cli();
            assert.equal(crashed.code, EXIT_FAILED);
            assert.match(
                crashed.stderr,
                new RegExp(`Error: the canary function ${FN} failed \\(Unhandled\\): Error: boom`),
            );
        } finally {
            server.close();
        }
    });
});
