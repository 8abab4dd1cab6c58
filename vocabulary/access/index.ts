/**
 * The access modes as one discriminated union: a consumer's reference (what the contract carries for it) is an
 * `AccessReference`, whose `auth` names its mode, and `ACCESS_MODES` says what each mode means for every part of
 * the program (./mode.ts). Adding a mode: its module beside this one, its reference in the union, its entry in
 * `ACCESS_MODES`, and its resources in components/access; nothing else names a mode.
 */
import { oneOf, rule, type Rule } from "../rules";
import { iamMode, type IamReference } from "./iam";
import { POLICY_LIMITS, policySize } from "./limits";
import type { AccessMode } from "./mode";
import { admittedPrincipals, longestCanaryRoleArn } from "./principals";
import { passwordMode, type PasswordReference } from "./password";

export { connectRoleTrustPolicy, type IamReference } from "./iam";
export { consumerSecretPolicy, type PasswordReference } from "./password";
export * from "./limits";
export * from "./mode";
export * from "./principals";
export * from "./scope";

/** A consumer's reference in any mode: where its applications get their credential (never the credential). */
export type AccessReference = IamReference | PasswordReference;

/** The name of an access mode: `applicationAuth` in config, `auth` in the contract. */
export type AccessKind = AccessReference["auth"];

/** The reference of one mode. */
export type ReferenceOf<K extends AccessKind> = Extract<AccessReference, { auth: K }>;

/** Every access mode by name, each with what it means for every part of the program. */
export const ACCESS_MODES: { readonly [K in AccessKind]: AccessMode<ReferenceOf<K>> } = {
    iam: iamMode,
    password: passwordMode,
};

/** The modes' names, in the order the docs list them. */
export const ACCESS_KINDS = Object.keys(ACCESS_MODES) as readonly AccessKind[];

/** The mode of a stack that does not say: end-to-end IAM, which shares no secret. */
export const DEFAULT_ACCESS_KIND: AccessKind = iamMode.auth;

/** True for the name of an access mode. */
export function isAccessKind(value: unknown): value is AccessKind {
    return typeof value === "string" && Object.prototype.hasOwnProperty.call(ACCESS_MODES, value);
}

/** The definition of a reference's mode, typed for that reference. */
export function modeOf<R extends AccessReference>(reference: R): AccessMode<R> {
    return ACCESS_MODES[reference.auth] as unknown as AccessMode<R>;
}

/**
 * The definition of a mode by name, where no reference exists yet (the producer builds the references). Its
 * reference-taking functions must be given references of that mode only.
 */
export function accessMode(kind: AccessKind): AccessMode<AccessReference> {
    return ACCESS_MODES[kind] as unknown as AccessMode<AccessReference>;
}

/** The value of `applicationAuth` (config) and `auth` (contract, components). */
export const accessKindRule: Rule<AccessKind> = rule(
    oneOf(ACCESS_KINDS),
    `one of ${ACCESS_KINDS.map((k) => `"${k}"`).join(", ")}`,
    `"${DEFAULT_ACCESS_KIND}"`,
);

/** The reference fields of every mode but `kind`: those a reference of `kind` must not carry. */
export function foreignReferenceFields(kind: AccessKind): string[] {
    const own = new Set(Object.keys(ACCESS_MODES[kind].referenceRules));
    return ACCESS_KINDS.filter((k) => k !== kind)
        .flatMap((k) => Object.keys(ACCESS_MODES[k].referenceRules))
        .filter((f) => !own.has(f));
}

/** A problem with one field of a candidate reference. */
export interface ReferenceFieldProblem {
    readonly field: string;
    readonly value: unknown;
    readonly reason: string;
    readonly fix: string;
}

/**
 * Checks a candidate reference of any mode: its mode known, each of the mode's fields valid, no other mode's field
 * present, and (unless `betweenFields` is false) the mode's rules between fields met. Returns the reference (exactly the mode's fields), or every
 * problem.
 */
export function parseReference(
    value: Readonly<Record<string, unknown>>,
    { betweenFields = true }: { betweenFields?: boolean } = {},
): { reference: AccessReference } | { problems: ReferenceFieldProblem[] } {
    if (!isAccessKind(value.auth)) {
        const fix = `Pass such a value, for example ${accessKindRule.example}.`;
        return {
            problems: [
                { field: "auth", value: value.auth, reason: `it must be ${accessKindRule.must}`, fix },
            ],
        };
    }
    const kind = value.auth;
    const mode = accessMode(kind);
    const problems: ReferenceFieldProblem[] = [];
    const reference: Record<string, unknown> = { auth: kind };
    for (const [field, r] of Object.entries(mode.referenceRules) as [string, Rule<string>][]) {
        const checked = r.schema.safeParse(value[field]);
        if (checked.success) reference[field] = checked.data;
        else {
            const fix = `Pass such a value, for example ${r.example}.`;
            problems.push({ field, value: value[field], reason: `it must be ${r.must}`, fix });
        }
    }
    for (const field of foreignReferenceFields(kind)) {
        if (value[field] !== undefined) {
            problems.push({
                field,
                value: value[field],
                reason: `auth is "${kind}", which does not use it`,
                fix: `Remove ${field}.`,
            });
        }
    }
    if (problems.length > 0 || !betweenFields) {
        return problems.length > 0 ? { problems } : { reference: reference as unknown as AccessReference };
    }
    const extra = mode.referenceProblems(reference as unknown as AccessReference);
    if (extra.length > 0) {
        return { problems: extra.map((p) => ({ ...p, value: value[p.field] })) };
    }
    return { reference: reference as unknown as AccessReference };
}

/** Describes the reference fields of every mode, for messages: `connectRoleArn (iam) or secretArn and …`. */
export function referenceFieldsInWords(): string {
    return ACCESS_KINDS.map(
        (k) => `${Object.keys(ACCESS_MODES[k].referenceRules).join(" and ")} (${k})`,
    ).join(" or ");
}

/** A consumer count or a consumer's principals that one stack of a mode cannot serve (config refuses them). */
export interface ConsumerLimitProblem {
    /** The config path: `consumers`, or `consumers[<i>].principals`. */
    readonly path: string;
    /** What is wrong, completing "<key> …". */
    readonly says: string;
    /** How to fix it, with `{file}` for the stack file. */
    readonly fix: string;
}

/**
 * Checks the consumers against mode `kind`'s limits: their number (`maxConsumers`), and each consumer's
 * principals against the size limit of the policies that list them (`principalPolicies`; an absent list is the
 * account root, which fits).
 */
export function consumerLimitProblems(
    kind: AccessKind,
    consumers: readonly { readonly principals?: readonly string[]; readonly canary?: boolean }[],
): ConsumerLimitProblem[] {
    const mode = accessMode(kind);
    const { count, reason } = mode.maxConsumers;
    const problems: ConsumerLimitProblem[] = [];
    if (consumers.length > count) {
        problems.push({
            path: "consumers",
            says: `lists ${consumers.length} consumers, but applicationAuth "${kind}" serves at most ${count}: ${reason}`,
            fix: `List at most ${count} in {file}, and serve the others from another db-account stack.`,
        });
    }
    consumers.forEach((c, i) => {
        // Measured as deployed: with the canary's role too, at its longest, unless `canary` is false (./principals.ts).
        const canary = c.canary === false ? undefined : longestCanaryRoleArn(c.principals ?? []);
        for (const p of mode.principalPolicies(admittedPrincipals(c.principals ?? [], canary))) {
            const limit = POLICY_LIMITS[p.limit];
            const size = policySize(p.document, limit);
            if (size <= limit.max) continue;
            problems.push({
                path: `consumers[${i}].principals`,
                says:
                    `lists ${c.principals?.length} principals, but ${p.what} would be ${size} characters, and AWS ` +
                    `allows ${limit.max} (${limit.what})`,
                fix:
                    "List fewer principals in {file}, or the account root alone (the default), which admits the " +
                    "principals of that account that its own IAM policies allow.",
            });
        }
    });
    return problems;
}
