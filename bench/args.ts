/** The bench's command line: `--stack-config <file>`, as often as given (bench/index.ts). */

/** An argument the bench cannot use; its message lists every such argument and the usage. */
export class BenchArgsError extends Error {}

/** What the command line asks for: the stack files to cost, or none (every benchmark). */
export interface BenchArgs {
    readonly stackConfigs: readonly string[];
}

const FLAG = "--stack-config";
const USAGE = `npm run bench [-- ${FLAG} Pulumi.<stack>.yaml [${FLAG} Pulumi.<consumer>.yaml …]]`;

/**
 * Reads `--stack-config <file>` and `--stack-config=<file>`, as often as given. Every argument it cannot use is
 * reported, all at once, with the usage.
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
    const stackConfigs: string[] = [];
    const problems: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg.startsWith(`${FLAG}=`)) {
            const file = arg.slice(FLAG.length + 1);
            if (file === "") problems.push(`${arg} names no file`);
            else stackConfigs.push(file);
        } else if (arg === FLAG) {
            const file = argv[i + 1];
            if (file === undefined || file.startsWith("--"))
                problems.push(`${FLAG} is not followed by a stack file`);
            else {
                stackConfigs.push(file);
                i++;
            }
        } else
            problems.push(`${JSON.stringify(arg)} is not an argument of the bench (it takes only ${FLAG})`);
    }
    if (problems.length > 0)
        throw new BenchArgsError(
            `The bench's arguments have ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}\nUsage: ${USAGE}`,
        );
    return { stackConfigs };
}
