/**
 * Command-line handling shared by the tools (`npm run plan`, `npm run policy:check`): strict option parsing with
 * usage errors that name the option, `--stack-config <stack>=<file>`, and the exit codes: 0 done, 1 the stacks
 * failed or broke a mandatory policy, 2 a usage error or the tool could not run.
 */
import * as fs from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { StackFailedError, type StackFiles } from "../recording/stacks";
import { STACK_NAMES, type StackName } from "../recording/stack-files";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A wrong command line: printed on stderr, exit code 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** A tool's command line: its npm script, its usage text and its options (besides `--help`). */
export interface Command {
    /** How users run it, such as `npm run plan --`. */
    readonly invocation: string;
    /** The full `--help` text. */
    readonly usage: string;
    readonly options: NonNullable<ParseArgsConfig["options"]>;
}

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** The option a parseArgs error is about, such as `--stack-config`. */
function optionIn(message: string): string {
    return /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? message;
}

/**
 * Parses `argv` strictly: unknown options, missing values and positional arguments are usage errors naming the
 * option. Returns undefined when `--help` was given (the caller prints `command.usage`).
 */
export function parseCommandLine(command: Command, argv: readonly string[]): Values | undefined {
    const hint = `Run ${command.invocation} --help for usage.`;
    let parsed: { values: Values };
    try {
        parsed = parseArgs({
            args: [...argv],
            options: { ...command.options, help: { type: "boolean", short: "h" } },
            strict: true,
            allowPositionals: false,
        }) as { values: Values };
    } catch (err) {
        const { code, message } = err as { code?: string; message: string };
        switch (code) {
            case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
                throw new UsageError(`Unknown option ${optionIn(message)}. ${hint}`);
            case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
                throw new UsageError(`Option ${optionIn(message)} needs a value. ${hint}`);
            case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
                throw new UsageError(
                    `Unexpected argument "${/'([^']*)'/.exec(message)?.[1] ?? message}": this command takes options only. ${hint}`,
                );
            default:
                throw new UsageError(`${message} ${hint}`);
        }
    }
    return parsed.values.help === true ? undefined : parsed.values;
}

/** `file`, after checking it is a readable file; a usage error naming `option` otherwise. */
export function readableFile(option: string, file: string): string {
    try {
        if (!fs.statSync(file).isFile()) throw new Error("not a file");
        fs.accessSync(file, fs.constants.R_OK);
    } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        throw new UsageError(`${option} names ${file}, which cannot be read (${reason}).`);
    }
    return file;
}

/** The stack files of repeated `--stack-config <stack>=<file>` values, each checked to be readable. */
export function stackFiles(values: readonly string[] | undefined): StackFiles {
    const files: StackFiles = {};
    for (const value of values ?? []) {
        const eq = value.indexOf("=");
        const stack = value.slice(0, eq);
        const file = value.slice(eq + 1);
        if (eq < 0 || file === "" || !STACK_NAMES.includes(stack as StackName)) {
            throw new UsageError(
                `--stack-config needs <stack>=<file> with stack db-account or app-account; received "${value}".`,
            );
        }
        if (files[stack as StackName] !== undefined) {
            throw new UsageError(`--stack-config is given twice for ${stack}; give one file per stack.`);
        }
        files[stack as StackName] = readableFile("--stack-config", file);
    }
    return files;
}

/**
 * Runs a tool's `main` and exits with its code: usage errors exit 2, a stack the program refused (a config error)
 * prints the program's own message (which names the stack) and exits 1, anything else prints its message and
 * exits 2.
 */
export function runTool(main: () => Promise<number>): void {
    main().then(
        (code) => process.exit(code),
        (error: unknown) => {
            if (error instanceof StackFailedError) {
                console.error(error.reason.message);
                process.exit(EXIT_FAILED);
            }
            console.error(error instanceof Error ? error.message : error);
            process.exit(EXIT_USAGE);
        },
    );
}
