/**
 * The producer's side of the contract: the db-account stack checks the contract it is about to export with every
 * rule the consumers read it with (vocabulary/contract-rules.ts), so that a bug of this stack fails its own
 * `pulumi up` instead of every consumer's `pulumi preview` in other accounts.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    checkContract,
    contractShapeOf,
    parse,
    toWire,
    type Contract,
    type ContractV1,
    type ContractV2,
    type Surface,
} from "../vocabulary";

/** Thrown when the contract this stack would export breaks a contract rule; lists every problem. */
export class ExportedContractError extends pulumi.RunError {
    constructor(readonly problems: readonly { path: string; message: string }[]) {
        super(
            `The contract this db-account stack would export has ${problems.length} ` +
                `problem${problems.length === 1 ? "" : "s"}, which every consumer would refuse:\n` +
                problems.map((p) => `  - ${p.message}`).join("\n"),
        );
        this.name = "ExportedContractError";
    }
}

const SURFACE: Surface = {
    key: (path) => `contract.${path}`,
    subject: (path) => `Field '${path}' of the exported contract`,
    fix: () =>
        "This is a defect of rds-cross-account, not of your config: report it with the stack's config (no secrets).",
};

/**
 * The value to export for `contract` (`toWire`: version 1's flat fields, or version 2), when that value meets every
 * contract rule as a consumer reads it; throws an ExportedContractError otherwise. The value is its version's shape
 * as a consumer parses it: exactly its fields, in the shape's order.
 */
export function checkExportedContract(contract: Contract): ContractV1 | ContractV2 {
    const wire = toWire(contract);
    const checked = checkContract(SURFACE, wire as unknown as Record<string, unknown>);
    if (checked.problems) throw new ExportedContractError(checked.problems);
    const read = parse(contractShapeOf(contract.version), wire);
    // checkContract parsed the same value with the same shape: no fault is left here.
    if (read.value === undefined) throw new Error("rds-cross-account: a checked contract did not parse.");
    return read.value;
}
