/**
 * `npm run bench -- --stack-config <Pulumi.<stack>.yaml>`: the monthly fixed cost of a config on each connectivity
 * path (privatelink-nlb, vpc-lattice), line by line, per payer. Without the flag `npm run bench` prints it for the
 * example stack files. The arithmetic is bench/path-cost.ts, the prices bench/aws-prices.ts; docs/paths.md says
 * what the numbers leave out. Also run alone: `npx ts-node --transpile-only bench/path-costs.ts [files…]`.
 */
import * as path from "path";
import { HOURS_PER_MONTH, PRICES, PRICES_READ, PRICES_REGION } from "./aws-prices";
import { pathCosts, subtotal, type CostLine } from "./path-cost";
import { pathCostInputOf, readStackFile, StackFileError } from "./stack-config";

/** The stack files costed when none is given: the project's examples, wherever the bench is run from. */
export const EXAMPLE_STACK_FILES = ["Pulumi.db-account.yaml", "Pulumi.app-account.yaml"].map((f) =>
    path.relative(process.cwd(), path.join(__dirname, "..", f)),
);

const money = (usd: number) => `$${usd.toFixed(2)}`;

function quantity(n: number): string {
    return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** A unit price as a reader takes it in: per million units below a hundredth of a cent (Lambda's). */
function unitPrice(usd: number): string {
    return usd > 0 && usd < 0.0001 ? `$${(usd * 1e6).toFixed(2)}/1M` : `$${usd}`;
}

function row(cells: readonly string[]): string {
    const widths = [58, 10, 10, 14, 10];
    return cells
        .map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c))
        .join(" ")
        .trimEnd();
}

function lineRow(l: CostLine): string {
    const price = PRICES[l.price];
    return row([
        `  ${l.item}`,
        l.payer,
        l.monthly === undefined ? "-" : quantity(l.quantity),
        `${unitPrice(price.usd)}${price.confirmed ? "" : "*"}`,
        l.monthly === undefined ? "-" : money(l.monthly),
        l.note ?? "",
    ]);
}

/** Prints the fixed cost of the config in `files` on each path. */
export async function main(files: readonly string[] = EXAMPLE_STACK_FILES): Promise<void> {
    const input = pathCostInputOf(files.map(readStackFile));
    console.log(`monthly fixed cost of ${files.join(" + ")} on each connectivity path`);
    console.log(
        `prices of ${PRICES_REGION}, read ${PRICES_READ}, ${HOURS_PER_MONTH} hours a month; * = price not confirmed ` +
            `on AWS's page (docs/paths.md)` +
            (input.region === PRICES_REGION
                ? ""
                : `; the stack's region ${input.region} is priced differently`),
    );
    console.log(
        `database AZs: ${input.azCount}; proxy endpoints: ${input.readOnlyEndpoint ? "2 (writer, read-only)" : "1 (writer)"}; ` +
            `sync source: ${input.sync.source}; consumers: ${input.consumers.length}`,
    );
    for (const a of input.assumed) console.log(`assumed: ${a}`);
    const payers = ["producer", ...input.consumers.map((c) => c.name)];
    for (const cost of pathCosts(input)) {
        console.log("");
        console.log(row([cost.path, "payer", "quantity", "unit price", "per month", "note"]));
        for (const l of cost.lines) console.log(lineRow(l));
        for (const p of payers) console.log(row([`  subtotal ${p}`, "", "", "", money(subtotal(cost, p))]));
        console.log(
            row([
                `  total ${cost.path}`,
                "",
                "",
                "",
                money(cost.total),
                cost.partial ? "(lower bound: a line is not computed)" : "",
            ]),
        );
    }
}

if (require.main === module) {
    main(process.argv.length > 2 ? process.argv.slice(2) : undefined).catch((err: unknown) => {
        console.error(err instanceof StackFileError ? err.message : err);
        process.exitCode = 1;
    });
}
