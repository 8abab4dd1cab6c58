/**
 * Every rule a contract must meet, fields and cross-field, used by both sides: the producer checks the contract it
 * is about to export (so that a producer bug fails its own preview), and the consumer checks the contract it reads
 * (so that a wrong or tampered contract creates nothing in its account). Problems only: each side says how to fix
 * them in its own words, through its `Surface`.
 */
import { modeOf } from "./access";
import { dnsSuffixOf, parseProxyHost, partitionOf } from "./aws-ids";
import { CONTRACT_LIMITS, CONTRACT_SHOWN } from "./contract";
import {
    CONTRACT_VERSIONS,
    contractShapeOf,
    fromV1,
    type Contract,
    type ContractV2,
} from "./contract-versions";
import type { ContractV1 } from "./contract";
import { databaseUserRule } from "./database-names";
import { dataFaults, faultProblems, plainWords } from "./faults";
import { pairProblems, pathProblems } from "./contract-path-rules";
import { problem, type Problem, type Surface } from "./rules";
import { parse } from "./shapes";

/**
 * The problems of a contract value that is not plain, own-keyed, bounded data (vocabulary/faults.ts `dataFaults`):
 * what both sides check first, before any field's rule reads it.
 */
export function contractDataProblems(surface: Surface, value: unknown): Problem[] {
    const shown: Surface = { ...surface, shown: surface.shown ?? CONTRACT_SHOWN };
    return faultProblems(shown, dataFaults(value, CONTRACT_LIMITS), plainWords(shown));
}

/**
 * Checks a contract object of any version this release reads: that it is plain, own-keyed data within the
 * contract's limits, every field's rule, the pairs that come together, and the rules between fields. Returns the
 * parsed contract as a `Contract` (exactly the shape's fields), or every problem. Messages show at most
 * `CONTRACT_SHOWN` characters of a value, and name each field where the contract's version has it.
 */
export function checkContract(
    surface: Surface,
    value: Readonly<Record<string, unknown>>,
): { contract: Contract; problems?: undefined } | { contract?: undefined; problems: Problem[] } {
    const shown: Surface = { ...surface, shown: surface.shown ?? CONTRACT_SHOWN };
    const data = contractDataProblems(shown, value);
    if (data.length > 0) return { problems: data };
    const version = CONTRACT_VERSIONS.find((v) => v === value.version);
    if (version === undefined) {
        return {
            problems: [
                problem(
                    shown,
                    "version",
                    value.version,
                    `this release reads contract versions ${CONTRACT_VERSIONS.join(" and ")}`,
                    "Deploy both stacks from the same release of rds-cross-account (the db-account stack first), " +
                        "so that they agree on the contract version.",
                ),
            ],
        };
    }
    // Parsing keeps exactly the fields of the shape: anything else the producer added is dropped.
    const parsed = parse(contractShapeOf(version), value);
    const problems = parsed.faults ? faultProblems(shown, parsed.faults, plainWords(shown)) : [];
    if (problems.length > 0 || parsed.value === undefined) return { problems };
    const contract = version === 1 ? fromV1(parsed.value as ContractV1) : (parsed.value as ContractV2);
    // A missing partner is reported alone: the rules between fields assume the pairs are whole.
    const pairs = pairProblems(shown, contract);
    if (pairs.length > 0) return { problems: pairs };
    const between = crossFieldProblems(shown, contract);
    return between.length > 0 ? { problems: between } : { contract };
}

/**
 * Each consumer's database user under the contract's engine's own rule (vocabulary/database-names.ts): the field's
 * rule knows only the shape every engine shares (at most the longest engine's names, MariaDB's 80 characters), and
 * PostgreSQL's are at most 63, MySQL's 32.
 */
function engineUserProblems(surface: Surface, c: Contract): Problem[] {
    const r = databaseUserRule(c.engine);
    return (c.consumers ?? []).flatMap((entry, i) =>
        r.schema.safeParse(entry.databaseUser).success
            ? []
            : [
                  problem(
                      surface,
                      `consumers[${i}].databaseUser`,
                      entry.databaseUser,
                      `the contract's engine is ${c.engine}, and its users must be ${r.must}`,
                      surface.fix("", ""),
                  ),
              ],
    );
}

/** Rules between fields of an otherwise well-formed contract. */
function crossFieldProblems(surface: Surface, c: Contract): Problem[] {
    const problems: Problem[] = [];
    const fix = surface.fix("", "");
    const suffix = dnsSuffixOf(partitionOf(c.region));
    const writer = parseProxyHost(c.proxyEndpoint);
    for (const field of ["proxyEndpoint", "readOnlyEndpoint"] as const) {
        const host = c[field] === undefined ? undefined : parseProxyHost(c[field]);
        if (!host) continue;
        if (host.region !== c.region) {
            problems.push(
                problem(
                    surface,
                    field,
                    c[field],
                    `that host is in region ${host.region}, and the contract's 'region' is ${c.region}; the proxy ` +
                        `and what publishes it must be in the same region`,
                    fix,
                ),
            );
        } else if (host.dnsSuffix !== suffix) {
            problems.push(
                problem(
                    surface,
                    field,
                    c[field],
                    `RDS names in ${c.region} end in rds.${suffix}, not rds.${host.dnsSuffix}`,
                    fix,
                ),
            );
        }
        if (field === "readOnlyEndpoint" && writer && host.proxyId !== writer.proxyId) {
            problems.push(
                problem(
                    surface,
                    field,
                    c[field],
                    `that host belongs to proxy-${host.proxyId}, and 'proxyEndpoint' to proxy-${writer.proxyId}; ` +
                        `both must be endpoints of the same proxy`,
                    fix,
                ),
            );
        }
    }
    problems.push(...pathProblems(surface, c));
    if (c.readOnlyEndpoint !== undefined && c.readOnlyEndpoint === c.proxyEndpoint) {
        problems.push(
            problem(
                surface,
                "readOnlyEndpoint",
                c.readOnlyEndpoint,
                "that is also 'proxyEndpoint'; they must differ",
                fix,
            ),
        );
    }
    problems.push(...readOnlyNameProblems(surface, c));
    const accounts = (c.consumers ?? []).map((entry) => entry.accountId);
    const repeated = [...new Set(accounts.filter((id, i) => accounts.indexOf(id) !== i))];
    if (repeated.length > 0) {
        problems.push(
            problem(
                surface,
                "consumers",
                accounts,
                `it lists account${repeated.length === 1 ? "" : "s"} ${repeated.join(", ")} more than once, and ` +
                    `each consumer account has one database user`,
                fix,
            ),
        );
    }
    // One database user per account: two accounts sharing one would share its login, its grants and its data.
    (c.consumers ?? []).forEach((entry, i, all) => {
        const first = all.findIndex((other) => other.databaseUser === entry.databaseUser);
        if (first === i) return;
        problems.push(
            problem(
                surface,
                `consumers[${i}].databaseUser`,
                entry.databaseUser,
                `that is also the user of account ${all[first].accountId} (consumers[${first}]), and each consumer ` +
                    `account has a database user of its own`,
                fix,
            ),
        );
    });
    problems.push(...engineUserProblems(surface, c));
    problems.push(...consumerArnProblems(surface, c));
    problems.push(...producerAccountProblems(surface, c));
    return problems;
}

/**
 * Each consumer entry's ARNs against the contract's region: IAM refuses a policy naming a role of another partition,
 * and Secrets Manager shares a secret only in its own region, encrypted with a key of that region. Checked here so
 * that the stack refuses such a contract before any resource, not a component halfway through.
 */
function consumerArnProblems(surface: Surface, c: Contract): Problem[] {
    const problems: Problem[] = [];
    const fix = surface.fix("", "");
    const partition = partitionOf(c.region);
    (c.consumers ?? []).forEach((entry, i) => {
        for (const field of Object.keys(modeOf(entry).referenceRules)) {
            const arn = (entry as unknown as Record<string, string>)[field];
            // IAM ARNs have no region (their fourth field is empty); every other service's ARN is regional.
            const [, arnPartition, , arnRegion] = arn.split(":");
            const regional = arnRegion !== "";
            const wrong =
                arnPartition !== partition
                    ? `that ARN is in partition ${arnPartition}, and the contract's region ${c.region} is in ${partition}`
                    : regional && arnRegion !== c.region
                      ? `that ARN is in region ${arnRegion}, and the contract's region is ${c.region}; Secrets ` +
                        `Manager shares a secret only in its own region, under a key of that region`
                      : undefined;
            if (wrong !== undefined) {
                problems.push(problem(surface, `consumers[${i}].${field}`, arn, wrong, fix));
            }
        }
    });
    return problems;
}

/**
 * Every role, secret and key the contract names is the producer's: in `producerAccountId` when the contract says
 * it, else all in one account (a contract of an earlier producer). A connect role in any other account (the
 * consumer's own, say) would have the consumer's applications assume a role the database account does not own.
 */
function producerAccountProblems(surface: Surface, c: Contract): Problem[] {
    const fix = surface.fix("", "");
    const arns = (c.consumers ?? []).flatMap((entry, i) =>
        Object.keys(modeOf(entry).referenceRules).map((field) => {
            const arn = (entry as unknown as Record<string, string>)[field];
            return { path: `consumers[${i}].${field}`, arn, account: arn.split(":")[4] };
        }),
    );
    if (c.producerAccountId !== undefined) {
        return arns
            .filter((a) => a.account !== c.producerAccountId)
            .map((a) =>
                problem(
                    surface,
                    a.path,
                    a.arn,
                    `that ARN is in account ${a.account}, and the contract's producer is account ` +
                        `${c.producerAccountId}: every role, secret and key of the contract must be the producer's`,
                    fix,
                ),
            );
    }
    const accounts = [...new Set(arns.map((a) => a.account))];
    if (accounts.length <= 1) return [];
    return [
        problem(
            surface,
            "consumers",
            arns.map((a) => a.arn),
            `its ARNs are in accounts ${accounts.join(", ")}, and every role, secret and key of the contract must be ` +
                `in the producer's one account`,
            fix,
        ),
    ];
}

/**
 * The read-only endpoint's two names: the one clients dial (`readOnlyEndpoint`) and the proxy endpoint's real
 * name (`readOnlyProxyEndpoint`), which IAM tokens are signed for. A one-label alias under `proxy-<id>` (which the
 * proxy's wildcard certificate covers) needs the real name beside it; a real `<ep>.endpoint.proxy-…` name is its
 * own signing name.
 */
function readOnlyNameProblems(surface: Surface, c: Contract): Problem[] {
    const problems: Problem[] = [];
    const fix = surface.fix("", "");
    const writer = parseProxyHost(c.proxyEndpoint);
    const dialled = c.readOnlyEndpoint === undefined ? undefined : parseProxyHost(c.readOnlyEndpoint);
    const real = c.readOnlyProxyEndpoint === undefined ? undefined : parseProxyHost(c.readOnlyProxyEndpoint);
    if (dialled && !dialled.endpoint && dialled.name === "endpoint") {
        problems.push(
            problem(
                surface,
                "readOnlyEndpoint",
                c.readOnlyEndpoint,
                "a zone of that name would be the parent of every additional endpoint of the proxy, and hide them " +
                    "in the application VPC",
                fix,
            ),
        );
    }
    if (c.readOnlyProxyEndpoint !== undefined && c.readOnlyEndpoint === undefined) {
        problems.push(
            problem(
                surface,
                "readOnlyProxyEndpoint",
                c.readOnlyProxyEndpoint,
                "'readOnlyEndpoint' is not set, and the real name is only the signing name of a read-only endpoint",
                fix,
            ),
        );
    } else if (
        dialled &&
        !dialled.endpoint &&
        c.readOnlyProxyEndpoint === undefined &&
        c.readOnlyEndpoint !== c.proxyEndpoint
    ) {
        problems.push(
            problem(
                surface,
                "readOnlyProxyEndpoint",
                undefined,
                `'readOnlyEndpoint' is the alias ${c.readOnlyEndpoint}, and IAM auth tokens for it must be signed ` +
                    `for the proxy endpoint's real name, which RDS checks them against`,
                fix,
            ),
        );
    } else if (dialled?.endpoint && c.readOnlyProxyEndpoint !== undefined) {
        if (c.readOnlyProxyEndpoint !== c.readOnlyEndpoint) {
            problems.push(
                problem(
                    surface,
                    "readOnlyProxyEndpoint",
                    c.readOnlyProxyEndpoint,
                    `'readOnlyEndpoint' is already the real endpoint name ${c.readOnlyEndpoint}, and the two must ` +
                        `then be the same`,
                    fix,
                ),
            );
        }
    } else if (real && writer && (real.proxyId !== writer.proxyId || real.region !== writer.region)) {
        problems.push(
            problem(
                surface,
                "readOnlyProxyEndpoint",
                c.readOnlyProxyEndpoint,
                `that host belongs to proxy-${real.proxyId} in ${real.region}, and 'proxyEndpoint' to ` +
                    `proxy-${writer.proxyId} in ${writer.region}; both must be endpoints of the same proxy`,
                fix,
            ),
        );
    }
    return problems;
}
